"""Vietnamese text helpers shared by every app: folding for accent-insensitive matching."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Compose to NFC: documents mix composed and decomposed diacritics."""
    return unicodedata.normalize("NFC", text)


# Vietnamese tone and vowel marks after NFD: removed by one regex pass (C speed); any other
# combining mark left is removed by the slower per-character check below.
_COMBINING = re.compile("[\u0300-\u036f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_mark(match: re.Match[str]) -> str:
    return "" if unicodedata.category(match.group()) == "Mn" else match.group()


def fold(text: str | None) -> str:
    """Lower-case, strip tone and vowel marks, map đ to d, collapse spaces.

    ``fold("Đăng ký  Kinh doanh") == "dang ky kinh doanh"``. Used for search keys and for
    matching names whatever their accents or tone-mark placement ("hoà" / "hòa").
    """
    if not text:
        return ""
    stripped = _COMBINING.sub("", unicodedata.normalize("NFD", text)).replace("đ", "d").replace("Đ", "D")
    if not stripped.isascii():
        stripped = _NON_ASCII.sub(_drop_mark, stripped)
    return _SPACES.sub(" ", stripped.casefold()).strip()
