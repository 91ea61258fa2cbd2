"""Bulk entry of results through Excel: the template an agency downloads, and reading it back.

``build_template(plan, unit)`` makes a workbook with Vietnamese headers, a drop-down for the kind of result
and for the activity number, text-formatted date cells, an instructions sheet, the unit's obligations and the
plan's content topics. ``read_workbook(data, plan=..., unit=...)`` checks every row and every cell and returns
either the rows ready for ``do_import_results`` or the errors by row and column: nothing is saved unless the
whole file is valid.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cchc.execution.forms import ResultFieldsForm
from cchc.execution.models import Audience, Result, ResultKind
from cchc.lib.text import fold
from cchc.lib.xlsx import new_workbook, print_setup, set_cell, workbook_bytes, write_row
from cchc.orgs.models import Unit
from cchc.plans.models import Obligation, Plan

MAX_ROWS = 2000
DATA_SHEET = "Kết quả"
HELP_SHEET = "Hướng dẫn"
TASKS_SHEET = "Nhiệm vụ"
TOPICS_SHEET = "Nội dung tuyên truyền"
LISTS_SHEET = "Danh mục"
TEMPLATE_ROWS = 500  # rows pre-formatted and validated in the template


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    required: bool
    help: str


COLUMNS = [
    Column(
        "activity",
        "Số hoạt động (*)",
        11,
        True,
        "Số của hoạt động trong kế hoạch mà đơn vị có nhiệm vụ (xem trang «Nhiệm vụ»), ví dụ 4.",
    ),
    Column("kind", "Hình thức (*)", 30, True, "Chọn trong danh sách thả xuống."),
    Column("title", "Tên, tiêu đề (*)", 45, True, "Tên bài viết, lớp tập huấn, hội nghị... (tối đa 300 ký tự)."),
    Column(
        "occurred_on",
        "Ngày thực hiện (*)",
        15,
        True,
        "Dạng dd/mm/yyyy, ví dụ 05/03/2024; trong năm của kế hoạch, không ở tương lai.",
    ),
    Column("quantity", "Số lượng", 10, False, "Để trống là 1. Số thập phân dùng dấu phẩy: 1,5."),
    Column("quantity_unit", "Đơn vị tính", 14, False, "tin, bài; lớp; pa nô; tờ gấp..."),
    Column(
        "topics",
        "Nội dung tuyên truyền",
        16,
        False,
        "Số của các nội dung trong kế hoạch (xem trang «Nội dung tuyên truyền»), cách nhau bởi dấu phẩy: 1, 4.",
    ),
    Column(
        "audiences",
        "Đối tượng",
        32,
        False,
        "Một hoặc nhiều đối tượng trong danh sách, cách nhau bởi dấu chấm phẩy (;).",
    ),
    Column("reach", "Số người được tuyên truyền", 14, False, "Số nguyên."),
    Column("cost", "Kinh phí (đồng)", 16, False, "Số đồng, ví dụ 1.500.000. Để trống là 0."),
    Column("funding_source", "Nguồn kinh phí", 24, False, "Ví dụ: Ngân sách xã năm 2024."),
    Column("description", "Mô tả", 40, False, "Nội dung chính, kết quả đạt được."),
    Column(
        "links",
        "Đường dẫn minh chứng",
        36,
        False,
        "Địa chỉ http(s) của bài viết, video...; nhiều đường dẫn cách nhau bởi dấu chấm phẩy. Tệp minh chứng "
        "(ảnh, PDF) gắn thêm trên trang chi tiết của kết quả sau khi nhập.",
    ),
    Column("is_public", "Công khai (Có/Không)", 12, False, "«Có» để hiển thị trên trang tiến độ công khai."),
]
BY_HEADER = {fold(c.header.replace("(*)", "")): c for c in COLUMNS}
YES = {"co", "x", "yes", "1", "true", "c"}
NO = {"khong", "no", "0", "false", "k", ""}


def _kind_label(value: str) -> str:
    return str(ResultKind(value).label)


# --- The template ----------------------------------------------------------------------------------------


def build_template(plan: Plan, unit: Unit) -> bytes:
    """The Excel template for ``unit``'s results under ``plan``."""
    obligations = list(
        Obligation.objects.filter(activity__plan=plan, unit=unit).select_related("activity").order_by("activity__order")
    )
    wb = new_workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    bold, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, column in enumerate(COLUMNS, 1):
        cell = ws.cell(row=1, column=i, value=column.header)
        cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    col = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, 1)}
    for row in range(2, TEMPLATE_ROWS + 2):
        # Text, so that Excel does not turn 05/03/2024 into 3 May in an English locale.
        ws[f"{col['occurred_on']}{row}"].number_format = "@"
        ws[f"{col['topics']}{row}"].number_format = "@"

    lists = wb.create_sheet(LISTS_SHEET)
    lists["A1"], lists["B1"], lists["C1"], lists["D1"] = "Hình thức", "Đối tượng", "Số hoạt động", "Thông tin tệp"
    for i, (_value, label) in enumerate(ResultKind.choices, 2):
        lists[f"A{i}"] = str(label)
    for i, (_value, label) in enumerate(Audience.choices, 2):
        lists[f"B{i}"] = str(label)
    for i, obligation in enumerate(obligations, 2):
        set_cell(lists[f"C{i}"], obligation.activity.number)
    lists["D2"], lists["E2"] = "plan", plan.pk
    lists["D3"], lists["E3"] = "unit", unit.code
    lists.sheet_state = "hidden"

    kinds = DataValidation(
        type="list",
        formula1=f"='{LISTS_SHEET}'!$A$2:$A${len(ResultKind.choices) + 1}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Hình thức",
        error="Hãy chọn hình thức trong danh sách.",
    )
    kinds.add(f"{col['kind']}2:{col['kind']}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(kinds)
    if obligations:
        numbers = DataValidation(
            type="list",
            formula1=f"='{LISTS_SHEET}'!$C$2:$C${len(obligations) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Số hoạt động",
            error="Đơn vị không có nhiệm vụ ở hoạt động này; xem trang «Nhiệm vụ».",
        )
        numbers.add(f"{col['activity']}2:{col['activity']}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(numbers)
    public = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    public.add(f"{col['is_public']}2:{col['is_public']}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(public)

    help_ws = wb.create_sheet(HELP_SHEET, 0)
    help_ws.column_dimensions["A"].width = 30
    help_ws.column_dimensions["B"].width = 12
    help_ws.column_dimensions["C"].width = 90
    lines = [
        ("Mẫu nhập kết quả thực hiện kế hoạch tuyên truyền CCHC", None, None),
        (f"Đơn vị: {unit.name}", None, None),
        (f"Kế hoạch: {plan.reference} — {plan.title}", None, None),
        ("", None, None),
        ("Cách dùng", None, None),
        (
            "1. Điền mỗi kết quả trên một dòng của trang «Kết quả», bắt đầu từ dòng 2; không sửa dòng tiêu đề.",
            None,
            None,
        ),
        ("2. Các cột có dấu (*) là bắt buộc. Ngày ghi dạng dd/mm/yyyy.", None, None),
        (
            "3. Tải tệp lên trang «Nhập từ Excel». Hệ thống kiểm tra mọi dòng; nếu có lỗi, không dòng nào được lưu "
            "và danh sách lỗi (dòng, cột) hiện ra để sửa rồi tải lên lại.",
            None,
            None,
        ),
        ("", None, None),
        ("Cột", "Bắt buộc", "Cách ghi"),
    ]
    lines += [(c.header, "Có" if c.required else "", c.help) for c in COLUMNS]
    lines += [("", None, None), ("Ví dụ một dòng", None, None)]
    lines += [(c.header, None, v) for c, v in zip(COLUMNS, _example(obligations), strict=True)]
    for r, (a, b, c) in enumerate(lines, 1):
        # The plan's title and the example come from people: text cells, never formulas (lib.xlsx).
        set_cell(help_ws.cell(row=r, column=1), a)
        help_ws.cell(row=r, column=1).alignment = wrap
        if b is not None:
            set_cell(help_ws.cell(row=r, column=2), b)
        if c is not None:
            set_cell(help_ws.cell(row=r, column=3), c)
            help_ws.cell(row=r, column=3).alignment = wrap
    help_ws["A1"].font = Font(bold=True, size=13)
    for r in (5, 10, len(lines) - len(COLUMNS)):
        for c in range(1, 4):
            help_ws.cell(row=r, column=c).font = bold

    tasks = wb.create_sheet(TASKS_SHEET)
    headers = ["Số hoạt động", "Hoạt động", "Vai trò của đơn vị", "Thời gian", "Chỉ tiêu"]
    for i, (h, w) in enumerate(zip(headers, [11, 70, 16, 24, 22], strict=True), 1):
        cell = tasks.cell(row=1, column=i, value=h)
        cell.font, cell.fill = bold, header_fill
        tasks.column_dimensions[get_column_letter(i)].width = w
    for r, obligation in enumerate(obligations, 2):
        a = obligation.activity
        period = f"{a.period_start:%d/%m/%Y} – {a.period_end:%d/%m/%Y}" if a.period_start and a.period_end else "Cả năm"
        values = [a.number, a.title, str(obligation.get_role_display()), period, a.target_text or ""]
        for cell in write_row(tasks, r, values):
            cell.alignment = wrap
    print_setup(tasks, last_column=len(headers), last_row=len(obligations) + 1, title_rows="1:1")

    topics_ws = wb.create_sheet(TOPICS_SHEET)
    topics_ws.column_dimensions["A"].width = 8
    topics_ws.column_dimensions["B"].width = 110
    for i, h in enumerate(["Số", "Nội dung tuyên truyền"], 1):
        topics_ws.cell(row=1, column=i, value=h).font = bold
    for r, topic in enumerate(plan.topics.order_by("order"), 2):
        write_row(topics_ws, r, [topic.number, topic.text])[1].alignment = wrap
    # Printed as people print the rest of cchc's tables: A4 landscape, one page wide, the header on every page.
    print_setup(ws, last_column=len(COLUMNS), last_row=TEMPLATE_ROWS + 1, title_rows="1:1")
    print_setup(help_ws, last_column=3, last_row=len(lines), title_rows=None)
    print_setup(topics_ws, last_column=2, last_row=topics_ws.max_row, title_rows="1:1")
    wb.active = wb.sheetnames.index(DATA_SHEET)
    return workbook_bytes(wb)


def _example(obligations) -> list[str]:
    number = obligations[0].activity.number if obligations else "1"
    return [
        number,
        _kind_label(ResultKind.INTERNAL_MEETING),
        "Quán triệt Kế hoạch CCHC tại cuộc họp giao ban tháng 3",
        "05/03/2024",
        "1",
        "cuộc họp",
        "1, 3",
        f"{Audience.OFFICIALS.label}",
        "25",
        "0",
        "",
        "Phổ biến nội dung kế hoạch cho cán bộ, công chức",
        "",
        "Không",
    ]


# --- Reading it back -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the Excel column letter, "" for a problem with the whole file or row
    header: str
    message: str
    value: str = ""


@dataclass
class ImportOutcome:
    rows: list[dict] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _kinds() -> dict[str, str]:
    out = {}
    for value, label in ResultKind.choices:
        out[fold(str(label))] = value
        out[fold(value)] = value
    return out


def _audiences() -> dict[str, str]:
    out = {}
    for value, label in Audience.choices:
        out[fold(str(label))] = value
        out[fold(value)] = value
    return out


def _open(data: bytes):
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as err:
        raise ValidationError(
            _("Không đọc được tệp Excel: %(e)s. Hãy lưu lại tệp dưới dạng .xlsx rồi tải lên lại.")
            % {"e": type(err).__name__}
        ) from None


def read_workbook(data: bytes, *, plan: Plan, unit: Unit, today: dt.date | None = None) -> ImportOutcome:
    """Check every row of a filled template; errors name the Excel row and column."""
    outcome = ImportOutcome()
    wb = _open(data)
    try:
        _check_meta(wb, plan, unit, outcome)
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        positions: dict[str, int] = {}
        for index, text in enumerate(header):
            column = BY_HEADER.get(fold(_text(text).replace("(*)", "")))
            if column is not None and column.key not in positions:
                positions[column.key] = index
        missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
        if missing:
            outcome.errors.append(
                CellError(
                    1,
                    "",
                    "",
                    _("Thiếu cột bắt buộc: %(c)s. Hãy dùng tệp mẫu, không sửa dòng tiêu đề.")
                    % {"c": ", ".join(missing)},
                )
            )
            return outcome
        context = _Context(plan, unit)
        count = 0
        for number, values in enumerate(rows, 2):
            if values is None or all(_text(v) == "" for v in values):
                continue
            count += 1
            if count > MAX_ROWS:
                outcome.errors.append(
                    CellError(number, "", "", _("Tệp có quá %(n)d dòng; hãy chia thành nhiều tệp.") % {"n": MAX_ROWS})
                )
                break
            cells = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
            letters = {key: get_column_letter(i + 1) for key, i in positions.items()}
            row = _read_row(number, cells, letters, context, outcome)
            if row is not None:
                outcome.rows.append(row)
    finally:
        wb.close()
    if not outcome.rows and not outcome.errors:
        outcome.errors.append(CellError(2, "", "", _("Tệp không có dòng kết quả nào (bắt đầu từ dòng 2).")))
    if outcome.errors:
        outcome.rows = []
    return outcome


def _check_meta(wb, plan: Plan, unit: Unit, outcome: ImportOutcome) -> None:
    """The template remembers the plan and unit it was made for: refuse a colleague's file by mistake."""
    if LISTS_SHEET not in wb.sheetnames:
        return
    meta = {}
    for key, value, *_rest in wb[LISTS_SHEET].iter_rows(min_row=2, max_row=3, min_col=4, max_col=5, values_only=True):
        meta[_text(key)] = _text(value)
    if meta.get("plan") and meta["plan"] != str(plan.pk):
        outcome.errors.append(
            CellError(
                1, "", "", _("Tệp mẫu này được tải cho một kế hoạch khác; hãy chọn đúng kế hoạch hoặc tải mẫu mới.")
            )
        )
    if meta.get("unit") and meta["unit"] != unit.code:
        outcome.errors.append(
            CellError(
                1,
                "",
                "",
                _("Tệp mẫu này được tải cho đơn vị khác (%(code)s); chỉ nhập được kết quả của đơn vị mình.")
                % {"code": meta["unit"]},
            )
        )


class _Context:
    def __init__(self, plan: Plan, unit: Unit):
        self.plan, self.unit = plan, unit
        self.obligations = {
            o.activity.number: o
            for o in Obligation.objects.filter(activity__plan=plan, unit=unit).select_related("activity__plan")
        }
        self.topics = {t.number: t for t in plan.topics.all()}
        self.kinds = _kinds()
        self.audiences = _audiences()


_GROUPED = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$")  # 1.200, 1,200, 1 200: thousands, not decimals


def _whole_number(value) -> str:
    """A count or an amount as the screen's form reads it: digits, thousands separators taken out."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = _text(value)
    return re.sub(r"[.,\s]", "", text) if _GROUPED.match(text) else text


def _quantity(value) -> str:
    """A quantity as the screen's form reads it: a decimal point ("1,5" in a cell is 1.5)."""
    if value is None or _text(value) == "":
        return "1"
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(Decimal(str(value)))
    text = _text(value).replace(" ", "")
    return text.replace(",", ".") if text.count(",") == 1 and "." not in text else text


def _day(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _text(value)


def _read_row(number: int, cells: dict, letters: dict, ctx: _Context, outcome: ImportOutcome) -> dict | None:
    """One row: the codes of the template (activity and topic numbers, labels of kinds and audiences, Có/Không)
    are looked up here; every value is then checked by ``ResultFieldsForm``, the rules of the screen."""
    errors_before = len(outcome.errors)
    headers = {c.key: c.header for c in COLUMNS}

    def error(key: str, message: str) -> None:
        outcome.errors.append(
            CellError(number, letters.get(key, ""), headers[key], str(message), _text(cells.get(key))[:80])
        )

    row: dict = {}
    activity = _text(cells.get("activity"))
    if not activity:
        error("activity", _("Thiếu số hoạt động."))
    elif activity not in ctx.obligations:
        error("activity", _("Đơn vị không có nhiệm vụ ở hoạt động số %(n)s của kế hoạch này.") % {"n": activity[:20]})
    else:
        row["obligation"] = ctx.obligations[activity]
    data: dict = {}
    reported: set[str] = set()
    kind = _text(cells.get("kind"))
    if kind and fold(kind) not in ctx.kinds:
        error("kind", _("Hình thức không có trong danh sách."))
        reported.add("kind")
    data["kind"] = ctx.kinds.get(fold(kind), kind)
    topics = []
    for part in re.split(r"[,;\s]+", _text(cells.get("topics"))):
        if not part:
            continue
        if part not in ctx.topics:
            error("topics", _("Kế hoạch không có nội dung tuyên truyền số %(n)s.") % {"n": part[:20]})
        else:
            topics.append(ctx.topics[part])
    row["topics"] = topics
    audiences = []
    for part in _text(cells.get("audiences")).split(";"):
        if not part.strip():
            continue
        value = ctx.audiences.get(fold(part))
        if value is None:
            error("audiences", _("Đối tượng «%(v)s» không có trong danh sách.") % {"v": part.strip()[:60]})
        elif value not in audiences:
            audiences.append(value)
    data["audiences"] = audiences
    public = fold(_text(cells.get("is_public")))
    if public not in YES | NO:
        error("is_public", _("Ghi «Có» hoặc «Không»."))
    data["is_public"] = public in YES
    cost = cells.get("cost")
    if isinstance(cost, float) and not cost.is_integer():
        error("cost", _("Kinh phí là số đồng, ví dụ 1.500.000."))
        reported.add("cost")
    data.update(
        title=_text(cells.get("title")),
        occurred_on=_day(cells.get("occurred_on")),
        quantity=_quantity(cells.get("quantity")),
        quantity_unit=_text(cells.get("quantity_unit")),
        reach=_whole_number(cells.get("reach")),
        cost=_whole_number(cost),
        funding_source=_text(cells.get("funding_source")),
        description=_text(cells.get("description")),
        links="\n".join(p for p in re.split(r"[;\s]+", _text(cells.get("links"))) if p),
    )
    form = ResultFieldsForm(data)
    if not form.is_valid():
        for key, messages in form.errors.items():
            if key in headers and key not in reported:
                for message in messages:
                    error(key, message)
    if len(outcome.errors) > errors_before:
        return None
    row.update(form.cleaned_data)
    row["audiences"] = list(row["audiences"])
    # The model's own rules (the plan's year, not in the future), reported against the cell they concern.
    candidate = Result(unit=ctx.unit, **{k: v for k, v in row.items() if k not in ("topics", "links")})
    try:
        candidate.clean()
    except ValidationError as err:
        for key, messages in err.message_dict.items():
            column = key if key in headers else "activity"
            for message in messages:
                error(column, message)
        return None
    return row
