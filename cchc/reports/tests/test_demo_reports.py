"""The demo province's reports, on the demo loaded once for the module (``loaded_demo``, conftest.py)."""

import pytest

from cchc.plans.models import Plan
from cchc.reports.completeness import completeness
from cchc.reports.demo import RETURN_REASON, do_load_demo_reports
from cchc.reports.models import Period, ProvinceReport, Report, ReportStatus, ReportVersion

pytestmark = pytest.mark.django_db


def test_the_demo_province_shows_the_whole_cycle(loaded_demo):
    # load_demo loads the reports too (do_load_demo_reports)
    plan = Plan.objects.get(year=2024, symbol="KH-UBND")
    from cchc.execution.models import Result

    assert Report.objects.filter(period__plan=plan).count() > 400 and Result.objects.count() > 2000
    q1 = Period.objects.get(plan=plan, code="2024-Q1")
    statuses = {s: Report.objects.filter(period=q1, status=s).count() for s in ReportStatus.values}
    assert statuses["accepted"] > 150 and statuses["submitted"] > 0 and statuses["returned"] == 1
    returned = Report.objects.get(period=q1, status=ReportStatus.RETURNED)
    assert returned.unit.code == "so-tttt" and returned.return_reason == RETURN_REASON
    state = completeness(q1)
    counts = state.counts()
    assert counts["late"] > 0 and counts["missing"] > 0 and counts["on_time"] > counts["late"]
    assert "UBND xã Ia Khai" in {row.unit.name for row in state.rows if row.report is None}
    # Every submitted report has its frozen version(s); one went round a return before acceptance.
    submitted = Report.objects.exclude(status=ReportStatus.DRAFT)
    assert not submitted.filter(current_version__isnull=True).exists()
    assert ReportVersion.objects.filter(number=2).exists()
    assert ProvinceReport.objects.filter(period=q1, status="draft").exists()
    assert do_load_demo_reports() == {"skipped": "reports already loaded"}


def test_the_demo_counts_the_broadcasters_programme_and_covers_topics_in_the_q1_report(loaded_demo):
    import io

    from docx import Document
    from openpyxl import load_workbook

    from cchc.execution.models import Deliverable
    from cchc.plans.models import AgencyRole
    from cchc.reports.consolidation import consolidate
    from cchc.reports.exports import export_province

    plan = Plan.objects.get(year=2024, symbol="KH-UBND")
    # Activity 5: Sở Nội vụ leads, the broadcaster coordinates and airs the monthly column; it counts.
    months = Deliverable.objects.filter(
        obligation__activity__plan=plan,
        obligation__activity__number="5",
        obligation__role=AgencyRole.LEAD,
        due_on__lte="2024-06-30",
    )
    assert months.count() == 6 and not months.filter(met_on__isnull=True).exists()
    q1 = Period.objects.get(plan=plan, code="2024-Q1")
    topics = consolidate(q1)["topics"]
    assert len(topics["topics"]) == 10 and sum(row["results"] for row in topics["topics"]) > 0
    doc = Document(io.BytesIO(export_province(q1, "docx").content))
    assert any("Kết quả theo nội dung tuyên truyền" in p.text for p in doc.paragraphs)
    assert "Theo nội dung" in load_workbook(io.BytesIO(export_province(q1, "xlsx").content)).sheetnames
