"""cchc.lib.xlsx: the one way cells get written (finding 3 of issue 15)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from cchc.lib.xlsx import csv_cell, csv_value, new_workbook, table_sheet, workbook_bytes

HOSTILE = ["=1+2", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://evil.example","x")']


class TestCells:
    @pytest.mark.parametrize("value", HOSTILE)
    def test_it_writes_formula_like_text_as_a_text_cell_that_reads_as_typed(self, value):
        book = new_workbook()
        table_sheet(book.active, "T", ["A"], [[value]], [10])
        cell = load_workbook(io.BytesIO(workbook_bytes(book))).active["A3"]
        assert cell.data_type == "s" and cell.value == value

    def test_it_keeps_numbers_as_numbers(self):
        book = new_workbook()
        table_sheet(book.active, "T", ["A", "B"], [[1800, 2.5]], [10, 10])
        sheet = load_workbook(io.BytesIO(workbook_bytes(book))).active
        assert sheet["A3"].value == 1800 and sheet["A3"].data_type == "n" and sheet["B3"].value == 2.5


class TestCsv:
    @pytest.mark.parametrize("value", HOSTILE)
    def test_it_neutralises_formula_like_values_and_reads_them_back(self, value):
        assert csv_cell(value) == "'" + value
        assert csv_value(csv_cell(value)) == value

    def test_it_leaves_other_values_alone(self):
        assert csv_cell("Hội nghị") == "Hội nghị" and csv_cell(5) == 5 and csv_value("'abc") == "'abc"

    def test_a_procedure_csv_round_trips_a_formula_like_name(self):
        import dataclasses

        from cchc.procedures.fileformats import read_csv, write_csv
        from cchc.procedures.tests.test_import import demo_records

        data = dataclasses.replace(demo_records()[0], name="=1+2 cấp giấy phép")
        out = io.StringIO()
        write_csv([data], out)
        cells = [c for row in csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))) for c in row]
        assert "'=1+2 cấp giấy phép" in cells
        assert read_csv(io.BytesIO(out.getvalue().encode())).procedures[0].name == "=1+2 cấp giấy phép"
