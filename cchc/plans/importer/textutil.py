"""Small text helpers shared by the importer's steps."""

from __future__ import annotations

import re
from functools import lru_cache

from cchc.lib.text import fold


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    return (fold(c) or " ")[:1]


def fold_aligned(text: str) -> str:
    """fold() one character at a time, so that an index in the result is an index in ``text``.

    Patterns are matched on the folded text (accent- and case-insensitive) and the match is then cut
    out of the original, keeping the document's own spelling.
    """
    return "".join(_fold_char(c) for c in text)


def clean(text: str | None) -> str:
    """Collapse spaces and trim the punctuation that ends a list item."""
    if not text:
        return ""
    return re.sub(r"\s+", " ", text).strip(" \t;,.:")


_SMALL_WORDS = {"và", "của", "các", "về", "với", "cho", "trên", "tại", "theo"}


def title_case_name(text: str) -> str:
    """A place or person name in capitals ("GIA LAI", "TRƯƠNG HẢI LONG") → "Gia Lai"."""
    return " ".join(w if w in _SMALL_WORDS else w[:1].upper() + w[1:].lower() for w in text.split())


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
