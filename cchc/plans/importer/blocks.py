"""Step 2: source lines in, blocks out — markup stripped, broken paragraphs joined, numbering recognised.

A block is one logical paragraph (or one table row) with its numbering marker split off:
"II. NỘI DUNG" → marker "II", kind "roman"; "a) Nội dung:" → "a", "letter"; "- ..." → "dash".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cchc.lib.text import fold

from .reading import Line

# Marker kinds, from the outermost numbering a Vietnamese plan uses to the innermost.
KINDS = ("roman", "upper", "arabic", "dotted", "letter", "dash", "plus")
BULLETS = ("dash", "plus")


@dataclass(frozen=True)
class Block:
    text: str  # markup stripped, marker removed
    line: int  # first source line, for the review screen
    marker: str | None = None
    kind: str | None = None
    bold: bool = False
    heading: int = 0
    cells: tuple[str, ...] | None = None
    table: int | None = None

    @property
    def raw(self) -> str:
        """The text as numbered in the document, e.g. "2. Sở Nội vụ: ..."."""
        if not self.marker:
            return self.text
        sep = ")" if self.kind == "letter" else "."
        return f"{self.marker} {self.text}" if self.kind in BULLETS else f"{self.marker}{sep} {self.text}"


# --- markup -------------------------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s*")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>]+)>")
_HTML = re.compile(r"</?(?:br|u|b|i|em|strong|sup|sub|span|p|div)\b[^>]*>", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_SPACES = re.compile(r"[ \t\u00a0\u2002-\u200b\u3000]+")


def strip_markup(text: str) -> tuple[str, bool, int]:
    """Remove Markdown markup; return the text, whether it started bold, and its heading level."""
    heading = 0
    m = _HEADING.match(text)
    if m:
        heading = len(m.group(1))
        text = text[m.end() :]
    text = re.sub(r"^>\s*", "", text)
    bold = text.lstrip().startswith(("**", "__"))
    bullet = re.match(r"^([*+])\s+(?=\S)", text)  # "* item" and "+ item" are list markers, keep them
    prefix = ""
    if bullet:
        prefix, text = ("- " if bullet.group(1) == "*" else "+ "), text[bullet.end() :]
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML.sub(" ", text)
    text = _ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return _SPACES.sub(" ", prefix + text).strip(), bold, heading


# --- numbering markers --------------------------------------------------------------------------

_MARKER_PATTERNS = (
    ("roman", re.compile(r"^(?:phần\s+|PHẦN\s+)?(?P<m>[IVX]{1,5})\s*[.)/]\s*(?=\S)")),
    ("upper", re.compile(r"^(?P<m>[A-HK-UYĐ])\s*[.)]\s+(?=\S)")),
    ("dotted", re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s*(?=[^\W\d_])")),
    ("arabic", re.compile(r"^(?P<m>\d{1,2})\s*(?:[.)]\s*|/\s+|\s*-\s+)(?=[^\W\d_]|[\"“(*])")),
    ("letter", re.compile(r"^(?P<m>[a-zđ])\s*(?:\)\s*|\.\s+)(?=\S)")),
    ("dash", re.compile(r"^(?P<m>[-–—•·‒\uf0b7\uf0a7\u25cf\u25aa\u2022*])\s*(?=\S)")),
    ("plus", re.compile(r"^(?P<m>\+)\s*(?=\S)")),
)


def split_marker(text: str) -> tuple[str | None, str | None, str]:
    """("II", "roman", "NỘI DUNG") for "II. NỘI DUNG"; (None, None, text) when unnumbered."""
    for kind, pattern in _MARKER_PATTERNS:
        m = pattern.match(text)
        if m:
            marker = m.group("m")
            if kind in BULLETS:
                marker = "-" if kind == "dash" else "+"
            return marker, kind, text[m.end() :].strip()
    return None, None, text


# --- joining broken paragraphs ------------------------------------------------------------------

_TERMINAL = tuple(".;:!?…")
_SENTENCE_END = tuple(".:!?…")
_NOISE = re.compile(r"^(?:[-_=*~.·•]{3,}|\d{1,3}|trang \d+(?:/\d+)?|page \d+(?: of \d+)?)$", re.IGNORECASE)
_STARTS_ANEW_RE = re.compile(r"^(?:can cu|thuc hien|trien khai|nham|tren day la|ke hoach)\b")
_CLOSING = re.compile(r"^(?:noi nhan|tren day la|tm\.|kt\.|tl\.|q\.|thua lenh|thua uy quyen)")


def is_closing(text: str) -> bool:
    """The closing paragraph, the recipient list and the signature block start anew at top level."""
    return bool(_CLOSING.match(fold(text[:20])))


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class _Layout:
    width: int  # the full line length of hard-wrapped text; 0 when the source is not wrapped
    gaps: bool  # the wrapped text separates its paragraphs with blank lines


def _layout(lines: list[Line]) -> _Layout:
    wrapped = [line for line in lines if line.wrapped and line.cells is None]
    lengths = sorted(len(line.text) for line in wrapped)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    return _Layout(width, any(line.blank_before for line in wrapped))


def _continues(prev: Block, prev_line: Line, block: Block, line: Line, layout: _Layout) -> bool:
    """Whether ``block`` is the rest of ``prev``'s paragraph, cut by a page or line break."""
    if prev.cells is not None or block.cells is not None or block.kind or not block.text:
        return False
    if is_closing(block.text):
        return False
    before = prev_line.text.rstrip(" *_")
    first = block.text[0]
    if first.islower() and not before.endswith(_SENTENCE_END):
        return True  # "... quyền" / "hạn và tổ chức" — also after ";", which ends list items, not sentences
    if first.isdigit() and before[-1:].isalpha() and before[-1:].islower():
        return True  # "... Nghị quyết số 17/NQ-CP ngày" / "17/3/2019 của Chính phủ"
    if line.blank_before:
        return False
    if prev.kind in ("roman", "upper") and _is_caps(prev.text) and _is_caps(block.text) and not block.bold:
        return True  # an all-caps section heading wrapped onto a second line
    if not line.wrapped or not layout.width or _STARTS_ANEW_RE.match(fold(block.text)):
        return False
    if _is_caps(before) and not _is_caps(block.text):
        return False  # a full-width title or heading line is not continued by the paragraph under it
    if layout.gaps:  # blank lines mark paragraph ends, so a long line runs on even after a full stop
        return len(before) >= 0.6 * layout.width
    return len(before) >= 0.75 * layout.width and not before.endswith(_TERMINAL)


def make_blocks(lines: list[Line]) -> list[Block]:
    """Turn source lines into blocks; the order of the document is kept."""
    layout = _layout(lines)
    blocks: list[Block] = []
    last_line: Line | None = None
    for line in lines:
        if line.cells is not None:
            blocks.append(Block(line.text, line.number, cells=line.cells, table=line.table))
            last_line = line
            continue
        text, bold, heading = strip_markup(line.text)
        if not text or _NOISE.match(text):
            continue
        marker, kind, rest = split_marker(text)
        block = Block(rest, line.number, marker, kind, bold or line.bold, heading or line.heading)
        if blocks and last_line is not None and _continues(blocks[-1], last_line, block, line, layout):
            prev = blocks[-1]
            blocks[-1] = replace(prev, text=f"{prev.text} {block.text}")
        else:
            blocks.append(block)
        last_line = replace(line, text=text)
    return blocks
