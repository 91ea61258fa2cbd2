"""Vietnamese text helpers shared by every app: folding for accent-insensitive matching."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Compose to NFC: documents mix composed and decomposed diacritics."""
    return unicodedata.normalize("NFC", text)


def fold(text: str | None) -> str:
    """Lower-case, strip tone and vowel marks, map đ to d, collapse spaces.

    ``fold("Đăng ký  Kinh doanh") == "dang ky kinh doanh"``. Used for search keys and for
    matching names whatever their accents or tone-mark placement ("hoà" / "hòa").
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.casefold()).strip()


def normalize_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
