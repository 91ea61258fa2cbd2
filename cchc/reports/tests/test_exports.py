import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from cchc.reports import actions
from cchc.reports.exports import export_agency, export_province
from cchc.reports.models import Report
from cchc.reports.tests.helpers import make_head, make_result, q1, submitted
from cchc.testing import make_small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(demo_plan):
    return q1(demo_plan)


def _doc(export):
    return Document(io.BytesIO(export.content))


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _fresh(report):
    return Report.objects.select_related("period__plan", "unit__parent", "current_version").get(pk=report.pk)


def test_a_commune_report_is_issued_by_its_peoples_committee(demo_plan, period, personas):
    make_result(
        personas.units.commune_a,
        plan=demo_plan,
        title="Phát thanh tin CCHC trên loa xã",
        quantity=12,
        quantity_unit="lượt phát",
        kind="broadcast",
        reach=300,
        cost=1_250_000,
    )
    personas.head_a.full_name = "Rơ Châm Hồng"
    personas.head_a.save(update_fields=["full_name"])
    report = submitted(
        period,
        personas.units.commune_a,
        personas.head_a,
        text="Đồng bào Jrai, Bahnar được tuyên truyền bằng tiếng dân tộc.",
    )
    doc = _doc(export_agency(_fresh(report), "docx"))
    header = doc.tables[0]
    assert [p.text for p in header.rows[0].cells[0].paragraphs if p.text] == ["ỦY BAN NHÂN DÂN XÃ IA KHA"]
    assert header.rows[1].cells[0].text.endswith("/BC-UBND")
    assert header.rows[1].cells[1].text == "Ia Kha, ngày 15 tháng 3 năm 2024"
    text = _all_text(doc)
    assert "DỰ THẢO" not in text
    assert "Kết quả công tác tuyên truyền cải cách hành chính quý I năm 2024" in text
    assert "Đồng bào Jrai, Bahnar được tuyên truyền bằng tiếng dân tộc." in text
    assert "1.250.000" in text and "Phát thanh tin CCHC trên loa xã" in text  # table and annex
    signature = [p.text for p in doc.tables[-2].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Rơ Châm Hồng"]


def test_a_department_draft_has_its_governing_body_and_is_marked_draft(period, personas):
    report = actions.do_start_report(period, personas.units.tttt, actor=personas.officer_dept)
    doc = _doc(export_agency(_fresh(report), "docx"))
    assert doc.paragraphs[0].text == "DỰ THẢO"
    left = doc.tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs if p.text] == ["UBND TỈNH GIA LAI", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]
    assert doc.tables[0].rows[1].cells[0].text.endswith("/BC-STTTT")
    assert doc.tables[0].rows[1].cells[1].text.startswith("Gia Lai, ngày ")


def test_the_province_report_and_workbook_carry_the_consolidation(demo_plan, period, personas):
    make_result(personas.units.commune_a, plan=demo_plan, quantity=3, reach=100, cost=2_000_000)
    make_result(personas.units.tttt, plan=demo_plan, quantity=5, reach=900, cost=1_500_000)
    heads = [(personas.units.commune_a, personas.head_a), (personas.units.tttt, make_head(personas.units.tttt))]
    for unit, head in heads:
        actions.do_accept_report(submitted(period, unit, head), actor=personas.coordinator)
    doc = _doc(export_province(period, "docx"))
    text = _all_text(doc)
    assert "SỞ NỘI VỤ" in text and "trên địa bàn tỉnh" in text
    assert "Có 5 cơ quan, đơn vị phải báo cáo" in text
    assert "3.500.000" in text  # the summed cost
    assert "UBND xã Ia Ly" in text  # listed among those not reporting
    book = load_workbook(io.BytesIO(export_province(period, "xlsx").content))
    assert book.sheetnames == [
        "Tình hình báo cáo",
        "Theo hoạt động",
        "Theo loại cơ quan",
        "Chưa báo cáo",
        "Ý kiến đơn vị",
        "Theo nội dung",
    ]
    sheet = book["Tình hình báo cáo"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["xa-1"][7:] == (1, 100, 2_000_000)
    assert rows["xa-2"][6] == "Không"
    assert {row[0] for row in book["Chưa báo cáo"].iter_rows(min_row=3, values_only=True)} == {
        "xa-2",
        "so-noi-vu",
        "dai-ptth",
    }


class TestCommand:
    def test_it_writes_the_consolidated_report_and_an_agency_report(self, period, personas, tmp_path, capsys):
        submitted(period, personas.units.commune_a, personas.head_a)
        out = tmp_path / "tinh.docx"
        call_command("export_report", "--period", "2024-Q1", "--format", "docx", "-o", str(out))
        assert out.read_bytes()[:2] == b"PK" and "Đã ghi" in capsys.readouterr().out
        out = tmp_path / "xa.xlsx"
        call_command("export_report", "--period", "2024-q1", "--agency", "xa-1", "--format", "xlsx", "-o", str(out))
        assert load_workbook(out).sheetnames == ["Theo hoạt động", "Danh mục kết quả", "Theo nội dung"]

    @pytest.mark.parametrize(
        "args,message",
        [
            (["--period", "2024-Q7"], "Mã kỳ báo cáo “2024-Q7” không hợp lệ"),
            (["--period", "2024-Q2"], "Không có kỳ báo cáo 2024-Q2"),
            (["--period", "2030-Q1"], "Không có kỳ báo cáo 2030-Q1"),
            (["--period", "2024-Q1", "--agency", "khong-co"], "Không có đơn vị mã “khong-co”"),
            (["--period", "2024-Q1", "--agency", "xa-2"], "UBND xã Ia Ly chưa lập báo cáo Quý I năm 2024"),
            (["--period", "2024-Q1", "--plan", "9999"], "Không có kế hoạch mã 9999"),
        ],
    )
    def test_it_explains_what_is_wrong_in_vietnamese(self, period, tmp_path, args, message):
        with pytest.raises(CommandError, match=message):
            call_command("export_report", *args, "-o", str(tmp_path / "x.docx"))

    def test_it_asks_which_plan_when_two_cover_the_period(self, period, demo_plan, tmp_path):
        other = make_small_plan(title="Kế hoạch thứ hai năm 2024")
        with pytest.raises(CommandError, match=f"--plan {demo_plan.pk}.*--plan {other.pk}"):
            call_command("export_report", "--period", "2024-Q1", "-o", str(tmp_path / "x.docx"))
        call_command("export_report", "--period", "2024-Q1", "--plan", str(other.pk), "-o", str(tmp_path / "x.docx"))
        assert (tmp_path / "x.docx").exists()
