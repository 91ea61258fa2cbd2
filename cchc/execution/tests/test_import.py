import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cchc.audit.models import AuditEntry
from cchc.execution import bulk
from cchc.execution.models import Result, ResultImport, ResultKind
from cchc.testing import PDF_BYTES, docx_bytes, make_small_plan

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in bulk.COLUMNS]


def _fill(template: bytes, rows: list[list]) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    ws = wb[bulk.DATA_SHEET]
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values, 1):
            ws.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(**overrides) -> list:
    data = {
        "activity": "1",
        "kind": "Tin, bài",
        "title": "Tin công khai TTHC",
        "occurred_on": "05/03/2024",
        "quantity": 2,
        "quantity_unit": "tin",
        "topics": "1",
        "audiences": "Người dân; Doanh nghiệp",
        "reach": "1.200",
        "cost": "1.500.000",
        "funding_source": "Ngân sách xã",
        "description": "",
        "links": "https://xa.gialai.gov.vn/tin/1",
        "is_public": "Có",
    }
    data.update(overrides)
    return [data[c.key] for c in bulk.COLUMNS]


@pytest.fixture
def template(client, personas, demo_plan):
    client.force_login(personas.officer_a)
    response = client.get(reverse("execution:import_template"), {"plan": demo_plan.pk})
    assert response.status_code == 200
    return response.content


def _upload(client, plan, data: bytes, name="ket-qua.xlsx"):
    return client.post(reverse("execution:import"), {"plan": plan.pk, "file": SimpleUploadedFile(name, data)})


class TestTemplate:
    def test_it_has_vietnamese_headers_a_kind_dropdown_instructions_and_the_units_obligations(self, template, personas):
        wb = load_workbook(io.BytesIO(template))
        assert wb.sheetnames == [
            bulk.HELP_SHEET,
            bulk.DATA_SHEET,
            bulk.LISTS_SHEET,
            bulk.TASKS_SHEET,
            bulk.TOPICS_SHEET,
        ]
        ws = wb[bulk.DATA_SHEET]
        assert [c.value for c in ws[1]] == HEADERS
        validations = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
        assert validations["B2:B501"] == f"='{bulk.LISTS_SHEET}'!$A$2:$A${len(ResultKind.choices) + 1}"
        assert validations["A2:A501"] == f"='{bulk.LISTS_SHEET}'!$C$2:$C$2"
        kinds = [wb[bulk.LISTS_SHEET][f"A{i}"].value for i in range(2, 12)]
        assert kinds[0] == "Tin, bài" and "Lồng ghép trong cuộc họp" in kinds
        assert ws["D2"].number_format == "@"
        tasks = wb[bulk.TASKS_SHEET]
        assert [tasks["A2"].value, tasks["B2"].value, tasks["A3"].value] == ["1", "Công khai TTHC", None]
        assert "UBND xã Ia Kha" in wb[bulk.HELP_SHEET]["A2"].value
        help_text = " ".join(str(c.value) for row in wb[bulk.HELP_SHEET].iter_rows() for c in row if c.value)
        assert "dd/mm/yyyy" in help_text and "không dòng nào được lưu" in help_text

    def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_its_header_repeated(self, template):
        wb = load_workbook(io.BytesIO(template))
        for name in (bulk.DATA_SHEET, bulk.HELP_SHEET, bulk.TASKS_SHEET, bulk.TOPICS_SHEET):
            sheet = wb[name]
            assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9, name
            assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
            assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
            assert sheet.print_area
        assert wb[bulk.DATA_SHEET].print_title_rows == "$1:$1"
        assert wb[bulk.DATA_SHEET].print_area.endswith(f"$A$1:$N${bulk.TEMPLATE_ROWS + 1}")

    def test_only_officers_with_obligations_get_it(self, client, personas, demo_plan):
        client.force_login(personas.head_a)
        assert client.get(reverse("execution:import_template")).status_code == 403
        client.force_login(personas.officer_b)
        other = make_small_plan(year=2025)
        other.activities.filter(number="1").delete()  # commune B has nothing under this plan
        assert client.get(reverse("execution:import_template"), {"plan": other.pk}).status_code == 404


class TestImport:
    def test_a_valid_file_is_saved_whole(self, client, personas, demo_plan, template):
        data = _fill(
            template,
            [
                _row(),
                _row(
                    title="Lớp tập huấn",
                    kind="training",
                    occurred_on=dt.datetime(2024, 4, 9),
                    quantity="1,5",
                    audiences="",
                    reach=None,
                    cost=250000,
                    topics="",
                    links="",
                    is_public="",
                ),
            ],
        )
        response = _upload(client, demo_plan, data)
        assert response.status_code == 302
        first, second = Result.objects.order_by("pk")
        assert (first.title, first.occurred_on, first.quantity, first.reach, first.cost) == (
            "Tin công khai TTHC",
            dt.date(2024, 3, 5),
            Decimal(2),
            1200,
            Decimal(1_500_000),
        )
        assert first.audiences == ["citizens", "businesses"] and first.is_public
        assert [t.number for t in first.topics.all()] == ["1"]
        assert first.evidence.get().link == "https://xa.gialai.gov.vn/tin/1"
        assert (second.kind, second.occurred_on, second.quantity, second.cost) == (
            "training",
            dt.date(2024, 4, 9),
            Decimal("1.5"),
            Decimal(250000),
        )
        batch = ResultImport.objects.get()
        assert batch.row_count == 2 and first.import_batch == batch and first.unit == personas.units.commune_a
        entry = AuditEntry.objects.get(action="execution.import_results")
        assert entry.details["rows"] == 2 and entry.details["sha256"] == batch.sha256

    def test_every_bad_cell_is_reported_by_row_and_column_and_nothing_is_saved(
        self, client, personas, demo_plan, template
    ):
        data = _fill(
            template,
            [
                _row(),  # row 2 fine
                _row(occurred_on="5/3/24", quantity="hai"),  # row 3: date format, number
                _row(kind="Bài hát", activity="2"),  # row 4: kind, activity of another unit
                _row(title="", cost="-5", topics="1, 99"),  # row 5: title, cost, topic
                [None] * len(HEADERS),  # row 6: empty, skipped
                _row(
                    occurred_on="31/02/2024", audiences="Người dân; Người ngoài hành tinh", is_public="Có lẽ"
                ),  # row 7
                _row(occurred_on="01/01/2099"),  # row 8: future
                _row(links="javascript:alert(1)", reach="-3"),  # row 9
            ],
        )
        response = _upload(client, demo_plan, data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "chưa dòng nào được lưu" in page
        outcome = response.context["outcome"]
        found = {(e.row, e.column) for e in outcome.errors}
        assert found == {
            (3, "D"),
            (3, "E"),
            (4, "B"),
            (4, "A"),
            (5, "C"),
            (5, "J"),
            (5, "G"),
            (7, "D"),
            (7, "H"),
            (7, "N"),
            (8, "D"),
            (9, "M"),
            (9, "I"),
        }
        messages = {(e.row, e.column): e.message for e in outcome.errors}
        assert messages[3, "D"] == "Ngày phải ghi dạng dd/mm/yyyy, ví dụ 05/03/2024."
        assert messages[4, "A"] == "Đơn vị không có nhiệm vụ ở hoạt động số 2 của kế hoạch này."
        # Written right, but no such day: said so, not "wrong format".
        assert messages[7, "D"] == "Ngày 31/02/2024 không tồn tại: tháng 2 năm 2024 chỉ có 29 ngày."
        assert "không thể ở tương lai" in messages[8, "D"]
        assert "<td>4</td><td>A</td>" in page.replace("\n", "")
        assert Result.objects.count() == 0 and ResultImport.objects.count() == 0

    def test_a_file_that_is_not_xlsx_is_refused_by_content(self, client, personas, demo_plan):
        client.force_login(personas.officer_a)
        old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600  # .xls (OLE2), not .xlsx
        for name, data in [
            ("ket-qua.xlsx", b"STT;Ten\n1;Tin\n"),
            ("ket-qua.xlsx", PDF_BYTES),
            ("ket-qua.xlsx", docx_bytes()),
            ("ket-qua.xls", old_excel),
        ]:
            response = _upload(client, demo_plan, data, name)
            assert response.status_code == 200
            assert "không thuộc loại được nhận (Excel)" in response.content.decode()
        assert Result.objects.count() == 0

    def test_a_workbook_without_the_headers_is_refused(self, client, personas, demo_plan):
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["Tên", "Ngày"])
        wb.active.append(["Tin", "05/03/2024"])
        out = io.BytesIO()
        wb.save(out)
        client.force_login(personas.officer_a)
        response = _upload(client, demo_plan, out.getvalue())
        assert "Thiếu cột bắt buộc" in response.content.decode()

    def test_a_template_of_another_unit_is_refused(self, client, personas, demo_plan):
        client.force_login(personas.officer_b)
        template_b = client.get(reverse("execution:import_template"), {"plan": demo_plan.pk}).content
        client.force_login(personas.officer_a)
        response = _upload(client, demo_plan, _fill(template_b, [_row()]))
        assert "được tải cho đơn vị khác (xa-2)" in response.content.decode()
        assert Result.objects.count() == 0

    def test_an_empty_template_says_so(self, client, personas, demo_plan, template):
        response = _upload(client, demo_plan, template)
        assert "không có dòng kết quả nào" in response.content.decode()

    def test_the_import_is_one_transaction(self, personas, demo_plan, template, monkeypatch):
        """A failure while saving row 2 leaves row 1 unsaved too."""
        from cchc.execution import actions

        outcome = bulk.read_workbook(
            _fill(template, [_row(), _row(title="Hai")]), plan=demo_plan, unit=personas.units.commune_a
        )
        assert outcome.ok
        real = actions._create_result
        calls = []

        def failing(fields, **kwargs):
            calls.append(1)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return real(fields, **kwargs)

        monkeypatch.setattr(actions, "_create_result", failing)
        with pytest.raises(RuntimeError):
            actions.do_import_results(
                demo_plan,
                personas.units.commune_a,
                outcome.rows,
                actor=personas.officer_a,
                original_name="a.xlsx",
                sha256="0" * 64,
            )
        assert Result.objects.count() == 0 and ResultImport.objects.count() == 0


# Each column fed each kind of wrong value. A value that is fine for a free-text column (a title "-5") is
# accepted there; every other one is reported against its own cell, never a server error.
NEGATIVE, NOT_A_NUMBER, NO_SUCH_DAY, UNKNOWN_CODE, TOO_LONG = -5, "mười lăm", "31/02/2024", "ZZ-99", "x" * 10_001
BAD_VALUES = {
    "negative": NEGATIVE,
    "not_a_number": NOT_A_NUMBER,
    "no_such_day": NO_SUCH_DAY,
    "unknown_code": UNKNOWN_CODE,
    "too_long": TOO_LONG,
}
# Columns where a value is free text: only an over-long one is wrong.
FREE_TEXT = {"title", "quantity_unit", "funding_source", "description"}


def _expected_error(key: str, bad: str) -> bool:
    if key in FREE_TEXT:
        return bad == "too_long"
    return True


class TestEveryColumnEveryWrongValue:
    def test_a_negative_number_of_people_is_an_error_in_its_cell_not_a_server_error(
        self, client, personas, demo_plan, template
    ):
        response = _upload(client, demo_plan, _fill(template, [_row(reach=-5)]))
        assert response.status_code == 200
        (error,) = response.context["outcome"].errors
        assert (error.row, error.column, error.message) == (2, "I", "Số người phải là số nguyên không âm.")
        assert Result.objects.count() == 0

    def test_each_column_with_each_wrong_value_gets_the_error_table(self, client, personas, demo_plan, template):
        cases = [(c, bad) for c in bulk.COLUMNS for bad in BAD_VALUES]
        rows = [_row(**{column.key: BAD_VALUES[bad]}) for column, bad in cases]
        response = _upload(client, demo_plan, _fill(template, rows))
        assert response.status_code == 200
        outcome = response.context["outcome"]
        by_row: dict[int, set] = {}
        for e in outcome.errors:
            by_row.setdefault(e.row, set()).add(e.column)
        letters = {c.key: chr(ord("A") + i) for i, c in enumerate(bulk.COLUMNS)}
        for number, (column, bad) in enumerate(cases, start=2):
            expected = {letters[column.key]} if _expected_error(column.key, bad) else set()
            assert by_row.get(number, set()) == expected, (number, column.key, bad)
        messages = {(e.row, e.column): e.message for e in outcome.errors}
        day_row = 2 + cases.index((bulk.COLUMNS[3], "no_such_day"))
        assert messages[day_row, "D"] == "Ngày 31/02/2024 không tồn tại: tháng 2 năm 2024 chỉ có 29 ngày."
        negative_day = 2 + cases.index((bulk.COLUMNS[3], "negative"))
        assert messages[negative_day, "D"] == "Ngày phải ghi dạng dd/mm/yyyy, ví dụ 05/03/2024."
        page = response.content.decode()
        assert "chưa dòng nào được lưu" in page and "Số người phải là số nguyên không âm." in page
        assert Result.objects.count() == 0

    def test_the_values_accepted_by_a_free_text_column_are_saved(self, client, personas, demo_plan, template):
        rows = [
            _row(**{key: BAD_VALUES[bad]})
            for key in sorted(FREE_TEXT)
            for bad in BAD_VALUES
            if not _expected_error(key, bad)
        ]
        response = _upload(client, demo_plan, _fill(template, rows))
        assert response.status_code == 302, response.context["outcome"].errors
        assert Result.objects.filter(title="-5").exists() and Result.objects.count() == len(rows)


class TestTheScreenSaysTheSame:
    def test_the_result_form_tells_a_day_that_does_not_exist_from_a_wrong_format(self, personas):
        from cchc.execution.forms import ResultFieldsForm

        for value, message in [
            ("31/02/2024", "Ngày 31/02/2024 không tồn tại: tháng 2 năm 2024 chỉ có 29 ngày."),
            ("29/02/2023", "Ngày 29/02/2023 không tồn tại: tháng 2 năm 2023 chỉ có 28 ngày."),
            ("05/13/2024", "Ngày 05/13/2024 không tồn tại: không có tháng 13."),
            ("5 tháng 3", "Ngày phải ghi dạng dd/mm/yyyy, ví dụ 05/03/2024."),
        ]:
            form = ResultFieldsForm({"occurred_on": value})
            form.is_valid()
            assert form.errors["occurred_on"] == [message]
        form = ResultFieldsForm({"occurred_on": "29/02/2024", "reach": "-5"})
        form.is_valid()
        assert "occurred_on" not in form.errors
        assert form.errors["reach"] == ["Số người phải là số nguyên không âm."]
