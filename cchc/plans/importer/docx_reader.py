"""Word (.docx) reading: paragraphs in body order, their automatic numbering, bold, and tables.

Kept apart from reading.py because it is the only part that needs python-docx and knows WordprocessingML.
"""

from __future__ import annotations

import io
import re
import zipfile

from .errors import PlanImportError
from .reading import Line, emit_table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> list[Line]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        styles = _Styles(document)
        numbering = _Numbering(document)
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        AttributeError,
        OSError,
        EOFError,
        SyntaxError,
    ) as err:
        # lxml's XMLSyntaxError is a SyntaxError; a truncated upload lands in one of these.
        raise PlanImportError.of("corrupt") from err
    reader = _BodyReader(styles, numbering)
    reader.read(body)
    return reader.lines


class _BodyReader:
    def __init__(self, styles: _Styles, numbering: _Numbering):
        self.styles = styles
        self.numbering = numbering
        self.lines: list[Line] = []
        self.position = 0
        self.tables = 0
        self.blank = False

    def read(self, container) -> None:
        for element in container.iterchildren():
            tag = element.tag
            if tag == W + "p":
                self._paragraph(element)
            elif tag == W + "tbl":
                self._table(element)
            elif tag == W + "sdt":  # content controls wrap ordinary paragraphs and tables
                content = element.find(W + "sdtContent")
                if content is not None:
                    self.read(content)

    def _paragraph(self, p) -> None:
        self.position += 1
        text = self._text_with_label(p)
        if not text.strip():
            self.blank = True
            return
        style = self.styles.of(p)
        bold = _all_runs_bold(p, style.bold)
        for k, part in enumerate(text.split("\n")):  # soft line breaks (Shift+Enter)
            if part.strip():
                self.lines.append(
                    Line(
                        part.strip(),
                        self.position,
                        bold=bold,
                        heading=style.heading,
                        blank_before=self.blank and k == 0,
                    )
                )
        self.blank = False

    def _text_with_label(self, p) -> str:
        text = _paragraph_text(p)
        label = self.numbering.label(*self.styles.numbering_of(p))
        return f"{label} {text}" if label and text.strip() else text

    def _table(self, tbl) -> None:
        rows = []
        above: list[str] = []
        for tr in tbl.iterchildren(W + "tr"):
            row = self._row(tr, above)
            rows.append(row)
            above = row
        self.position += 1
        if rows:
            self.lines.extend(emit_table(rows, self.tables, self.position, self.blank))
            self.tables += 1
            self.blank = False

    def _row(self, tr, above: list[str]) -> list[str]:
        """Cells on the grid: a horizontally merged cell repeats, a vertically merged one copies above."""
        row: list[str] = []
        for tc in tr.iterchildren(W + "tc"):
            props = tc.find(W + "tcPr")
            span, merged = 1, False
            if props is not None:
                grid = props.find(W + "gridSpan")
                span = _int(grid.get(W + "val"), 1) if grid is not None else 1
                vmerge = props.find(W + "vMerge")
                merged = vmerge is not None and vmerge.get(W + "val") in (None, "continue")
            col = len(row)
            text = above[col] if merged and col < len(above) else self._cell_text(tc)
            row.extend([text] * max(1, min(span, 50)))
        return row

    def _cell_text(self, tc) -> str:
        parts = [self._text_with_label(p) for p in tc.iter(W + "p")]
        return "\n".join(part.strip() for part in parts if part.strip())


def _paragraph_text(p) -> str:
    # CT_P.text (python-docx) renders tabs, breaks and hyperlinks the way Word shows them.
    try:
        return p.text
    except AttributeError:
        return "".join(t.text or "" for t in p.iter(W + "t"))


def _all_runs_bold(p, style_bold: bool) -> bool:
    seen = False
    for r in p.iter(W + "r"):
        text = "".join(t.text or "" for t in r.iter(W + "t"))
        if not text.strip():
            continue
        seen = True
        b = r.find(f"{W}rPr/{W}b")
        bold = style_bold if b is None else b.get(W + "val") not in ("0", "false", "off")
        if not bold:
            return False
    return seen


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _Style:
    def __init__(
        self,
        name: str = "",
        heading: int = 0,
        bold: bool = False,
        num: tuple | None = None,
        based_on: str | None = None,
    ):
        self.name, self.heading, self.bold, self.num, self.based_on = name, heading, bold, num, based_on


class _Styles:
    """Paragraph styles by id: heading level, bold, and numbering inherited through basedOn."""

    def __init__(self, document):
        self.by_id: dict[str, _Style] = {}
        try:
            root = document.styles.element
        except (KeyError, AttributeError, ValueError):
            return
        for s in root.iterchildren(W + "style"):
            name_el = s.find(W + "name")
            name = name_el.get(W + "val", "") if name_el is not None else ""
            level = re.match(r"(?i)heading\s*(\d)", name)
            heading = int(level.group(1)) if level else (1 if name.lower() == "title" else 0)
            based = s.find(W + "basedOn")
            b = s.find(f"{W}rPr/{W}b")
            bold = b is not None and b.get(W + "val") not in ("0", "false", "off")
            self.by_id[s.get(W + "styleId", "")] = _Style(
                name,
                heading,
                bold,
                _num_pr(s.find(W + "pPr")),
                based.get(W + "val") if based is not None else None,
            )

    def of(self, p) -> _Style:
        style_el = p.find(f"{W}pPr/{W}pStyle")
        style_id = style_el.get(W + "val") if style_el is not None else None
        return self.by_id.get(style_id or "", _Style())

    def numbering_of(self, p) -> tuple[str | None, int]:
        own = _num_pr(p.find(W + "pPr"))
        if own and own[0] is not None:
            return own[0], own[1] if own[1] is not None else 0
        style = self.of(p)
        for _ in range(10):  # basedOn chains are short; the bound guards against cycles
            if style.num:
                level = own[1] if own and own[1] is not None else style.num[1]
                return style.num[0], level or 0
            if not style.based_on or style.based_on not in self.by_id:
                break
            style = self.by_id[style.based_on]
        return None, 0


def _num_pr(ppr) -> tuple[str | None, int | None] | None:
    if ppr is None:
        return None
    num_pr = ppr.find(W + "numPr")
    if num_pr is None:
        return None
    num_id = num_pr.find(W + "numId")
    ilvl = num_pr.find(W + "ilvl")
    return (
        num_id.get(W + "val") if num_id is not None else None,
        _int(ilvl.get(W + "val"), 0) if ilvl is not None else None,
    )


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        text = roman(max(n, 1))
        return text if fmt == "upperRoman" else text.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letters = "abcdefghijklmnopqrstuvwxyz"
        text = letters[(max(n, 1) - 1) % 26]
        return text.upper() if fmt == "upperLetter" else text
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """Renders Word's automatic list labels ("1.", "a)", "II.", bullets as "-"), which the XML omits."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError, ValueError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for a in root.iterchildren(W + "abstractNum"):
            abstract[a.get(W + "abstractNumId", "")] = {
                _int(lvl.get(W + "ilvl"), 0): _level(lvl) for lvl in a.iterchildren(W + "lvl")
            }
        for num in root.iterchildren(W + "num"):
            ref = num.find(W + "abstractNumId")
            levels = dict(abstract.get(ref.get(W + "val", "") if ref is not None else "", {}))
            for override in num.iterchildren(W + "lvlOverride"):
                start = override.find(W + "startOverride")
                ilvl = _int(override.get(W + "ilvl"), 0)
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, _int(start.get(W + "val"), 1))
            self.levels[num.get(W + "numId", "")] = levels

    def label(self, num_id: str | None, ilvl: int) -> str | None:
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return None
        fmt, text, start = levels[ilvl]
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return None

        def substitute(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            lvl_fmt, _, lvl_start = levels.get(k, ("decimal", "", 1))
            return _format_number(counters.get(k, lvl_start), lvl_fmt)

        return re.sub(r"%(\d)", substitute, text).strip() or None


def _level(lvl) -> tuple[str, str, int]:
    fmt = lvl.find(W + "numFmt")
    text = lvl.find(W + "lvlText")
    start = lvl.find(W + "start")
    return (
        fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
        text.get(W + "val", "") if text is not None else "",
        _int(start.get(W + "val"), 1) if start is not None else 1,
    )
