"""Official Word documents laid out as Nghị định 30/2020/NĐ-CP (Phụ lục I) requires.

A4 portrait; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman (Unicode);
the header is a two-column borderless table — on the left the governing body (upper case, regular),
the issuing body (upper case, bold) with a short rule under it (a third to a half of its length) and
"Số: .../BC-..."; on the right the national name "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (upper case, bold,
12 pt), the motto "Độc lập - Tự do - Hạnh phúc" (bold, 13 pt) with a rule exactly as long under it,
and the place and date in italics. Then the document type and its summary (bold, centred, a short
rule under the summary), the body (14 pt, justified, first-line indent), and at the foot a
borderless table with "Nơi nhận:" on the left (bold italic 12 pt, items 11 pt) and the signature
block on the right. Page numbers are centred at the top from the second page on.

Speed: python-docx's ``Table.add_row()`` and ``cell()`` recompute the table grid on every call, so a
table of n rows costs O(n²). Here the whole body — tables included — is written as WordprocessingML
text in one pass and spliced into the document part, which is then parsed once: linear, 0.09 s for a
3 000-row table. (Appending a separately parsed 3 000-row table to python-docx's tree took 7.7 s:
lxml reconciles namespaces node by node when a subtree changes documents.)

This module knows no app: callers hand it plain blocks (``Paragraph``, ``Heading``, ``Table``...).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from lxml import etree

from cchc.lib.vnformat import vn_long_date

FONT = "Times New Roman"
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165 mm
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BODY_SIZE = 14
TABLE_SIZE = 12
HEADER_LEFT_MM = 60
CELL_MARGIN_TWIPS = 85  # 1.5 mm either side inside table cells

# Advance widths (1/1000 em) of Times New Roman for ASCII 32..126 (those of the metric-compatible
# Liberation Serif), to size the rules under the issuing body and the motto.
_WIDTHS = {
    False: "250,333,408,500,500,833,778,180,333,333,500,564,250,333,250,278,500,500,500,500,500,500,500,500,500,"
    "500,278,278,564,564,564,444,921,722,667,667,722,611,556,722,722,333,389,722,611,889,722,722,556,722,"
    "667,556,611,722,722,944,722,722,611,333,278,333,469,500,333,444,500,444,500,444,333,500,500,278,278,"
    "500,278,778,500,500,500,500,333,389,278,500,500,722,500,500,444,480,200,480,541",
    True: "250,333,555,500,500,1000,833,278,333,333,500,570,250,333,250,278,500,500,500,500,500,500,500,500,500,"
    "500,333,333,570,570,570,500,930,722,667,722,722,667,611,778,778,389,500,778,667,944,722,778,611,778,"
    "722,556,667,722,722,1000,722,722,667,333,278,333,581,500,333,500,556,444,556,444,333,500,556,278,333,"
    "556,278,833,556,500,556,556,444,389,333,556,500,722,500,500,444,394,220,394,520",
}
_WIDTH_TABLES = {bold: [int(x) for x in text.split(",")] for bold, text in _WIDTHS.items()}
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _base_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    return unicodedata.normalize("NFD", ch)[0]


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """Approximate printed width of one line of ``text`` in Times New Roman."""
    table = _WIDTH_TABLES[bold]
    units = 0
    for ch in text:
        code = ord(_base_char(ch))
        units += table[code - 32] if 32 <= code < 127 else 500
        if ch in "ơƠưƯ":  # the horn widens o and u a little
            units += 40
    return units / 1000 * size_pt * 25.4 / 72


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


# --- Blocks callers assemble --------------------------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    align: str = "both"  # both (justified), center, left, right
    indent: bool = True
    size: int = BODY_SIZE
    keep_with_next: bool = False


@dataclass
class Heading:
    """A section heading inside the body: "I. KẾT QUẢ ĐẠT ĐƯỢC", "1. Kết quả theo từng hoạt động"."""

    text: str
    size: int = BODY_SIZE


@dataclass
class Column:
    title: str
    width_mm: float
    align: str = "left"  # text columns left, numbers right, short codes center


@dataclass
class SpanRow:
    """A row spanning every column (a group title inside a table)."""

    text: str
    bold: bool = True


@dataclass
class Table:
    columns: list[Column]
    rows: list  # each a list of cell texts, or a SpanRow
    bold_rows: frozenset[int] = frozenset()  # indexes of rows to set in bold (totals)
    size: int = TABLE_SIZE
    caption: str = ""


@dataclass
class PageBreak:
    pass


@dataclass
class Signature:
    title: str  # "GIÁM ĐỐC", "CHỦ TỊCH"
    name: str = ""
    authority: str = ""  # "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"


@dataclass
class OfficialDocument:
    issuing_body: str
    doc_type: str  # "BÁO CÁO"
    summary: str  # trích yếu: "Kết quả công tác tuyên truyền cải cách hành chính quý I năm 2024"
    body: list
    governing_body: str = ""  # cơ quan chủ quản, e.g. "UBND TỈNH GIA LAI"; empty for People's Committees
    number: str = ""  # left blank for the clerk to fill at issue
    symbol: str = ""  # "BC-SNV"
    place: str = ""
    date: dt.date | None = None
    year: int | None = None  # shown when the date is still blank
    recipients: list[str] = field(default_factory=list)
    signature: Signature | None = None
    annex: list = field(default_factory=list)  # blocks after the signature, on a new page
    draft: bool = False


# --- WordprocessingML text --------------------------------------------------------------------------


def _clean(text) -> str:
    return _INVALID_XML.sub("", str(text if text is not None else ""))


def _rpr(*, bold=False, italic=False, size=None) -> str:
    parts = []
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if size:
        parts.append(f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _runs(text: str, **fmt) -> str:
    rpr = _rpr(**fmt)
    pieces = []
    for i, line in enumerate(_clean(text).split("\n")):
        if i:
            pieces.append(f"<w:r>{rpr}<w:br/></w:r>")
        if line:
            pieces.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return "".join(pieces)


def _p(
    content: str = "",
    *,
    align="both",
    first_line=0,
    before=0,
    after=0,
    line=None,
    keep_next=False,
    size=None,
    bold=False,
    left=0,
    right=0,
    border=None,
    page_break_before=False,
) -> str:
    ppr = []
    if keep_next:
        ppr.append("<w:keepNext/>")
    if page_break_before:
        ppr.append("<w:pageBreakBefore/>")
    if border:
        ppr.append(f'<w:pBdr><w:{border} w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>')
    spacing = f'<w:spacing w:before="{before}" w:after="{after}"'
    if line:
        spacing += f' w:line="{line[0]}" w:lineRule="{line[1]}"'
    ppr.append(spacing + "/>")
    if first_line or left or right:
        ppr.append(f'<w:ind w:left="{left}" w:right="{right}" w:firstLine="{first_line}"/>')
    ppr.append(f'<w:jc w:val="{align}"/>')
    if size or bold:
        ppr.append(_rpr(bold=bold, size=size))
    return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{content}</w:p>"


def _rule(width_mm: float, cell_mm: float) -> str:
    """A centred horizontal rule ``width_mm`` long: an empty 1-pt paragraph with a top border, indented
    so that the border spans only the middle of the cell."""
    width_mm = max(5.0, min(width_mm, cell_mm))
    side = _twips((cell_mm - width_mm) / 2)
    return _p(align="center", left=side, right=side, line=(20, "exact"), size=1, border="top")


def _paragraph(block: Paragraph) -> str:
    # Each line the user typed is its own paragraph: a justified line ending in a manual break would
    # be stretched across the page.
    lines = [line.strip() for line in _clean(block.text).split("\n") if line.strip()] or [""]
    return "".join(
        _p(
            _runs(line, bold=block.bold, italic=block.italic, size=block.size),
            align=block.align,
            first_line=_twips(12.7) if block.indent else 0,
            before=120,
            line=(288, "auto"),
            keep_next=block.keep_with_next,
        )
        for line in lines
    )


def _heading(block: Heading) -> str:
    return _p(
        _runs(block.text, bold=True, size=block.size),
        first_line=_twips(12.7),
        before=120,
        line=(288, "auto"),
        keep_next=True,
    )


def _cell(text: str, width: int, *, align="left", bold=False, size=TABLE_SIZE, shade=False, span=1) -> str:
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if shade:
        tcpr += '<w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/>'
    tcpr += '<w:vAlign w:val="center"/>'
    jc = {"left": "left", "right": "right", "center": "center"}[align]
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{_p(_runs(text, bold=bold, size=size), align=jc, before=20, after=20)}</w:tc>"


def _borders(kind: str) -> str:
    edges = ("top", "left", "bottom", "right", "insideH", "insideV")
    if kind == "none":
        inner = "".join(f'<w:{e} w:val="nil"/>' for e in edges)
    else:
        inner = "".join(f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for e in edges)
    return f"<w:tblBorders>{inner}</w:tblBorders>"


def _table(block: Table) -> str:
    widths = [_twips(c.width_mm) for c in block.columns]
    total = sum(widths)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>{_borders("single")}'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    ]
    # The heading row repeats on every page the table crosses.
    out.append("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>")
    out += [
        _cell(c.title, w, align="center", bold=True, size=block.size, shade=True)
        for c, w in zip(block.columns, widths, strict=True)
    ]
    out.append("</w:tr>")
    for index, row in enumerate(block.rows):
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        if isinstance(row, SpanRow):
            out.append(_cell(row.text, total, bold=row.bold, size=block.size, span=len(widths)))
        else:
            bold = index in block.bold_rows
            out += [
                _cell(text, w, align=c.align, bold=bold, size=block.size)
                for text, c, w in zip(row, block.columns, widths, strict=True)
            ]
        out.append("</w:tr>")
    out.append("</w:tbl>")
    if block.caption:
        out.insert(0, _p(_runs(block.caption, italic=True, size=12), align="right", before=120, keep_next=True))
    # A table must be followed by a paragraph before another table; a small one also gives air.
    out.append(_p(size=6, line=(120, "exact")))
    return "".join(out)


def _block(block) -> str:
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, Heading):
        return _heading(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, PageBreak):
        return _p(page_break_before=True, size=2, line=(40, "exact"))
    raise TypeError(f"unknown block {block!r}")


def _header(doc: OfficialDocument) -> str:
    left_mm = HEADER_LEFT_MM
    right_mm = TEXT_WIDTH_MM - left_mm
    inner_left = left_mm - 2 * CELL_MARGIN_TWIPS * 25.4 / 1440
    inner_right = right_mm - 2 * CELL_MARGIN_TWIPS * 25.4 / 1440
    left = []
    if doc.governing_body:
        left.append(_p(_runs(doc.governing_body.upper(), size=13), align="center"))
    body = doc.issuing_body.upper()
    left.append(_p(_runs(body, bold=True, size=13), align="center"))
    longest = max(text_width_mm(line, 13, bold=True) for line in _wrap(body, inner_left, 13, True))
    left.append(_rule(longest * 0.4, inner_left))
    right = [
        _p(_runs(NATIONAL_NAME, bold=True, size=12), align="center"),
        _p(_runs(MOTTO, bold=True, size=13), align="center"),
        _rule(text_width_mm(MOTTO, 13, bold=True), inner_right),
    ]
    number = f"Số: {doc.number or '       '}/{doc.symbol}" if doc.symbol else f"Số: {doc.number or '       '}"
    date = vn_long_date(doc.date, doc.year)
    place_date = f"{doc.place}, {date}" if doc.place else date[:1].upper() + date[1:]
    lw, rw = _twips(left_mm), _twips(right_mm)

    def cell(width, content):
        return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'

    rows = (
        f"<w:tr>{cell(lw, ''.join(left))}{cell(rw, ''.join(right))}</w:tr>"
        f"<w:tr>{cell(lw, _p(_runs(number, size=13), align='center', before=120))}"
        f"{cell(rw, _p(_runs(place_date, italic=True, size=14), align='center', before=120))}</w:tr>"
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{lw + rw}" w:type="dxa"/>{_borders("none")}'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{lw}"/><w:gridCol w:w="{rw}"/></w:tblGrid>{rows}</w:tbl>'
    )


def _wrap(text: str, width_mm: float, size: float, bold: bool) -> list[str]:
    """Greedy word wrap, to know how long the longest printed line of a name is."""
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and text_width_mm(trial, size, bold) > width_mm:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines or [""]


def _title(doc: OfficialDocument) -> str:
    out = [
        _p(_runs(doc.doc_type.upper(), bold=True, size=14), align="center", before=360, keep_next=True),
        _p(_runs(doc.summary, bold=True, size=14), align="center", keep_next=True),
    ]
    longest = max(text_width_mm(line, 14, True) for line in _wrap(doc.summary, TEXT_WIDTH_MM - 20, 14, True))
    out.append(_rule(longest * 0.4, TEXT_WIDTH_MM))
    out.append(_p(size=6, line=(120, "exact")))
    return "".join(out)


def _signature_block(doc: OfficialDocument) -> str:
    left_mm, right_mm = 80, TEXT_WIDTH_MM - 80
    lw, rw = _twips(left_mm), _twips(right_mm)
    left = [_p(_runs("Nơi nhận:", bold=True, italic=True, size=12), align="left", before=240, keep_next=True)]
    for item in doc.recipients:
        left.append(_p(_runs(f"- {item}", size=11), align="left", keep_next=True))
    right = []
    sig = doc.signature
    if sig is not None:
        if sig.authority:
            right.append(
                _p(_runs(sig.authority.upper(), bold=True, size=14), align="center", before=240, keep_next=True)
            )
        right.append(
            _p(
                _runs(sig.title.upper(), bold=True, size=14),
                align="center",
                before=0 if sig.authority else 240,
                keep_next=True,
            )
        )
        # Room for the signature and the seal.
        right += [_p(size=14, keep_next=True) for _ in range(4)]
        right.append(_p(_runs(sig.name, bold=True, size=14), align="center"))
    if not right:
        right.append(_p())
    cells = (
        f'<w:tc><w:tcPr><w:tcW w:w="{lw}" w:type="dxa"/></w:tcPr>{"".join(left)}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="{rw}" w:type="dxa"/></w:tcPr>{"".join(right)}</w:tc>'
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{lw + rw}" w:type="dxa"/>{_borders("none")}'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="{lw}"/><w:gridCol w:w="{rw}"/>'
        f"</w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr></w:tbl>"
    )


def body_xml(doc: OfficialDocument) -> str:
    parts = []
    if doc.draft:
        parts.append(_p(_runs("DỰ THẢO", bold=True, size=12), align="right"))
    parts += [_header(doc), _title(doc)]
    parts += [_block(b) for b in doc.body]
    parts.append(_signature_block(doc))
    if doc.annex:
        parts.append(_block(PageBreak()))
        parts += [_block(b) for b in doc.annex]
    return "".join(parts)


def _setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    styles = document.styles.element
    # Times New Roman for every script (Vietnamese letters are "hAnsi"/complex in Word's eyes).
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr_default):
        if child.tag in (qn("w:rFonts"), qn("w:sz"), qn("w:szCs"), qn("w:lang")):
            rpr_default.remove(child)
    rpr_default.append(
        parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>')
    )
    rpr_default.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{BODY_SIZE * 2}"/>'))
    rpr_default.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{BODY_SIZE * 2}"/>'))
    rpr_default.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>'))
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = None
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    # Page number centred at the top, from the second page on.
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>2</w:t></w:r>'
            "</w:fldSimple>"
        )
    )
    paragraph.alignment = 1  # centre


def render(doc: OfficialDocument) -> bytes:
    document = Document()
    _setup(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    # Splice the body in as text and parse the whole part once: moving a large parsed subtree into
    # python-docx's tree (lxml namespace reconciliation) is far slower than parsing it in place.
    xml = etree.tostring(document.element, encoding="unicode")
    at = xml.rindex("<w:sectPr")
    document.part._element = parse_xml(xml[:at] + body_xml(doc) + xml[at:])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
