import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.execution.models import Deliverable
from cchc.lib.versioning import StaleEdit
from cchc.orgs.models import UnitKind
from cchc.plans.actions import do_expand_obligations
from cchc.reports import actions
from cchc.reports.consolidation import consolidate
from cchc.reports.models import ProvinceReportStatus
from cchc.reports.tests.helpers import make_head, make_result, obligation, q1, submitted
from cchc.testing import make_unit

pytestmark = pytest.mark.django_db


def _accepted(period, unit, head, coordinator):
    return actions.do_accept_report(submitted(period, unit, head), actor=coordinator)


@pytest.fixture
def scene(demo_plan, personas):
    """Three agencies of three kinds with known results; two accepted, one waiting, the rest missing."""
    u = personas.units
    period = q1(demo_plan)
    district = u.district
    # The district is not obliged under the small plan: give it an obligation through a new activity.
    from cchc.plans.models import Activity, Obligation

    extra = Activity.objects.create(plan=demo_plan, number="4", title="Tuyên truyền ở cấp huyện", order=4)
    Obligation.objects.create(activity=extra, unit=district, role="implement")

    make_result(u.commune_a, plan=demo_plan, quantity=3, reach=100, cost=1_000_000)
    make_result(u.commune_a, plan=demo_plan, quantity=Decimal("2.5"), reach=50, cost=250_000)
    make_result(
        u.commune_a, plan=demo_plan, kind="poster", quantity=4, quantity_unit="pa nô", reach=None, cost=2_000_000
    )
    make_result(u.tttt, plan=demo_plan, quantity=10, reach=1000, cost=0)
    make_result(
        district,
        plan=demo_plan,
        number="4",
        kind="training",
        quantity=1,
        quantity_unit="lớp",
        reach=45,
        cost=12_000_000,
    )
    make_result(
        u.noi_vu,
        plan=demo_plan,
        number="2",
        kind="broadcast",
        quantity=1,
        quantity_unit="chuyên mục",
        reach=5000,
        cost=8_000_000,
    )
    # The monthly column (activity 2) owes one deliverable a month, generated with the plan; in the quarter I
    # window fall January's and February's. January's was met on time.
    ob = obligation(demo_plan, u.noi_vu, "2")
    assert Deliverable.objects.filter(obligation=ob, due_on__range=(period.start, period.end)).count() == 2
    Deliverable.objects.filter(obligation=ob, slot="2024-M01").update(met_on=dt.date(2024, 1, 20))

    _accepted(period, u.commune_a, personas.head_a, personas.coordinator)
    _accepted(period, district, make_head(district), personas.coordinator)
    _accepted(period, u.noi_vu, make_head(u.noi_vu), personas.coordinator)
    submitted(period, u.tttt, make_head(u.tttt))  # waiting for review: listed, not counted
    return period


def test_it_sums_accepted_reports_per_activity_and_kind_of_result(scene):
    data = consolidate(scene, today=dt.date(2024, 3, 20))
    by_number = {a["number"]: a for a in data["activities"]}
    first = by_number["1"]
    assert first["results"] == 3 and first["reach"] == 150 and first["cost"] == 3_250_000
    assert first["agencies"] == 1
    assert [(r["kind"], r["quantity_unit"], r["quantity"], r["results"]) for r in first["rows"]] == [
        ("news_article", "tin, bài", "5.5", 2),
        ("poster", "pa nô", "4", 1),
    ]
    assert by_number["4"]["results"] == 1 and by_number["4"]["cost"] == 12_000_000
    assert by_number["2"]["deliverables"] == {"due": 2, "met": 1, "met_on_time": 1}
    assert data["totals"]["results"] == 5
    assert data["totals"]["cost"] == 3_250_000 + 12_000_000 + 8_000_000
    assert data["totals"]["reach"] == 150 + 45 + 5000


def test_it_sums_per_kind_of_agency_and_lists_who_is_missing(scene):
    data = consolidate(scene, today=dt.date(2024, 3, 20))
    groups = {g["key"]: g for g in data["groups"]}
    assert (groups["commune"]["expected"], groups["commune"]["counted"], groups["commune"]["results"]) == (2, 1, 3)
    assert (groups["district"]["counted"], groups["district"]["cost"]) == (1, 12_000_000)
    assert groups["provincial"]["expected"] == 3 and groups["provincial"]["counted"] == 1
    activity_one = str(next(a["activity_id"] for a in data["activities"] if a["number"] == "1"))
    assert groups["commune"]["activities"][activity_one]["results"] == 3
    assert data["counts"]["counted"] == 3 and data["counts"]["pending"] == 1
    assert [a["code"] for a in data["pending"]] == ["so-tttt"]
    assert sorted(a["code"] for a in data["not_reporting"]) == ["dai-ptth", "xa-2"]
    assert [n["name"] for n in data["narratives"]][:1] == ["Sở Nội vụ"]


def test_the_province_report_is_drafted_edited_and_frozen_at_issue(scene, personas):
    province = actions.do_start_province_report(scene, actor=personas.coordinator)
    assert "3/6 cơ quan, đơn vị" in province.general_text
    province = actions.do_save_province_report(
        province,
        {"general_text": "Nhận xét của Sở Nội vụ."},
        expected_version=province.version,
        actor=personas.coordinator,
    )
    with pytest.raises(StaleEdit):
        actions.do_save_province_report(
            province, {"general_text": "cũ"}, expected_version=1, actor=personas.coordinator
        )
    province = actions.do_issue_province_report(province, actor=personas.coordinator)
    assert province.status == ProvinceReportStatus.ISSUED
    assert province.figures["totals"]["results"] == 5
    # Later acceptances change the live consolidation, not the issued report.
    actions.do_accept_report(personas.units.tttt.reports.get(), actor=personas.coordinator)
    assert consolidate(scene)["totals"]["results"] == 6
    province.refresh_from_db()
    assert province.figures["totals"]["results"] == 5
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.do_save_province_report(
            province, {"general_text": "x"}, expected_version=province.version, actor=personas.coordinator
        )


def test_queries_do_not_grow_with_the_number_of_agencies(scene, demo_plan, personas):
    with CaptureQueriesContext(connection) as small:
        before = consolidate(scene)
    units = [
        make_unit(kind=UnitKind.COMMUNE_COMMITTEE, parent=personas.units.district, name=f"UBND xã {i}")
        for i in range(25)
    ]
    do_expand_obligations(demo_plan)
    for unit in units:
        make_result(unit, plan=demo_plan, quantity=2, reach=10, cost=1000)
        _accepted(scene, unit, make_head(unit), personas.coordinator)
    with CaptureQueriesContext(connection) as large:
        after = consolidate(scene)
    assert after["totals"]["results"] == before["totals"]["results"] + 25
    assert after["counts"]["expected"] == before["counts"]["expected"] + 25
    assert len(large) == len(small) <= 8  # five, and three for the coverage by content topic


def test_it_starts_the_province_draft_once_and_refuses_a_second_start_from_an_old_page(scene, personas):
    province = actions.do_open_province_draft(scene, 0, actor=personas.coordinator)
    assert actions.do_open_province_draft(scene, province.version, actor=personas.coordinator) == province
    with pytest.raises(StaleEdit) as stale:
        actions.do_open_province_draft(scene, 0, actor=personas.admin)
    assert stale.value.current == province


# --- "Đánh giá chung" follows the figures -----------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    import io

    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def _export_text(period) -> str:
    from cchc.reports.exports import export_province

    return _docx_text(export_province(period, "docx").content)


def _text_agrees_with_tables(content: bytes) -> str:
    """The "Đánh giá chung" of an exported province report states the totals of its activity table."""
    import io

    import docx

    document = docx.Document(io.BytesIO(content))
    totals = next(
        [c.text for c in row.cells]
        for table in document.tables
        for row in table.rows
        if row.cells[1].text == "Tổng cộng" and len(row.cells) == 7
    )
    results, reach, cost = totals[4:7]
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"đã thực hiện {results} hoạt động" in text, (totals, text)
    assert f"tiếp cận khoảng {reach} lượt người" in text and f"tổng kinh phí {cost} đồng" in text
    return text


def _accept_commune_b(period, personas):
    make_result(personas.units.commune_b, plan=period.plan, quantity=7, reach=700, cost=3_000_000)
    _accepted(period, personas.units.commune_b, make_head(personas.units.commune_b), personas.coordinator)


class TestTheGeneralTextFollowsTheFigures:
    def test_a_text_nobody_edited_is_regenerated_when_the_figures_change(self, scene, personas, client):
        from django.urls import reverse

        from cchc.reports.models import ProvinceReport, TextSource

        province = actions.do_start_province_report(scene, actor=personas.coordinator)
        assert "3/6 cơ quan, đơn vị" in province.general_text
        # A draft saved with the text as offered keeps following the figures.
        actions.do_save_province_draft(
            scene,
            {"general_text": province.general_text, "proposals_text": "Đề nghị."},
            expected_version=province.version,
            actor=personas.coordinator,
        )
        # Two more reports are accepted after the draft was saved.
        actions.do_accept_report(personas.units.tttt.reports.get(), actor=personas.coordinator)
        _accept_commune_b(scene, personas)
        from cchc.reports.exports import export_province

        text = _text_agrees_with_tables(export_province(scene, "docx").content)
        assert "5/6 cơ quan, đơn vị" in text and "3/6 cơ quan, đơn vị" not in text
        # 5 + 1 (tttt) + 1 (commune B) results, as in the tables of the same document.
        assert "đã thực hiện 7 hoạt động" in text
        # The workbook's table says the same, in real numbers.
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(export_province(scene, "xlsx").content))["Theo hoạt động"]
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        assert sum(r[4] for r in rows) == 7 and sum(r[5] for r in rows) == 150 + 45 + 5000 + 1000 + 700
        assert all(isinstance(r[6], int) for r in rows)
        client.force_login(personas.coordinator)
        page = client.get(reverse("reports:province", args=[scene.plan_id, scene.code])).content.decode()
        assert "5/6 cơ quan, đơn vị" in page and "general-text-stale" not in page
        province = actions.do_issue_period_report(scene, actor=personas.coordinator)
        assert province.general_text_source == TextSource.GENERATED
        assert "5/6 cơ quan, đơn vị" in province.general_text
        assert province.figures["counts"]["counted"] == 5
        assert "5/6 cơ quan, đơn vị" in _text_agrees_with_tables(export_province(scene, "docx").content)
        assert ProvinceReport.objects.get().proposals_text == "Đề nghị."

    def test_an_edited_text_is_flagged_and_cannot_be_issued_until_brought_up_to_date(self, scene, personas, client):
        from django.core.exceptions import ValidationError
        from django.urls import reverse

        from cchc.reports.models import TextSource

        client.force_login(personas.coordinator)
        url = reverse("reports:province", args=[scene.plan_id, scene.code])
        save = reverse("reports:province_save", args=[scene.plan_id, scene.code])
        issue = reverse("reports:province_issue", args=[scene.plan_id, scene.code])
        page = client.get(url)
        basis = page.context["form"].initial["general_basis"]
        edited = "Có 3 cơ quan, đơn vị được tiếp nhận; các đơn vị đã cố gắng. Sở Nội vụ đánh giá cao."
        assert client.post(save, {"version": 0, "general_text": edited, "general_basis": basis}).status_code == 302
        province = scene.province_report
        assert province.general_text_source == TextSource.EDITED and province.general_text == edited
        # Nothing has changed since: it may be issued as written... but first the figures move.
        actions.do_accept_report(personas.units.tttt.reports.get(), actor=personas.coordinator)
        page = client.get(url).content.decode()
        assert 'id="general-text-stale"' in page and "4/6 cơ quan, đơn vị" in page
        assert 'id="issue-button" disabled' in page
        # The draft export says so too, beside the person's words.
        text = _export_text(scene)
        assert edited in text and "Theo số liệu hiện tại: Trong quý I năm 2024, có 4/6" in text
        # Issuing is refused (the action and the page).
        with pytest.raises(ValidationError, match="không khớp với các bảng số liệu"):
            actions.do_issue_period_report(scene, actor=personas.coordinator)
        response = client.post(issue, {"version": province.version}, follow=True)
        assert "không khớp với các bảng số liệu" in response.content.decode()
        province.refresh_from_db()
        assert not province.is_issued
        # Saving the other parts leaves the warning; bringing the text up to date (here: the button) lifts it.
        client.post(
            save,
            {
                "version": province.version,
                "general_text": edited,
                "shortcomings_text": "Chậm.",
                "general_basis": page.split('name="general_basis" value="')[1].split('"')[0],
            },
        )
        province.refresh_from_db()
        assert province.general_text_source == TextSource.EDITED and province.shortcomings_text == "Chậm."
        assert 'id="general-text-stale"' in client.get(url).content.decode()
        client.post(save, {"version": province.version, "general_text": edited, "regenerate": "1"})
        province.refresh_from_db()
        assert province.general_text_source == TextSource.GENERATED and "4/6 cơ quan, đơn vị" in province.general_text
        assert province.shortcomings_text == ""  # the form sent none: saved as sent
        response = client.post(issue, {"version": province.version}, follow=True)
        assert "Đã ban hành báo cáo tổng hợp" in response.content.decode()
        province.refresh_from_db()
        assert province.is_issued and province.figures["counts"]["counted"] == 4

    def test_a_person_who_rewrites_the_text_for_the_new_figures_may_issue(self, scene, personas):
        from cchc.reports.models import TextSource

        province = actions.do_start_province_report(scene, actor=personas.coordinator)
        old_basis = province.general_text
        province = actions.do_save_province_report(
            province,
            {"general_text": "Văn bản của Sở, theo số liệu 3/6."},
            expected_version=province.version,
            actor=personas.coordinator,
            basis=old_basis,
        )
        actions.do_accept_report(personas.units.tttt.reports.get(), actor=personas.coordinator)
        province.refresh_from_db()
        province = actions.do_save_province_report(
            province,
            {"general_text": "Văn bản của Sở, theo số liệu 4/6."},
            expected_version=province.version,
            actor=personas.coordinator,
        )
        assert province.general_text_source == TextSource.EDITED
        issued = actions.do_issue_period_report(scene, actor=personas.coordinator, expected_version=province.version)
        assert issued.is_issued and issued.general_text == "Văn bản của Sở, theo số liệu 4/6."
