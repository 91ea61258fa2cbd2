"""Step 1: bytes and a file name in, source lines with style hints out.

The format is decided by the content (magic bytes), not the extension: uploads are often renamed,
and a ".doc" that is really a .docx should simply work. Everything that is not a readable plan
format is refused here with a :class:`PlanImportError` that says what to do instead.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from cchc.lib.text import fold

from .errors import PlanImportError

MAX_BYTES = 20 * 1024 * 1024
# A .docx is a zip: refuse archives that would inflate to far more than any real plan (zip bombs).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
WORD_STREAM = "WordDocument".encode("utf-16-le")  # the stream every Word 97-2003 file has
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CONVERTED = ("doc", "odt", "rtf")  # read through LibreOffice (convert.py)
# Formats people upload by mistake; each gets the "unsupported" or "binary" message.
IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
ARCHIVE_MAGICS = (b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"PK\x05\x06")


@dataclass(frozen=True)
class Line:
    """One source line or paragraph, with what the layout tells us about it."""

    text: str
    number: int  # 1-based position in the source, for pointing the reviewer at it
    bold: bool = False
    heading: int = 0  # Markdown '#' count or Word "Heading N"; a weak hint only
    blank_before: bool = False
    wrapped: bool = False  # hard-wrapped source (PDF, fixed-width text): paragraphs span lines
    cells: tuple[str, ...] | None = None  # a row of a data table
    table: int | None = None  # which data table the row belongs to


def detect_format(data: bytes, filename: str = "") -> str:
    """Return "docx", "pdf" or "text", or raise for anything we cannot read."""
    if len(data) > MAX_BYTES:
        raise PlanImportError.of("too_large")
    if not data.strip():
        raise PlanImportError.of("empty")
    if data.startswith(OLE_MAGIC):
        # OLE is also .xls/.ppt: only a file with a WordDocument stream is converted.
        if WORD_STREAM in data:
            return "doc"
        named_word = filename.lower().endswith((".doc", ".dot"))
        raise PlanImportError.of("legacy_doc" if named_word or not filename else "unsupported")
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if data.lstrip().startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(IMAGE_MAGICS + ARCHIVE_MAGICS):
        raise PlanImportError.of("binary")
    return "text"


def _zip_kind(data: bytes) -> str:
    """ "docx" or "odt"; .xlsx, .pptx, .ods or a plain archive is not a plan document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise PlanImportError.of("too_large")
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as err:
        raise PlanImportError.of("corrupt") from err
    if "word/document.xml" in names:
        return "docx"
    if mimetype.strip() == ODT_MIMETYPE:
        return "odt"
    raise PlanImportError.of("unsupported")


def read_lines(data: bytes, filename: str = "") -> list[Line]:
    """Read a plan document into lines; raise PlanImportError when it cannot be read."""
    return read_document(data, filename)[1]


@dataclass(frozen=True)
class Source:
    """What was read: the format ("docx", "doc", "odt", "rtf", "pdf", "scan" or "text"), the lines, and
    for a scan the recognised pages (ocr.OcrPage) the review screen shows beside their images."""

    kind: str
    lines: list[Line]
    pages: list = ()


def read_document(data: bytes, filename: str = "") -> tuple[str, list[Line]]:
    """The detected format and the document's lines."""
    source = read_source(data, filename)
    return source.kind, source.lines


def read_source(data: bytes, filename: str = "", progress=None, *, ocr_budget: float | None = None) -> Source:
    """Read any accepted format; ``progress(done, total)`` is called after each page of a scan, whose
    OCR stops after ``ocr_budget`` seconds (None: reads every page)."""
    kind = detect_format(data, filename)
    pages: list = []
    if kind == "docx":
        lines = _read_docx(data)
    elif kind in CONVERTED:
        from .convert import convert_to_docx

        lines = _read_docx(convert_to_docx(data, kind))
    elif kind == "pdf":
        lines, pages = _read_pdf(data, progress, ocr_budget)
        kind = "scan" if pages else kind
    else:
        lines = text_lines(decode_text(data))
    if not any(line.text.strip() for line in lines):
        raise PlanImportError.of("scanned_pdf" if kind == "scan" else "empty")
    return Source(kind, lines, pages)


# --- plain text and Markdown ---------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Decode a text upload: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            if b"\x00" in data:
                raise PlanImportError.of("binary") from None
            # Older Vietnamese Windows machines save text as cp1258; it decodes any byte, so the
            # control-character check below is what tells text from binary.
            text = data.decode("cp1258", errors="replace")
    if _looks_binary(text):
        raise PlanImportError.of("binary")
    return unicodedata.normalize("NFC", text)


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    replacements = sample.count("\ufffd")
    return (controls + replacements) > max(2, len(sample) // 100)


_MD_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_GAP = re.compile(r"\S(?: {3,}|\t+)(?=\S)")
_INDENT_RIGHT = 20  # a line indented this far is the right-hand column of a two-column layout


def text_lines(text: str) -> list[Line]:
    """Split text into lines; Markdown pipe tables and tab tables become table rows."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    raw = _unfold_columns(raw)
    wrapped = _is_hard_wrapped(raw)
    out: list[Line] = []
    tables = 0
    i = 0
    blank = False
    while i < len(raw):
        rows, end = _table_at(raw, i)
        if rows:
            out.extend(emit_table(rows, tables, i + 1, blank))
            tables += 1
            i, blank = end, False
            continue
        stripped = raw[i].strip()
        if stripped:
            out.append(Line(stripped, i + 1, blank_before=blank, wrapped=wrapped))
        blank = not stripped
        i += 1
    return out


def _table_at(raw: list[str], start: int) -> tuple[list[list[str]], int]:
    """Rows of a pipe or tab table starting at ``start`` (at least two rows), and where it ends."""
    rows: list[list[str]] = []
    separated = False  # a Markdown table may have a single row under its separator line
    i = start
    while i < len(raw):
        line = raw[i].strip()
        if line.startswith("|") and line.count("|") >= 2:
            if _MD_TABLE_SEPARATOR.match(line):
                separated = True
            else:
                rows.append(_pipe_cells(line))
        elif line.count("\t") >= 2 and len([c for c in line.split("\t") if c.strip()]) >= 2:
            rows.append([c.strip() for c in line.split("\t")])
        else:
            break
        i += 1
    return (rows, i) if len(rows) >= 2 or (rows and separated) else ([], start)


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner.removeprefix("|")
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    cells = re.split(r"(?<!\\)\|", inner)
    return [re.sub(r"<br\s*/?>", "\n", c, flags=re.IGNORECASE).replace("\\|", "|").strip() for c in cells]


def _unfold_columns(raw: list[str]) -> list[str]:
    """Undo two-column layouts of plain-text exports (header, signature): left column first.

    Word's text export puts "ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI..." on one line; reading
    it row by row would interleave the issuer with the national motto and the recipients with
    the signature.
    """
    out: list[str] = []
    i = 0
    while i < len(raw):
        if not _is_column_line(raw[i]):
            out.append(raw[i])
            i += 1
            continue
        end = i
        while end < len(raw) and (_is_column_line(raw[end]) or _short_or_blank(raw[end])):
            end += 1
        while end > i and not _is_column_line(raw[end - 1]):
            end -= 1
        left, right = [], []
        for line in raw[i:end]:
            lpart, rpart = _split_columns(line)
            left.append(lpart)
            right.append(rpart)
        out.extend(left + [""] + [r for r in right if r.strip()])
        i = end
    return out


def _is_column_line(line: str) -> bool:
    if not line.strip():
        return False
    indent = len(line) - len(line.lstrip(" "))
    return indent >= _INDENT_RIGHT or bool(_GAP.search(line.strip()))


def _short_or_blank(line: str) -> bool:
    return len(line.strip()) < 60


def _split_columns(line: str) -> tuple[str, str]:
    stripped = line.strip()
    indent = len(line) - len(line.lstrip(" "))
    if indent >= _INDENT_RIGHT:
        return "", stripped
    match = _GAP.search(stripped)
    if not match:
        return stripped, ""
    return stripped[: match.start() + 1].strip(), stripped[match.end() :].strip()


def _is_hard_wrapped(raw: list[str]) -> bool:
    """True for fixed-width text whose paragraphs are broken at a column limit."""
    lengths = [len(line.rstrip()) for line in raw if line.strip()]
    if len(lengths) < 8:
        return False
    width = max(lengths)
    if width > 110:
        return False
    near_full = sum(1 for n in lengths if n >= width - 15)
    return near_full >= 0.3 * len(lengths)


# --- tables shared by every format ---------------------------------------------------------------

_HEADER_WORDS = (
    "stt",
    "tt",
    "noi dung",
    "nhiem vu",
    "hoat dong",
    "hinh thuc",
    "co quan",
    "don vi",
    "chu tri",
    "phoi hop",
    "thoi gian",
    "thoi han",
    "kinh phi",
    "ghi chu",
    "san pham",
    "tien do",
    "ket qua",
)


def is_data_table(rows: list[list[str]]) -> bool:
    """A task table has a header row naming at least two task columns; anything else is layout."""
    width = max((len(r) for r in rows), default=0)
    if width < 3:
        return False
    for row in rows[:3]:
        hits = sum(1 for cell in row if _is_header_cell(cell))
        if hits >= 2:
            return True
    return False


def _is_header_cell(cell: str) -> bool:
    key = fold(cell).strip(" .:*")
    return len(key) <= 60 and any(re.search(rf"\b{w}\b", key) for w in _HEADER_WORDS)


def emit_table(rows: list[list[str]], table: int, number: int, blank: bool) -> list[Line]:
    if is_data_table(rows):
        return [
            Line(" | ".join(r), number + k, blank_before=blank and k == 0, cells=tuple(r), table=table)
            for k, r in enumerate(rows)
        ]
    # Layout tables (header, signature) are read cell by cell, left to right, row by row.
    out: list[Line] = []
    for k, row in enumerate(rows):
        previous = None
        for cell in row:
            if cell == previous:  # a merged cell repeated over the columns it spans
                continue
            previous = cell
            for part in cell.split("\n"):
                if part.strip():
                    out.append(Line(part.strip(), number + k, blank_before=not out))
    return out


# --- Word ---------------------------------------------------------------------------------------


def _read_docx(data: bytes) -> list[Line]:
    from .docx_reader import read_docx  # python-docx is only needed for Word uploads

    return read_docx(data)


# --- PDF ----------------------------------------------------------------------------------------


def _read_pdf(data: bytes, progress=None, ocr_budget: float | None = None) -> tuple[list[Line], list]:
    """The lines of a PDF's text layer, or of its pages read by OCR when it has none (a scan)."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged-file chatter is not our users' business
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PlanImportError.of("encrypted_pdf")
        count = len(reader.pages)
        from .ocr import MAX_PAGES

        if count > MAX_PAGES * 5:  # far more pages than any plan: refused before reading them
            raise PlanImportError.of("too_many_pages")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanImportError:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
        AssertionError,
        NotImplementedError,
        ZeroDivisionError,
        MemoryError,
    ) as err:
        # pypdf signals damage with many exception types; all of them mean "this file is broken".
        raise PlanImportError.of("corrupt") from err
    text = "\n".join(pages)
    scanned = []
    if sum(1 for c in text if c.isalnum()) < 30:
        from .ocr import read_scanned_pdf

        scanned = read_scanned_pdf(data, count, progress, budget=ocr_budget)
        text = "\n\n".join(page.text() for page in scanned)
    lines = text_lines(unicodedata.normalize("NFC", text))
    # A PDF's text layer is always broken at the page width, whatever _is_hard_wrapped thinks.
    lines = [Line(ln.text, ln.number, ln.bold, ln.heading, ln.blank_before, True, ln.cells, ln.table) for ln in lines]
    return lines, scanned
