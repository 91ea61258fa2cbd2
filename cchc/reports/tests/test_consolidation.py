import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.execution.models import Deliverable
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
    make_result(u.commune_a, plan=demo_plan, kind="poster", quantity=4, quantity_unit="pa nô", reach=None,
                cost=2_000_000)
    make_result(u.tttt, plan=demo_plan, quantity=10, reach=1000, cost=0)
    make_result(district, plan=demo_plan, number="4", kind="training", quantity=1, quantity_unit="lớp", reach=45,
                cost=12_000_000)
    make_result(u.noi_vu, plan=demo_plan, number="2", kind="broadcast", quantity=1, quantity_unit="chuyên mục",
                reach=5000, cost=8_000_000)
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
        ("news_article", "tin, bài", "5.5", 2), ("poster", "pa nô", "4", 1)]
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
    province = actions.do_save_province_report(province, {"general_text": "Nhận xét của Sở Nội vụ."},
                                               expected_version=province.version, actor=personas.coordinator)
    with pytest.raises(actions.EditConflict):
        actions.do_save_province_report(province, {"general_text": "cũ"}, expected_version=1,
                                        actor=personas.coordinator)
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
        actions.do_save_province_report(province, {"general_text": "x"}, expected_version=province.version,
                                        actor=personas.coordinator)


def test_queries_do_not_grow_with_the_number_of_agencies(scene, demo_plan, personas):
    with CaptureQueriesContext(connection) as small:
        before = consolidate(scene)
    units = [make_unit(kind=UnitKind.COMMUNE_COMMITTEE, parent=personas.units.district, name=f"UBND xã {i}")
             for i in range(25)]
    do_expand_obligations(demo_plan)
    for unit in units:
        make_result(unit, plan=demo_plan, quantity=2, reach=10, cost=1000)
        _accepted(scene, unit, make_head(unit), personas.coordinator)
    with CaptureQueriesContext(connection) as large:
        after = consolidate(scene)
    assert after["totals"]["results"] == before["totals"]["results"] + 25
    assert after["counts"]["expected"] == before["counts"]["expected"] + 25
    assert len(large) == len(small) <= 5
