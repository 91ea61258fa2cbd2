"""Recover the tables that the national portal flattens into text.

The portal's pages are scraped with their table cells glued together without separators
("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việcMiễn phí..."). Each ``parse_*``
function here cuts such a text back into rows and also says whether the rows are *lossless*:
rendering them the way the portal prints them gives back the source text (up to whitespace and
the spelling of the currency). The caller keeps the source text whenever that is not so.

Pure functions on strings; SOURCE_FORMAT.md describes the shapes they handle.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date

from cchc.procedures.records import (
    Channel,
    Document,
    LegalBasis,
    RelatedProcedure,
    Result,
    Step,
)

NO_INFO = "Không có thông tin"

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)*")


def clean_line(text: str) -> str:
    """One-line value: any run of whitespace becomes one space."""
    return " ".join(text.split())


def clean_block(text: str) -> str:
    """Multi-line value: keep line breaks (they carry the structure of steps and conditions),
    collapse spaces within lines and runs of blank lines."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def empty_if_no_info(text: str) -> str:
    return "" if text.strip() in ("", NO_INFO) else text


# --- money ------------------------------------------------------------------------------------

_CURRENCIES = {
    "việt nam đồng": "VND",
    "vnđ": "VND",
    "vnd": "VND",
    "đồng": "VND",
    "đ": "VND",
    "usd": "USD",
    "eur": "EUR",
}
_CURRENCY_WORDS = r"Việt Nam Đồng|VNĐ|VND|Đồng|USD|EUR"


def canonical_currency(word: str) -> str | None:
    return _CURRENCIES.get(word.strip().lower())


def format_amount(amount: int) -> str:
    """2000000 → "2.000.000", the Vietnamese way of grouping thousands."""
    return f"{amount:,}".replace(",", ".")


def same_text(rendered: str, source: str) -> bool:
    """Compare ignoring whitespace and the currency's spelling, which carry no information."""

    def key(text: str) -> str:
        text = re.sub(_CURRENCY_WORDS, "¤", text)
        text = re.sub(r"(?<!\d)0+(?=\d+ bản (?:chính|sao))", "", text)  # "01 bản chính" is 1
        return re.sub(r"\s+", "", text)

    return key(rendered) == key(source)


# --- "cách thức thực hiện": channels ----------------------------------------------------------

CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_CHANNEL_KINDS = {"Trực tiếp": "truc_tiep", "Trực tuyến": "truc_tuyen", "Dịch vụ bưu chính": "buu_chinh"}
_CHANNEL_LABELS = {kind: label for label, kind in _CHANNEL_KINDS.items()}
_CHANNEL_NAME = r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)"
_UNITS = {
    "ngày làm việc": "ngay_lam_viec",
    "ngày": "ngay",
    "giờ": "gio",
    "phút": "phut",
    "tuần": "tuan",
    "tháng": "thang",
    "năm": "nam",
}
_TIME = re.compile(r"(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ|Phút|Tuần|Tháng|Năm)?", re.IGNORECASE)
_FEE = re.compile(rf"Miễn phí|{NO_INFO}|(\d[\d,]*) ?({_CURRENCY_WORDS})")
_AMOUNT = re.compile(r"0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*")


def parse_time(text: str) -> tuple[float | None, str | None]:
    """ "5 Ngày làm việc" → (5, "ngay_lam_viec"); "1" → (1, None); free text → (None, None)."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        return None, None
    value = float(match.group(1).replace(",", "."))
    unit = _UNITS[match.group(2).lower()] if match.group(2) else None
    return value, unit


def parse_channels(text: str) -> tuple[list[Channel], bool]:
    """Rows of the submission-channel table, and whether they render back to ``text``."""
    if not text.startswith(CHANNEL_HEADER):
        return [], False
    body = text[len(CHANNEL_HEADER) :]
    starts = _channel_row_starts(body)
    if not starts or starts[0] != 0:
        return [], False
    segments = [body[start:end] for start, end in zip(starts, starts[1:] + [len(body)], strict=True)]
    parsed = [_parse_channel_row(segment) for segment in segments]
    # The rows of one table nearly always share their time limit, which settles a glued
    # "125 VNĐ" (1 + 25 or 12 + 5?) when another row states it plainly.
    known_times = {row.time_text for row, row_certain in parsed if row_certain and row.time_text}
    parsed = [
        (row, True) if row_certain else _parse_channel_row(segment, known_times)
        for segment, (row, row_certain) in zip(segments, parsed, strict=True)
    ]
    rows = [row for row, _ in parsed]
    certain = all(row_certain for _, row_certain in parsed)
    rendered = CHANNEL_HEADER + "".join(render_channel(row) for row in rows)
    return rows, certain and same_text(rendered, text)


def _channel_row_starts(body: str) -> list[int]:
    """A row starts with a channel name glued to a time limit: "Trực tuyến5 Ngày...".

    A few tax procedures give the time limit in words ("Không phải trả kết quả cho người nộp
    thuế"); then the first row teaches us those words. Descriptions also mention channels
    ("Trực tiếp tại Công an cấp xã"), hence the demand for a time limit right after the name.
    """
    time_start = rf"\d|{NO_INFO}"
    first = re.match(rf"{_CHANNEL_NAME}(?!{time_start})(.{{1,200}}?)(?={_FEE.pattern})", body, re.DOTALL)
    if first:
        time_start += "|" + r"\s*" + re.escape(first.group(2).strip())
    return [m.start() for m in re.finditer(rf"{_CHANNEL_NAME}(?={time_start})", body)]


def _parse_channel_row(segment: str, known_times: AbstractSet[str] = frozenset()) -> tuple[Channel, bool]:
    name = re.match(_CHANNEL_NAME, segment)
    assert name is not None  # row starts are found with the same pattern
    row = Channel(kind=_CHANNEL_KINDS[name.group(1)])
    rest = segment[name.end() :]
    rest, certain = _take_time(row, rest, known_times)
    rest = _take_fee(row, rest)
    row.description = clean_block(rest)
    return row, certain


def _take_time(row: Channel, rest: str, known_times: AbstractSet[str]) -> tuple[str, bool]:
    if rest.startswith(NO_INFO):
        return rest[len(NO_INFO) :], True
    fee = _FEE.search(rest)
    time_match = _TIME.match(rest)
    if time_match and time_match.group(2) is None and fee and fee.start() == 0:
        return _split_glued_time_and_fee(row, rest, fee, known_times)
    if time_match and (time_match.group(2) or (fee and fee.start() == time_match.end())):
        row.time_text = clean_line(time_match.group(0))
        row.time_value, row.time_unit = parse_time(row.time_text)
        return rest[time_match.end() :], True
    # A time limit in words: everything up to the fee.
    cut = fee.start() if fee else len(rest)
    row.time_text = clean_line(rest[:cut])
    return rest[cut:], True


def _split_glued_time_and_fee(
    row: Channel, rest: str, fee: re.Match[str], known_times: AbstractSet[str]
) -> tuple[str, bool]:
    """ "120 VNĐ(20.000 vnđ/tờ khai)" is time "1" glued to fee "20 VNĐ": the portal prints a
    bare number of days without a unit. A split is plausible when the amount is well formed and
    not zero (the portal prints a zero fee as "Miễn phí"). Among several, pick the one whose
    amount the bracketed note repeats or whose time another row of the table states; without
    such evidence take the shortest time and report the row as uncertain."""
    digits = fee.group(1)
    candidates = [
        k for k in range(1, len(digits)) if digits[:k].isdigit() and _AMOUNT.fullmatch(digits[k:]) and digits[k:] != "0"
    ]
    if not candidates:
        return rest, False
    if len(candidates) == 1:
        return _apply_split(row, rest, digits, candidates[0]), True
    note = _bracketed(rest[fee.end() :])
    note_numbers = [n.replace(".", "").replace(",", "") for n in re.findall(r"\d[\d.,]*", note or "")]
    for k in candidates:
        amount = digits[k:].replace(",", "")
        if digits[:k] in known_times or any(number.startswith(amount) for number in note_numbers):
            return _apply_split(row, rest, digits, k), True
    return _apply_split(row, rest, digits, candidates[0]), False


def _apply_split(row: Channel, rest: str, digits: str, k: int) -> str:
    row.time_text = digits[:k]
    row.time_value, row.time_unit = parse_time(row.time_text)
    return rest[k:]


def _take_fee(row: Channel, rest: str) -> str:
    fee = _FEE.match(rest)
    if not fee:
        return rest
    if fee.group(0) == "Miễn phí":
        row.fee_amount, row.fee_currency = 0, ""
    elif fee.group(1):
        row.fee_amount = int(fee.group(1).replace(",", ""))
        row.fee_currency = canonical_currency(fee.group(2)) or fee.group(2)
    rest = rest[fee.end() :]
    note = _bracketed(rest)
    if note is not None:
        row.fee_note = clean_block(note)
        rest = rest[len(note) + 2 :]
    return rest


def _bracketed(text: str) -> str | None:
    """The content of a balanced bracket group at the start of ``text``, else None."""
    if not text.startswith("("):
        return None
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return text[1:index]
    return None


def render_channel(row: Channel) -> str:
    """The row as the portal flattens it (used to prove a parse lossless)."""
    parts = [_CHANNEL_LABELS.get(row.kind, row.kind), row.time_text or NO_INFO, render_fee(row)]
    if row.fee_note:
        parts.append(f"({row.fee_note})")
    parts.append(row.description)
    return "".join(parts)


def render_fee(row: Channel) -> str:
    if row.fee_amount is None:
        return NO_INFO
    if row.fee_amount == 0 and not row.fee_currency:
        return "Miễn phí"
    return f"{row.fee_amount:,} {row.fee_currency}"


# --- "thành phần hồ sơ": dossier documents ----------------------------------------------------

DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# The quantity cell, "1 bản chính" or "0 bản chính,1 bản sao", glued to the name before it.
_COUNT = re.compile(r"(\d+) bản chính(?:,(\d+) bản sao)?")
_FORM_FILE = re.compile(r"\.(?:docx?|xlsx?|pdf|rar|zip|odt|rtf|png|jpe?g)", re.IGNORECASE)
_FORM_WORDS = r"Mẫu|Mau|MẪU|Phụ lục|PHỤ LỤC|Phu luc|Biểu mẫu|Bieu mau|Tờ khai|To khai"
_LONGEST_FORM_NAME = 120


def parse_documents(text: str) -> tuple[list[Document], str, bool]:
    """The dossier checklist, the note below it, and whether they render back to ``text``.

    The checklist is groups (each opened by a title and the table header) of rows; a row is
    "name" + "form file names" + "quantity"; the title of the next group is glued after the last
    quantity of the previous one.
    """
    chunks = text.split(DOCUMENT_HEADER)
    if len(chunks) < 2:
        return [], "", False
    documents: list[Document] = []
    group = _group_title(chunks[0])
    rendered = chunks[0]
    for chunk in chunks[1:]:
        rows, tail = _document_rows(chunk)
        for row in rows:
            row.group = group
        documents.extend(rows)
        rendered += DOCUMENT_HEADER + "".join(render_document(row) for row in rows) + tail
        group = _group_title(tail)
    # Text after the last quantity with no table behind it is no group title but a note below
    # the table ("(Trường hợp khai thác, sử dụng được thông tin ... )").
    return documents, group, bool(documents) and same_text(rendered, text)


def _group_title(text: str) -> str:
    title = clean_line(text)
    return "" if title == "--" else title  # the portal's placeholder for an untitled group


def _document_rows(chunk: str) -> tuple[list[Document], str]:
    rows: list[Document] = []
    position = 0
    for match in _quantity_cells(chunk):
        digits_start = _count_digits_start(chunk, match)
        rows.append(_document_row(chunk[position:digits_start], chunk[digits_start : match.end()]))
        position = match.end()
    return rows, chunk[position:]


def _quantity_cells(chunk: str) -> list[re.Match[str]]:
    cells = [m for m in _COUNT.finditer(chunk) if not _mentioned_in_name(chunk, m)]
    # Two quantities back to back: one is a cell, the other a name quoting a quantity. In
    # ": 01 bản chính0 bản chínhChứng từ" the first is spaced from the text before it, so quoted;
    # in "ma túy1 bản chính01 bản chính biên bản" the second is spaced from the text after it.
    kept: list[re.Match[str]] = []
    for match in cells:
        previous = kept[-1] if kept else None
        if previous is None or previous.end() != match.start():
            kept.append(match)
        elif chunk[previous.start() - 1 : previous.start()].isspace():
            kept[-1] = match
        elif not chunk[match.end() : match.end() + 1].isspace():
            kept.append(match)
    return kept


def _mentioned_in_name(chunk: str, match: re.Match[str]) -> bool:
    """ "(01 bản chính)", "gồm: 01 bản chính; ..." are part of a name: the quantity cell is
    glued to the text before it or to the next row, never spaced on both sides."""
    before = chunk[match.start() - 1] if match.start() else ""
    after = chunk[match.end()] if match.end() < len(chunk) else ""
    spaced_before = before.isspace() or before == "("
    spaced_after = after != "" and (after.isspace() or after in ").;,")
    return spaced_before and spaced_after


def _count_digits_start(chunk: str, match: re.Match[str]) -> int:
    """ "ngày 01/01/20261 bản chính": a year glued to the quantity. Quantities have one or two
    digits; from a longer run of digits only the last one is the quantity."""
    start = match.start(1)
    return start if len(match.group(1)) <= 2 else match.end(1) - 1


def _document_row(name_and_forms: str, quantity: str) -> Document:
    count = _COUNT.fullmatch(quantity)
    assert count is not None
    name, forms = split_forms(name_and_forms)
    return Document(
        name=clean_block(name),
        originals=int(count.group(1)),
        copies=int(count.group(2) or 0),
        forms=forms,
    )


def split_forms(text: str) -> tuple[str, list[str]]:
    """Separate the form files ("Mẫu số 01.docx") glued after a document's name."""
    ends = [m.end() for m in _FORM_FILE.finditer(text)]
    if not ends or ends[-1] != len(text.rstrip()):
        return text, []
    chain = [ends[-1]]
    for end in reversed(ends[:-1]):
        between = text[end : chain[0]]
        if len(between) > _LONGEST_FORM_NAME or "\n" in between:
            break
        chain.insert(0, end)
    first_start = _form_name_start(text, chain[0])
    if first_start is None:
        return text, []
    starts = [first_start] + chain[:-1]
    forms = [clean_line(text[start:end]) for start, end in zip(starts, chain, strict=True)]
    return text[:first_start], forms


def _form_name_start(text: str, first_end: int) -> int | None:
    """Where the first file name begins: after the punctuation closing the document's name
    ("...NĐ-CP;Mẫu số 01.docx"), before a form word glued to it ("NĐ-CPMẫu số 07.docx"), or,
    failing those, at a lower/upper-case seam ("theo mẫuDon_TT1.000672.docx")."""
    name_end = next(m.start() for m in _FORM_FILE.finditer(text) if m.end() == first_end)
    window_start = max(0, name_end - _LONGEST_FORM_NAME)
    strong = [m.end() for m in _STRONG_SEAM.finditer(text, window_start, name_end)]
    strong = [seam for seam in strong if re.search(r"\w", text[seam:name_end])]
    if strong:
        return _skip_spaces(text, strong[-1])
    case_seam = _case_seam(text, window_start, name_end)
    if case_seam is not None:
        return case_seam
    # No seam: a row that is only a file name starts with a form word; otherwise the file name is
    # glued lower case to lower case ("theo mẫuvăn bản.docx") and stays in the name, unsplit.
    return 0 if window_start == 0 and re.match(_FORM_WORDS, text) else None


# Seams where a file name is glued to the document's name: punctuation closing the name
# ("chứng.Mẫu", "BNNMT;Mus01", "(Mẫu số 01/BĐS)01 BĐS.docx", "theo mẫu.1.003894.docx") but not a
# decimal point ("36.2025.TT", "Mẫu I.1.8.b") nor a spaced sentence in a file name ("Mau 18. Don"); a
# form word glued to the name ("NĐ-CPMẫu", "01 bộMẫu") but not inside brackets ("(Mẫu số 01)");
# a date glued to anything ("ngày 15/5/2024Mus02.docx").
_STRONG_SEAM = re.compile(
    r"[;:]\s*"
    r"|(?<=[^\d\s])\.(?=[^\s\d.,;:)])|(?<=[^\W\d_]|\))(?<![A-ZĐ])\.(?=\d)"
    r"|(?<=[^\s])[)\]”](?=[^\s.,;:)\-_])"
    rf"|(?<=[^\s\-_(])(?={_FORM_WORDS})"
    r"|(?<=/\d{4})(?=[^\W\d_])"
)


def _skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _case_seam(text: str, start: int, end: int) -> int | None:
    """The nearest lower/upper-case seam; in a spaceless word ("mẫuMauBankhai") the first one,
    since file names are often written in CamelCase. (str methods, not regex ranges: Vietnamese
    capitals and small letters interleave in Unicode.)"""
    seams = [
        i
        for i in range(max(start, 1), end)
        if text[i].isupper() and (text[i - 1].islower() or (text[i - 1].isupper() and text[i + 1].islower()))
    ]
    if not seams:
        return None
    word_start = text.rfind(" ", start, seams[-1]) + 1
    return next(seam for seam in seams if seam >= word_start)


def render_document(document: Document) -> str:
    return document.name + "".join(document.forms) + render_quantity(document)


def render_quantity(document: Document) -> str:
    copies = f",{document.copies} bản sao" if document.copies else ""
    return f"{document.originals} bản chính{copies}"


# --- "căn cứ pháp lý": legal bases -------------------------------------------------------------

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"


def _vietnamese_letters() -> str:
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    vowels = {unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in tones}
    return "".join(sorted(vowels)) + "bcdđfghjklmnpqrstvwxz"


_LOWER = _vietnamese_letters()
_UPPER = _LOWER.upper()
_ISSUERS = {
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "CTN": "Chủ tịch nước",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "QH": "Quốc hội",
    "BTC": "Bộ Tài chính",
    "BCA": "Bộ Công an",
    "BQP": "Bộ Quốc phòng",
    "BXD": "Bộ Xây dựng",
    "BTP": "Bộ Tư pháp",
    "BNG": "Bộ Ngoại giao",
    "BNV": "Bộ Nội vụ",
    "BYT": "Bộ Y tế",
    "BCT": "Bộ Công Thương",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BGTVT": "Bộ Giao thông vận tải",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BDTTG": "Bộ Dân tộc và Tôn giáo",
    "UBDT": "Ủy ban Dân tộc",
    "TTCP": "Thanh tra Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "KTNN": "Kiểm toán nhà nước",
    "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao",
    "HĐTP": "Hội đồng Thẩm phán Tòa án nhân dân tối cao",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
}

# "98/2024/NĐ-CP", "27/2023/QH15", "09/2023/QĐ-TTg", "20/2013/TTLT-BYT-BCT-BNNPTNT". The number
# is glued to the next title, so a part of the issuer code ends at a known code ("TT-BCAQUY ĐỊNH"),
# after a legislature's two digits ("QH1451/2019/QH14"), or where a glued word begins
# ("NĐ-CPNghị định", "TT-BTCsửa đổi"); digits followed by "/" start the next number.
_KNOWN_CODE_PARTS = ["NĐ", "TTLT", "TT", "QĐ", "NQ", "VBHN", "CT", "PL", "HD", "TTg"] + [
    key for key in _ISSUERS if key not in ("QH", "UBTVQH")
]
_WORD_BEGINS = rf"[^{_LOWER}{_UPPER}]|[{_UPPER}][{_LOWER}]|[{_LOWER}]|$"
_GENERIC_CODE_PART = rf"[A-ZĐ]+?(?:\d{{1,2}}(?![\d/]))?(?={_WORD_BEGINS})"
_CODE_PART = (
    r"(?:(?:UBTVQH|QH)\d{2}|" + "|".join(sorted(_KNOWN_CODE_PARTS, key=len, reverse=True)) + rf"|{_GENERIC_CODE_PART})"
)
_DOC_NUMBER = rf"\d{{1,4}}(?:\.\d{{1,3}})?[a-zA-Z]?/(?:\d{{4}}/)?{_CODE_PART}(?:[-/]{_CODE_PART})*"
_DOC_KIND = r"Luật|Bộ luật|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Pháp lệnh|Chỉ thị"
_LEGAL_CODE = re.compile(rf"(?:(?:{_DOC_KIND})(?: số)? )?{_DOC_NUMBER}")


def parse_legal_bases(text: str) -> tuple[list[LegalBasis], bool]:
    """Rows of "title" + "number", glued: "Luật Quản lý thuế38/2019/QH14Nghị định ...".

    The number column is recognised by being glued to the title before it, and followed by the
    next title or the end; numbers quoted inside a title are spaced ("theo Nghị định số
    98/2024/NĐ-CP ngày ..."). Titles are never empty: in "...NĐ-CPNghị định 08/2015/NĐ-CP08/2015/
    NĐ-CP" the first number glued to the previous row is the next row's title.
    """
    if not text.startswith(LEGAL_HEADER):
        return [], False
    body = text[len(LEGAL_HEADER) :]
    bases: list[LegalBasis] = []
    position = previous_end = 0
    for match in _LEGAL_CODE.finditer(body):
        start = _glued_code_start(body, match, previous_end)
        previous_end = match.end()
        if start is None or start <= position or not _ends_a_row(body, match.end()):
            continue
        title = clean_line(body[position:start])
        number = clean_line(body[start : match.end()])
        bases.append(legal_basis(number, title))
        position = match.end()
    rendered = "".join(basis.title + basis.number for basis in bases) + body[position:]
    return bases, bool(bases) and not body[position:].strip() and same_text(rendered, body)


def _glued_code_start(body: str, match: re.Match[str], previous_end: int) -> int | None:
    start = match.start()
    before = body[start - 1] if start else ""
    if before == "" or before in "(“\"'":
        return None
    if before.isspace():
        # A spaced number is quoted in a title, unless the next title is glued to it or it ends
        # the text ("...trên cạn \nThông tư số 01/2026/TT-BNNMTLuật Thú y").
        after = body[match.end() : match.end() + 1]
        return start if after == "" or after.isalpha() else None
    if before.isdigit() and previous_end != start:
        # "ngày 29/6/202443/2024/QH15", "sửa đổi 202323/2023/QH15": a year glued to the number.
        digits = re.search(r"\d+$", body[:start])
        assert digits is not None
        if not re.match(r"(?:19|20)\d\d\d", body[digits.start() :]):
            return None
        return digits.start() + 4
    return start


def _ends_a_row(body: str, end: int) -> bool:
    """A number column ends the row: the text ends, or the next title follows, glued or spaced
    ("...NQ-CP Thông tư ..."); "... 146/2025/QH15 ngày 11/12/2025" is a title quoting it."""
    rest = body[end : end + 2]
    return rest == "" or not rest[0].isspace() or rest.strip() == "" or not rest[1].islower()


def legal_basis(number: str, title: str) -> LegalBasis:
    return LegalBasis(number=number, title=title, issued_on=issue_date(number, title), issuer=issuer(number))


def issuer(number: str) -> str:
    """The issuing body read from the number's suffix: "TTLT-BYT-BCT" → "Bộ Y tế, Bộ Công Thương"."""
    match = re.search(r"/([A-ZĐ][A-Za-zĐ0-9\-]*)$", number)
    if not match:
        return ""
    names = []
    for part in match.group(1).split("-"):
        name = _ISSUERS.get(re.sub(r"\d+$", "", part))
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


_DATE = re.compile(r"ngày\s+(\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)(\d{1,2})\s*(?:/|-|\.|\s+năm\s+)(\d{4})")


def issue_date(number: str, title: str) -> str | None:
    """The date the title gives for this document ("... 98/2024/NĐ-CP ngày 25/7/2024 ...").

    Titles also cite other documents with their dates. A date counts when its year is the
    number's year and it follows the number in the title within a short clause, or, when the
    title does not repeat the number, when the title cites no other document at all.
    """
    year = re.search(r"/(\d{4})/", number)
    if not year:
        return None
    bare_number = re.sub(rf"^(?:{_DOC_KIND})(?: số)? ", "", number)
    cited = title.find(bare_number)
    if cited >= 0:
        window = title[cited + len(bare_number) : cited + len(bare_number) + 80]
    elif re.search(_DOC_NUMBER, title):
        return None
    else:
        window = title
    for match in _DATE.finditer(window):
        day, month, match_year = (int(part) for part in match.groups())
        if match_year == int(year.group(1)):
            try:
                return date(match_year, month, day).isoformat()
            except ValueError:
                return None
    return None


# --- "kết quả": results ------------------------------------------------------------------------

# The portal's "submit online" widget is scraped along with the results; it only tells us that
# the portal offers online submission for this procedure.
_SUBMIT_WIDGET = "Chọn cơ quan thực hiện"
# Codes look like "KQ.G10.000272", "000.00.00.G04-KQ003510", "TP-G12.00011112"; the next name is
# glued after the last digit.
_RESULT_CODE = re.compile(r"Mã: ([A-Z0-9.\-]*\d)(?!\d)")
_RESULT_TAIL = re.compile(r"Từ khóa(.*?)Mô tả(.*)", re.DOTALL)


@dataclass
class ParsedResults:
    results: list[Result]
    keywords: str
    description: str
    online_submission_offered: bool
    lossless: bool


def parse_results(text: str) -> ParsedResults:
    """ "Name" + "Mã: KQ.G10.000272", repeated, then "Từ khóa" + keywords + "Mô tả" + description."""
    widget = text.find(_SUBMIT_WIDGET)
    offered = widget >= 0 and "Nộp hồ sơ" in text[widget:]
    body = text[:widget] if widget >= 0 else text
    results: list[Result] = []
    position = 0
    for match in _RESULT_CODE.finditer(body):
        results.append(Result(name=clean_line(body[position : match.start()]), code=match.group(1)))
        position = match.end()
    keywords = description = ""
    tail = _RESULT_TAIL.fullmatch(body, position)
    if tail:
        keywords = clean_line(empty_if_no_info(tail.group(1)))
        description = clean_block(empty_if_no_info(tail.group(2)))
        position = len(body)
    rendered = "".join(f"{r.name}Mã: {r.code}" for r in results)
    if tail:
        rendered += f"Từ khóa{keywords or NO_INFO}Mô tả{description or NO_INFO}"
    lossless = bool(results) and position == len(body) and same_text(rendered, body)
    return ParsedResults(results, keywords, description, offered, lossless)


# --- "thủ tục liên quan": related procedures ----------------------------------------------------

_RELATED_CARD = re.compile(r"#(\d+)Tên thủ tục")


def parse_related(text: str) -> tuple[list[RelatedProcedure], bool]:
    """ "#Tên thủ tục1Name#1Tên thủ tụcName": a table, then the same rows as cards (the portal's
    phone layout). The cards are unambiguous, so they are read; the table must agree."""
    if not text.startswith("#Tên thủ tục"):
        return [], False
    cards = _RELATED_CARD.split(text)[1:]
    related = [RelatedProcedure(name=clean_line(name)) for name in cards[1::2]]
    rows = list(zip(cards[0::2], related, strict=True))
    table = "".join(f"{number}{row.name}" for number, row in rows)
    cards_text = "".join(f"#{number}Tên thủ tục{row.name}" for number, row in rows)
    return related, bool(related) and same_text("#Tên thủ tục" + table + cards_text, text)


# --- "trình tự thực hiện": steps ----------------------------------------------------------------

# "Bước 1: ...", "a) Bước 2. ...", "- Bước 3 - ...", "2.1.1. Bước 1 ..." at the start of a line.
# Mid-line mentions ("theo quy định tại Bước 6") are references, not steps.
_STEP_MARKER = re.compile(
    r"^[ \t]*(?:(?:[a-zđ]\)|[-+*•]|\d+(?:\.\d+)*\.?)[ \t]*)?Bước[ \t]*(\d+)[ \t]*[:.\-–)]?[ \t]*", re.M
)
_LONGEST_STEP_TITLE = 200


def parse_steps(text: str) -> tuple[list[Step], bool]:
    """Numbered steps, each with its heading line as title; text before the first step becomes
    an unnumbered step. No marker: no steps, the caller keeps the text."""
    markers = list(_STEP_MARKER.finditer(text))
    if not markers:
        return [], False
    steps: list[Step] = []
    intro = clean_block(text[: markers[0].start()])
    if intro:
        steps.append(Step(number=None, title="", text=intro))
    ends = [m.start() for m in markers[1:]] + [len(text)]
    for marker, end in zip(markers, ends, strict=True):
        steps.append(_step(int(marker.group(1)), text[marker.end() : end]))
    rendered = "".join(render_step(step) for step in steps)
    return steps, same_text(_STEP_MARKER.sub(_bare_marker, rendered), _STEP_MARKER.sub(_bare_marker, text))


def _step(number: int, body: str) -> Step:
    title, _, rest = body.strip().partition("\n")
    if len(clean_line(title)) > _LONGEST_STEP_TITLE:
        return Step(number=number, title="", text=clean_block(body))
    return Step(number=number, title=clean_line(title), text=clean_block(rest))


def _bare_marker(match: re.Match[str]) -> str:
    # The marker's decoration ("a) ", ":" or ".") carries nothing worth keeping.
    return f"Bước {match.group(1)}:"


def render_step(step: Step) -> str:
    if step.number is None:
        lines = [step.title, step.text]
    elif step.title:
        lines = [f"Bước {step.number}: {step.title}", step.text]
    else:
        lines = [f"Bước {step.number}: {step.text}"]  # a heading too long to be a title
    return "\n".join(line for line in lines if line) + "\n"
