"""Read and write procedure catalogues: portal JSON lines, our JSON lines, CSV and XLSX.

Every reader returns the procedures it could read and a list of ``RowError(row, field, message)``
with Vietnamese messages; the import refuses a file with any error, so readers go on after a bad
row to report them all. The CSV/XLSX layout is documented in IMPORT_FORMAT.md; the writers
produce it, and reading back what they wrote gives equal ``ProcedureData``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, NamedTuple

from cchc.lib.text import fold, nfc
from cchc.procedures.parsing import PORTAL_KEYS, level_code, parse_record, split_list
from cchc.procedures.records import (
    CHANNELS,
    LEVELS,
    ONLINE_LEVELS,
    Channel,
    Document,
    LegalBasis,
    ProcedureData,
    RelatedProcedure,
    Result,
)
from cchc.procedures.tables import (
    canonical_currency,
    clean_block,
    clean_line,
    format_amount,
    issue_date,
    issuer,
    parse_steps,
    parse_time,
    render_step,
)


class RowError(NamedTuple):
    """``row`` is the row number the user sees (spreadsheet row, header = 1; JSON-lines line);
    0 means the file as a whole."""

    row: int
    field: str
    message: str


@dataclass
class ReadResult:
    procedures: list[ProcedureData] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The row each procedure was read from, so later checks can name it.
    rows: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class CellError(ValueError):
    """A cell that does not follow IMPORT_FORMAT.md; the message is shown to the user."""


def _column(name: str) -> str:
    """ "Mã thủ tục", "ma thu tuc" and "ma_thu_tuc" name the same column."""
    return fold(name).replace(" ", "_").strip("_")


# --- columns --------------------------------------------------------------------------------

# Column name → (reader into a field-value dict, writer from ProcedureData). The names are the
# national database's keys where it has one, so a clerk who knows the portal knows the layout.
Reader = Callable[[str], dict[str, Any]]
Writer = Callable[[ProcedureData], str]


def _text(attribute: str, block: bool = False) -> tuple[Reader, Writer]:
    clean = clean_block if block else clean_line
    return (lambda cell: {attribute: clean(cell)}), (lambda data: getattr(data, attribute))


def _list(attribute: str) -> tuple[Reader, Writer]:
    return (lambda cell: {attribute: read_list(cell)}), (lambda data: "\n".join(getattr(data, attribute)))


def _lines(attribute: str, read_line: Callable[[list[str]], Any], write_item: Callable[[Any], str]):
    def reader(cell: str) -> dict[str, Any]:
        lines = enumerate(_cell_lines(cell), start=1)
        return {attribute: [_with_line(number, read_line, _split_pipes(line)) for number, line in lines]}

    return reader, (lambda data: "\n".join(write_item(item) for item in getattr(data, attribute)))


def _read_levels(cell: str) -> dict[str, Any]:
    levels = []
    for label in re.split(r"[,;\n]", cell):
        if label.strip():
            code = level_code(label)
            if code is None:
                allowed = ", ".join(LEVELS.values())
                raise CellError(f"Cấp thực hiện không hợp lệ «{clean_line(label)}» (dùng: {allowed})")
            levels.append(code)
    return {"levels": levels}


def _read_online_level(cell: str) -> dict[str, Any]:
    folded = fold(cell).replace(" ", "_")
    if not folded:
        return {"online_level": None}
    for code, label in ONLINE_LEVELS.items():
        if folded in (code, fold(label).replace(" ", "_")):
            return {"online_level": code}
    raise CellError("Mức độ dịch vụ công trực tuyến phải là «Toàn trình», «Một phần» hoặc để trống")


def _read_bool(cell: str) -> dict[str, Any]:
    folded = fold(cell)
    if folded in ("", "khong", "0", "false", "no"):
        return {"online_submission_offered": False}
    if folded in ("co", "x", "1", "true", "yes"):
        return {"online_submission_offered": True}
    raise CellError("Giá trị phải là «Có» hoặc «Không»")


def _read_url(cell: str) -> dict[str, Any]:
    url = cell.strip()
    if url and not re.match(r"https?://\S+$", url):
        raise CellError("Địa chỉ phải bắt đầu bằng http:// hoặc https://")
    return {"portal_url": url}


def _read_steps(cell: str) -> dict[str, Any]:
    steps, _ = parse_steps(nfc(cell).replace("\r", ""))
    if cell.strip() and not steps:
        # Steps written as free text, without "Bước 1:", are kept as text.
        return {"steps": [], _FREE_STEPS: clean_block(cell)}
    return {"steps": steps}


_FREE_STEPS = "free steps"


def _write_steps(data: ProcedureData) -> str:
    return "".join(render_step(step) for step in data.steps).strip()


def _read_documents(cell: str) -> dict[str, Any]:
    documents: list[Document] = []
    group = ""
    for number, line in enumerate(_cell_lines(cell), start=1):
        if line.startswith("##"):
            group = clean_line(_unescape(line[2:]))
            continue
        parts = _split_pipes(line)
        documents.append(_with_line(number, _read_document, parts, group))
    return {"documents": documents}


def _read_document(parts: list[str], group: str) -> Document:
    # A row without a name is allowed: the portal has a few (a quantity and nothing else).
    name, originals, copies, forms = _fields(parts, 4, "tên | bản chính | bản sao | mẫu đơn")
    return Document(
        name=clean_block(name),
        originals=_count(originals, "số bản chính"),
        copies=_count(copies, "số bản sao"),
        forms=[clean_line(form) for form in forms.split(";") if form.strip()],
        group=group,
    )


def _write_documents(data: ProcedureData) -> str:
    lines: list[str] = []
    group = ""
    for document in data.documents:
        if document.group != group:
            group = document.group
            lines.append("## " + _escape(group))
        parts = [document.name, str(document.originals), str(document.copies), ";".join(document.forms)]
        lines.append(_join_pipes(parts))
    return "\n".join(lines)


def _read_channel(parts: list[str]) -> Channel:
    layout = "hình thức | thời hạn | phí | ghi chú phí | mô tả"
    kind, time_text, fee, note, description = _fields(parts, 5, layout)
    channel = Channel(kind=_channel_kind(kind), time_text=clean_line(time_text))
    channel.time_value, channel.time_unit = parse_time(channel.time_text)
    channel.fee_amount, channel.fee_currency = _fee(fee)
    channel.fee_note = clean_block(note)
    channel.description = clean_block(description)
    return channel


def _write_channel(channel: Channel) -> str:
    if channel.fee_amount is None:
        fee = ""
    elif channel.fee_amount == 0 and not channel.fee_currency:
        fee = "Miễn phí"
    else:
        fee = f"{format_amount(channel.fee_amount)} {channel.fee_currency}"
    parts = [channel.label, channel.time_text, fee, channel.fee_note, channel.description]
    return _join_pipes(parts)


def _read_legal_basis(parts: list[str]) -> LegalBasis:
    layout = "số hiệu | tên | ngày ban hành | cơ quan ban hành"
    number, title, issued_on, issued_by = _fields(parts, 4, layout)
    number, title = clean_line(number), clean_line(title)
    if not number:
        raise CellError("thiếu số hiệu văn bản")
    return LegalBasis(
        number=number,
        title=title,
        issued_on=_date(issued_on) if issued_on.strip() else issue_date(number, title),
        issuer=clean_line(issued_by) or issuer(number),
    )


def _write_legal_basis(basis: LegalBasis) -> str:
    issued_on = date.fromisoformat(basis.issued_on).strftime("%d/%m/%Y") if basis.issued_on else ""
    return _join_pipes([basis.number, basis.title, issued_on, basis.issuer])


def _read_result(parts: list[str]) -> Result:
    name, code = _fields(parts, 2, "tên kết quả | mã")
    if not name:
        raise CellError("thiếu tên kết quả")
    return Result(name=clean_line(name), code=clean_line(code))


def _read_related(parts: list[str]) -> RelatedProcedure:
    code, name = _fields(parts, 2, "mã | tên thủ tục")
    if not (code.strip() or name.strip()):
        raise CellError("thiếu mã hoặc tên thủ tục")
    return RelatedProcedure(code=clean_line(code), name=clean_line(name))


COLUMNS: dict[str, tuple[Reader, Writer]] = {
    "ma_thu_tuc": _text("code"),
    "ten_thu_tuc": _text("name"),
    "so_quyet_dinh": _text("decision_number"),
    "cap_thuc_hien": (_read_levels, lambda data: "\n".join(LEVELS.get(x, x) for x in data.levels)),
    "loai_thu_tuc": _text("procedure_type"),
    "linh_vuc": _text("field"),
    "doi_tuong_thuc_hien": _list("target_groups"),
    "co_quan_co_tham_quyen": _list("competent_agencies"),
    "co_quan_thuc_hien": _list("implementing_agencies"),
    "co_quan_phoi_hop": _list("coordinating_agencies"),
    "co_quan_duoc_uy_quyen": _list("authorized_agencies"),
    "dia_chi_tiep_nhan": _text("receiving_address", block=True),
    "trinh_tu_thuc_hien": (_read_steps, _write_steps),
    "trinh_tu_thuc_hien_nguyen_van": _text("steps_text", block=True),
    "cach_thuc_thuc_hien": _lines("channels", _read_channel, _write_channel),
    "cach_thuc_thuc_hien_nguyen_van": _text("channels_text", block=True),
    "thanh_phan_ho_so": (_read_documents, _write_documents),
    "thanh_phan_ho_so_ghi_chu": _text("documents_note", block=True),
    "thanh_phan_ho_so_nguyen_van": _text("documents_text", block=True),
    "can_cu_phap_ly": _lines("legal_bases", _read_legal_basis, _write_legal_basis),
    "can_cu_phap_ly_nguyen_van": _text("legal_bases_text", block=True),
    "yeu_cau_dieu_kien": _text("conditions", block=True),
    "ket_qua_xu_ly": _lines("results", _read_result, lambda r: _join_pipes([r.name, r.code])),
    "tu_khoa": _text("result_keywords"),
    "mo_ta_ket_qua": _text("result_description", block=True),
    "ket_qua_xu_ly_nguyen_van": _text("results_text", block=True),
    "thu_tuc_lien_quan": _lines("related_procedures", _read_related, lambda r: _join_pipes([r.code, r.name])),
    "thu_tuc_lien_quan_nguyen_van": _text("related_procedures_text", block=True),
    "muc_do_dvc": (_read_online_level, lambda data: ONLINE_LEVELS.get(data.online_level or "", "")),
    "nop_truc_tuyen": (_read_bool, lambda data: "Có" if data.online_submission_offered else "Không"),
    "duong_dan": (_read_url, lambda data: data.portal_url),
    "nguon": _text("source_group"),
}
REQUIRED_COLUMNS = ("ma_thu_tuc", "ten_thu_tuc")

# "truc_tiep", "Trực tiếp", "Dịch vụ bưu chính", "bưu chính" ... → kind
_CHANNEL_NAMES = {
    name: kind
    for kind, label in CHANNELS.items()
    for name in (kind, _column(label), _column(label.removeprefix("Dịch vụ ")))
}


# --- cell syntax ----------------------------------------------------------------------------


def read_list(cell: str) -> list[str]:
    """One item a line; a line may also hold the portal's comma-separated form."""
    return [item for line in _cell_lines(cell) for item in split_list(line)]


def _cell_lines(cell: str) -> list[str]:
    return [line.strip() for line in nfc(cell).replace("\r", "").split("\n") if line.strip()]


def _split_pipes(line: str) -> list[str]:
    """Fields separated by "|"; "\\|" is a literal bar, "\\n" a line break, "\\\\" a backslash,
    "\\#" a "#" that does not start a group title."""
    parts = [""]
    for piece in _PIPE_TOKEN.findall(line):
        if piece == "|":
            parts.append("")
        else:
            parts[-1] += piece
    return [_unescape(part).strip() for part in parts]


_PIPE_TOKEN = re.compile(r"\\.|[^|\\]+|\||\\")
_ESCAPES = {"n": "\n", "|": "|", "\\": "\\", "#": "#"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _escape(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n")
    # A leading "#" would read as a group title ("## ...") in the documents cell.
    return "\\" + escaped if escaped.startswith("#") else escaped


def _join_pipes(parts: list[str]) -> str:
    # Trailing empty fields are dropped so a hand-written "Giấy tờ | 1" reads the same.
    while parts and not parts[-1]:
        parts = parts[:-1]
    return " | ".join(_escape(part) for part in parts)


def _fields(parts: list[str], count: int, layout: str) -> list[str]:
    if len(parts) > count:
        raise CellError(f"có {len(parts)} phần, tối đa {count} ({layout})")
    return parts + [""] * (count - len(parts))


def _with_line(number: int, read: Callable[..., Any], *args: Any) -> Any:
    try:
        return read(*args)
    except CellError as error:
        raise CellError(f"Dòng {number} trong ô: {error}") from None


def _count(text: str, what: str) -> int:
    text = text.strip()
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()):
        raise CellError(f"{what} phải là số nguyên không âm, không phải «{text}»")
    return int(text)


def _fee(text: str) -> tuple[int | None, str]:
    text = clean_line(text)
    if not text or fold(text) == "khong co thong tin":
        return None, ""
    if fold(text) == "mien phi":
        return 0, ""
    match = re.fullmatch(r"(\d[\d.,\s]*)\s*(Việt Nam Đồng|VNĐ|VND|đồng|đ|USD|EUR)?", text, re.IGNORECASE)
    if not match:
        expected = "«Miễn phí», một số tiền (như «50.000 đồng») hoặc để trống"
        raise CellError(f"phí phải là {expected}, không phải «{text}»")
    currency = canonical_currency(match.group(2)) if match.group(2) else "VND"
    return int(re.sub(r"\D", "", match.group(1))), currency or "VND"


def _channel_kind(text: str) -> str:
    kind = _CHANNEL_NAMES.get(_column(text))
    if kind is None:
        raise CellError(f"hình thức nộp «{clean_line(text)}» không hợp lệ (dùng: {', '.join(CHANNELS.values())})")
    return kind


def _date(text: str) -> str:
    text = text.strip()
    try:
        if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1))).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise CellError(f"ngày ban hành «{text}» không hợp lệ (dd/mm/yyyy)")


# --- validation shared by every reader ------------------------------------------------------

_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._\-]{0,63}")


def validate(data: ProcedureData) -> list[tuple[str, str]]:
    """(column, message) for what no catalogue may hold, whatever file it came from."""
    problems: list[tuple[str, str]] = []
    if not data.code:
        problems.append(("ma_thu_tuc", "Thiếu mã thủ tục"))
    elif not _CODE.fullmatch(data.code):
        problems.append(("ma_thu_tuc", "Mã thủ tục chỉ gồm chữ, số và các dấu . - _ (tối đa 64 ký tự)"))
    if not data.name:
        problems.append(("ten_thu_tuc", "Thiếu tên thủ tục"))
    unknown = [level for level in data.levels if level not in LEVELS]
    if unknown:
        problems.append(("cap_thuc_hien", f"Cấp thực hiện không hợp lệ: {', '.join(unknown)}"))
    if data.online_level is not None and data.online_level not in ONLINE_LEVELS:
        problems.append(("muc_do_dvc", "Mức độ dịch vụ công trực tuyến không hợp lệ"))
    if data.portal_url and not re.match(r"https?://\S+$", data.portal_url):
        problems.append(("duong_dan", "Địa chỉ phải bắt đầu bằng http:// hoặc https://"))
    return problems


def _check(result: ReadResult, row: int, data: ProcedureData, seen: dict[str, int]) -> None:
    problems = validate(data)
    if data.code in seen:
        problems.append(("ma_thu_tuc", f"Mã thủ tục {data.code} trùng với dòng {seen[data.code]}"))
    for column, message in problems:
        result.errors.append(RowError(row, column, message))
    if not problems:
        seen[data.code] = row
        result.procedures.append(data)
        result.rows.append(row)


# --- JSON lines -----------------------------------------------------------------------------


def read_jsonl(source: str | Path | IO[bytes]) -> ReadResult:
    """Portal records (keyed "ma_thu_tuc") or our own export (``ProcedureData.to_dict``, keyed
    "code"), one JSON object a line; blank lines are skipped."""
    result = ReadResult()
    seen: dict[str, int] = {}
    with _open_binary(source) as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                result.errors.append(RowError(number, "", "Dòng không phải văn bản UTF-8"))
                continue
            if not line.strip():
                continue
            data = _json_line(line, number, result)
            if data is not None:
                _check(result, number, data, seen)
    return result


def _json_line(line: str, number: int, result: ReadResult) -> ProcedureData | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        message = f"Dòng không phải JSON hợp lệ ({error.msg}, cột {error.colno})"
        result.errors.append(RowError(number, "", message))
        return None
    if not isinstance(record, dict):
        result.errors.append(RowError(number, "", "Mỗi dòng phải là một đối tượng JSON {...}"))
        return None
    if "ma_thu_tuc" in record:
        return _portal_record(record, number, result)
    if "code" in record:
        return _exported_record(record, number, result)
    result.errors.append(RowError(number, "ma_thu_tuc", "Thiếu mã thủ tục (khóa «ma_thu_tuc» hoặc «code»)"))
    return None


def _portal_record(record: dict[str, Any], number: int, result: ReadResult) -> ProcedureData | None:
    wrong = [key for key in PORTAL_KEYS if record.get(key) is not None and not isinstance(record[key], str)]
    for key in wrong:
        result.errors.append(RowError(number, key, "Giá trị phải là chuỗi văn bản"))
    return None if wrong else parse_record(record)


def _exported_record(record: dict[str, Any], number: int, result: ReadResult) -> ProcedureData | None:
    try:
        return ProcedureData.from_dict(record)
    except (TypeError, ValueError) as error:
        result.errors.append(RowError(number, "", f"Bản ghi không đúng cấu trúc xuất của cchc: {error}"))
        return None


def write_jsonl(procedures: Iterable[ProcedureData], target: IO[str]) -> None:
    """Our own lossless form (``ProcedureData.to_dict``), read back by ``read_jsonl``."""
    for data in procedures:
        target.write(json.dumps(data.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")


# --- CSV and XLSX ---------------------------------------------------------------------------


def read_csv(source: str | Path | IO[bytes]) -> ReadResult:
    """UTF-8 (with or without BOM), separated by "," or ";" (Excel in Vietnamese locale)."""
    with _open_binary(source) as stream:
        payload = stream.read()
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ReadResult(errors=[RowError(0, "", "Tệp CSV phải lưu dạng UTF-8 (Excel: «CSV UTF-8»)")])
    header_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: sum(_column(c) in COLUMNS for c in header_line.split(d)))
    from cchc.lib.xlsx import csv_value

    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return read_rows([[csv_value(cell) for cell in row] for row in rows])


def read_xlsx(source: str | Path | IO[bytes]) -> ReadResult:
    """The first sheet; row 1 is the header."""
    from openpyxl import load_workbook  # only XLSX imports pay for loading openpyxl

    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises a zoo of types (zipfile, KeyError, XML) on a bad file
        message = "Không đọc được tệp XLSX (tệp hỏng hoặc không phải Excel)"
        return ReadResult(errors=[RowError(0, "", message)])
    try:
        values = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
    result = read_rows([[_xlsx_cell(value) for value in row] for row in values])
    result.errors.extend(_numeric_codes(values))
    result.errors.sort(key=lambda error: error.row)
    return result


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _numeric_codes(values: list[list[Any]]) -> list[RowError]:
    """A code typed into a number cell has lost its zeros already ("1.000100" is 1.0001)."""
    if not values:
        return []
    header = [_column(str(cell or "")) for cell in values[0]]
    if "ma_thu_tuc" not in header:
        return []
    index = header.index("ma_thu_tuc")
    message = "Mã thủ tục phải nhập ở ô định dạng văn bản (Text), ô số làm mất chữ số 0"
    return [
        RowError(number, "ma_thu_tuc", message)
        for number, row in enumerate(values[1:], start=2)
        if index < len(row) and isinstance(row[index], int | float)
    ]


def read_rows(rows: Iterable[list[str]]) -> ReadResult:
    """Rows of cells, the first one naming the columns (case and accents ignored)."""
    result = ReadResult()
    iterator = iter(rows)
    columns = _header(next(iterator, None), result)
    if not result.ok:
        return result
    seen: dict[str, int] = {}
    for number, cells in enumerate(iterator, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        data = _row(cells, columns, number, result)
        if data is not None:
            _check(result, number, data, seen)
    return result


def _header(cells: list[str] | None, result: ReadResult) -> list[str | None]:
    if not cells or not any(cell.strip() for cell in cells):
        result.errors.append(RowError(1, "", "Tệp trống: dòng 1 phải là dòng tên cột"))
        return []
    columns: list[str | None] = []
    for cell in cells:
        name = _column(cell)
        if name and name not in COLUMNS:
            result.errors.append(RowError(1, cell, f"Cột «{cell}» không có trong mẫu (xem IMPORT_FORMAT.md)"))
        elif name and name in columns:
            result.errors.append(RowError(1, cell, f"Cột «{cell}» xuất hiện hai lần"))
        columns.append(name if name in COLUMNS and name not in columns else None)
    for required in REQUIRED_COLUMNS:
        if required not in columns:
            result.errors.append(RowError(1, required, f"Thiếu cột bắt buộc «{required}»"))
    return columns


def _row(cells: list[str], columns: list[str | None], number: int, result: ReadResult) -> ProcedureData | None:
    values: dict[str, Any] = {"code": "", "name": ""}
    errors_before = len(result.errors)
    for column, cell in zip(columns, cells, strict=False):
        if column is None:
            continue
        try:
            values.update(COLUMNS[column][0](nfc(cell).replace("\u00a0", " ")))
        except CellError as error:
            result.errors.append(RowError(number, column, str(error)))
    free_steps = values.pop(_FREE_STEPS, "")
    if free_steps and values.get("steps_text"):
        message = "Trình tự không chia «Bước 1: ...» chỉ ghi vào một cột: trinh_tu_thuc_hien hoặc cột nguyên văn"
        result.errors.append(RowError(number, "trinh_tu_thuc_hien", message))
    elif free_steps:
        values["steps_text"] = free_steps
    return None if len(result.errors) > errors_before else ProcedureData(**values)


def procedure_rows(procedures: Iterable[ProcedureData]) -> Iterator[list[str]]:
    yield list(COLUMNS)
    for data in procedures:
        yield [write(data) for _, write in COLUMNS.values()]


def write_csv(procedures: Iterable[ProcedureData], target: IO[str]) -> None:
    """UTF-8 with a BOM so that Excel opens it with the accents right."""
    target.write("\ufeff")
    from cchc.lib.xlsx import csv_cell

    # Cells that begin like a formula get the apostrophe the audit CSV uses (lib.xlsx); read_csv takes it off.
    rows = ([csv_cell(cell) for cell in row] for row in procedure_rows(procedures))
    csv.writer(target, lineterminator="\r\n").writerows(rows)


# Excel keeps at most this many characters in a cell and cuts the rest off without a word.
XLSX_CELL_LIMIT = 32767


def write_xlsx(procedures: Iterable[ProcedureData], target: str | Path | IO[bytes]) -> None:
    """Raises ValueError, writing nothing, if a cell would exceed Excel's limit: a handful of
    national records have dossier lists that long; export those as CSV or JSON lines."""
    from cchc.lib.xlsx import new_workbook, print_setup, write_row  # only XLSX exports pay for loading openpyxl

    rows = list(procedure_rows(procedures))
    too_long = [
        f"{row[0]} ({column})"
        for row in rows[1:]
        for column, cell in zip(rows[0], row, strict=True)
        if len(cell) > XLSX_CELL_LIMIT
    ]
    if too_long:
        raise ValueError(f"Ô dài quá {XLSX_CELL_LIMIT} ký tự, Excel không chứa hết: {', '.join(too_long)}")
    workbook = new_workbook()  # text cells, never formulas (lib.xlsx)
    sheet = workbook.active
    sheet.title = "thu_tuc"
    for number, row in enumerate(rows, start=1):
        write_row(sheet, number, row)
    print_setup(sheet, last_column=len(rows[0]), last_row=len(rows), title_rows="1:1")
    workbook.save(target)


def read_file(path: str | Path) -> ReadResult:
    """Pick the reader by extension: .jsonl/.ndjson, .csv, .xlsx."""
    suffix = Path(path).suffix.lower()
    readers = {".jsonl": read_jsonl, ".ndjson": read_jsonl, ".csv": read_csv, ".xlsx": read_xlsx}
    if suffix not in readers:
        return ReadResult(errors=[RowError(0, "", "Chỉ nhận tệp .jsonl, .csv hoặc .xlsx")])
    return readers[suffix](path)


def _open_binary(source: str | Path | IO[bytes]) -> AbstractContextManager[IO[bytes]]:
    # A stream the caller passed in stays open: the caller owns it.
    return open(source, "rb") if isinstance(source, str | Path) else nullcontext(source)
