"""Coverage by content topic: in the agency's and the province's reports, both exports and the dashboards."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from cchc.execution.topics import best_item, suggest
from cchc.lib.vnformat import vn_number
from cchc.plans.models import Topic
from cchc.reports.consolidation import consolidate
from cchc.reports.exports import export_province
from cchc.reports.tests.helpers import make_head, q1, submitted
from cchc.reports.topics import coverage, uncovered_sentence
from cchc.testing import make_result, obligation_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(demo_plan):
    first = demo_plan.topics.get()
    second = Topic.objects.create(
        plan=demo_plan,
        number="2",
        text="Cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính",
        items=["Dịch vụ công trực tuyến toàn trình", "Đường dây nóng tiếp nhận phản ánh"],
        order=1,
    )
    third = Topic.objects.create(plan=demo_plan, number="3", text="Chuyển đổi số trong cơ quan nhà nước", order=2)
    return first, second, third


@pytest.fixture
def accepted_q1(personas, demo_plan, topics):
    from cchc.reports.actions import do_accept_report

    first, second, _third = topics
    period = q1(demo_plan)
    a1 = obligation_of(demo_plan, personas.units.commune_a, "1")
    make_result(a1, occurred_on=dt.date(2024, 2, 1), reach=100, title="Tin về TTHC", topics=[first, second])
    make_result(
        a1, occurred_on=dt.date(2024, 2, 2), reach=50, title="Hướng dẫn dịch vụ công trực tuyến", topics=[second]
    )
    make_result(a1, occurred_on=dt.date(2024, 2, 3), title="Không chọn nội dung")
    report = submitted(period, personas.units.commune_a, personas.head_a, day=dt.date(2024, 3, 14))
    do_accept_report(report, actor=personas.coordinator)
    # Sở TT&TT's results are not counted: its report was never accepted.
    tttt = obligation_of(demo_plan, personas.units.tttt, "1")
    make_result(tttt, occurred_on=dt.date(2024, 2, 1), title="Chuyển đổi số", topics=[topics[2]])
    submitted(period, personas.units.tttt, make_head(personas.units.tttt), day=dt.date(2024, 3, 14))
    return period


class TestCoverage:
    def test_it_counts_results_agencies_and_people_per_topic_and_names_the_uncovered(self, accepted_q1):
        data = consolidate(accepted_q1)["topics"]
        by_number = {row["number"]: row for row in data["topics"]}
        assert (by_number["1"]["results"], by_number["1"]["agencies"], by_number["1"]["reach"]) == (1, 1, 100)
        assert (by_number["2"]["results"], by_number["2"]["reach"]) == (2, 150)
        assert [item["results"] for item in by_number["2"]["items"]] == [1, 0]
        assert data["uncovered"] == ["3"]  # Sở TT&TT's report on it is not accepted
        assert data["untagged"] == 1
        assert "nội dung 3 (Chuyển đổi số trong cơ quan nhà nước)" in uncovered_sentence(data)

    def test_the_province_report_web_word_and_excel_carry_the_topic_table(self, client, personas, accepted_q1):
        client.force_login(personas.coordinator)
        html = client.get(f"/reports/plans/{accepted_q1.plan_id}/{accepted_q1.code}/province/").content.decode()
        assert 'id="topic-coverage"' in html and 'data-topic="3"' in html and 'id="uncovered-topics"' in html
        doc = Document(io.BytesIO(export_province(accepted_q1, "docx").content))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "Kết quả theo nội dung tuyên truyền" in text
        assert "chưa cơ quan, đơn vị nào tuyên truyền 1/3 nội dung" in text
        cells = {c.text for table in doc.tables for row in table.rows for c in row.cells}
        assert "Chuyển đổi số trong cơ quan nhà nước" in cells
        book = load_workbook(io.BytesIO(export_province(accepted_q1, "xlsx").content))
        rows = list(book["Theo nội dung"].iter_rows(min_row=3, values_only=True))
        assert rows[0][:5] == ("1", "Tầm quan trọng của CCHC", 1, 1, 100)
        assert rows[-1][0] == "3" and rows[-1][-1] == "Có"

    def test_the_agency_report_page_shows_its_coverage(self, client, personas, accepted_q1):
        from cchc.reports.models import Report

        report = Report.objects.get(period=accepted_q1, unit=personas.units.commune_a)
        client.force_login(personas.officer_a)
        html = client.get(f"/reports/{report.pk}/").content.decode()
        assert 'id="topic-coverage"' in html and 'data-topic="2"' in html

    def test_the_dashboard_overview_shows_the_coverage(self, client, personas, accepted_q1):
        client.force_login(personas.coordinator)
        html = client.get(f"/dashboards/plans/{accepted_q1.plan_id}/{accepted_q1.code}/").content.decode()
        assert 'id="topic-coverage"' in html

    def test_the_overview_counts_the_untagged_from_its_own_snapshot(self, client, personas, accepted_q1):
        from cchc.dashboards import figures
        from cchc.execution.models import Result

        plan = accepted_q1.plan
        snap = figures.snapshot(plan, accepted_q1)
        results = Result.objects.filter(obligation__activity__plan=plan, unit_id__in=snap.unit_ids).between(
            accepted_q1.start, accepted_q1.end
        )
        untagged = results.filter(topics__isnull=True).count()
        assert snap.result_count == results.count() == untagged + 3  # a result under two topics counts once
        assert coverage(plan.pk, results, total=snap.result_count) == coverage(plan.pk, results)
        client.force_login(personas.coordinator)
        html = client.get(f"/dashboards/plans/{plan.pk}/{accepted_q1.code}/").content.decode()
        assert f"{vn_number(untagged)} kết quả chưa chọn nội dung tuyên truyền" in html

    def test_an_empty_selection_covers_nothing(self, demo_plan, topics):
        from cchc.execution.models import Result

        data = coverage(demo_plan.pk, Result.objects.none())
        assert data["uncovered"] == ["1", "2", "3"] and data["untagged"] == 0


class TestSuggestion:
    def test_it_suggests_topics_from_the_title_whatever_the_accents(self, demo_plan, topics):
        _first, second, third = topics
        assert suggest("Huong dan DICH VU CONG truc tuyen", topics) == [second]
        assert suggest("Hội nghị chuyển đổi số năm 2024", topics) == [third]
        assert suggest("Chuyên mục tháng 3", topics) == []
        assert best_item("Công khai đường dây nóng của xã", second.items) == 1
