"""Every figure of the dashboards against the hand-worked scenario of ``scenario.py``."""

import datetime as dt
from decimal import Decimal

import pytest

from cchc.dashboards import figures
from cchc.dashboards.figures import DeliverableState, Filters, State
from cchc.dashboards.tests import scenario
from cchc.reports.models import Period

pytestmark = pytest.mark.django_db

DAY = scenario.DAY


@pytest.fixture
def world(personas, demo_plan):
    return scenario.build(personas, demo_plan)


def by_code(snap):
    return {row.unit.code: row for row in snap.agencies}


def by_number(snap):
    return {row.activity.number: row for row in snap.activities}


def test_it_counts_report_states_as_worked_out_by_hand(world):
    assert world.period.due_on == dt.date(2024, 3, 15)
    snap = figures.snapshot(world.plan, world.period, day=DAY)
    assert snap.expected == 5
    assert snap.states == {State.ON_TIME: 1, State.LATE: 1, State.RETURNED: 1, State.MISSING: 2, State.NOT_DUE: 0}
    assert (snap.submitted, snap.accepted, snap.awaiting_review, snap.overdue) == (2, 1, 1, 3)
    rows = by_code(snap)
    assert {code: row.state for code, row in rows.items()} == {
        "xa-1": State.ON_TIME,
        "so-tttt": State.LATE,
        "so-noi-vu": State.RETURNED,
        "xa-2": State.MISSING,
        "dai-ptth": State.MISSING,
    }
    assert rows["so-tttt"].days_late == 3 and rows["xa-1"].days_late == 0
    groups = {g.key: g for g in snap.groups}
    assert groups["provincial"].expected == 3
    assert groups["provincial"].states == {
        State.ON_TIME: 0,
        State.LATE: 1,
        State.RETURNED: 1,
        State.MISSING: 1,
        State.NOT_DUE: 0,
    }
    assert groups["commune"].states == {
        State.ON_TIME: 1,
        State.LATE: 0,
        State.RETURNED: 0,
        State.MISSING: 1,
        State.NOT_DUE: 0,
    }
    assert "district" not in groups  # the district owes nothing under this plan


def test_before_the_due_date_nobody_is_missing_yet(world):
    snap = figures.snapshot(world.plan, world.period, day=dt.date(2024, 3, 15))
    assert snap.states[State.MISSING] == 0 and snap.states[State.NOT_DUE] == 2
    assert snap.overdue == 0


def test_it_counts_each_activity_as_worked_out_by_hand(world):
    snap = figures.snapshot(world.plan, world.period, day=DAY)
    a1, a2 = by_number(snap)["1"].counts, by_number(snap)["2"].counts
    assert (a1.obligations, a1.with_results, a1.results, a1.cost, a1.reach) == (3, 2, 4, Decimal(3_800_000), 350)
    assert (a1.deliverables_due, a1.percent_met) == (0, None)
    assert [(k.kind, k.results) for k in by_number(snap)["1"].kinds] == [("news_article", 3), ("poster", 1)]
    assert (a2.obligations, a2.with_results, a2.results, a2.cost, a2.reach) == (2, 2, 3, Decimal(10_000_000), 6800)
    assert (a2.deliverables_due, a2.met_on_time, a2.met_late, a2.missed, a2.not_yet_due) == (2, 1, 1, 0, 0)
    assert (a2.met, a2.percent_met, a2.target_quantity, a2.achieved_quantity) == (2, 100, 2, Decimal(2))
    assert by_number(snap)["3"].counts.obligations == 0  # an unresolved agency owes nothing
    t = snap.totals
    assert (t.results, t.cost, t.reach, t.met, t.deliverables_due, t.obligations, t.with_results) == (
        7,
        Decimal(13_800_000),
        7150,
        2,
        2,
        5,
        4,
    )


def test_it_counts_each_agency_as_worked_out_by_hand(world):
    rows = by_code(figures.snapshot(world.plan, world.period, day=DAY))
    assert (rows["xa-1"].counts.results, rows["xa-1"].counts.cost) == (3, Decimal(3_500_000))
    assert (rows["xa-2"].counts.results, rows["xa-2"].counts.obligations) == (0, 1)
    assert (rows["so-tttt"].counts.results, rows["so-tttt"].counts.cost) == (1, Decimal(300_000))
    nv = rows["so-noi-vu"].counts
    assert (nv.results, nv.cost, nv.deliverables_due, nv.met) == (2, Decimal(10_000_000), 2, 2)
    assert (rows["dai-ptth"].counts.results, rows["dai-ptth"].counts.deliverables_due) == (1, 0)


def test_six_months_as_of_april_has_missed_and_not_yet_due_deliverables(world):
    h1 = Period.objects.get(plan=world.plan, code="2024-H1")
    snap = figures.snapshot(world.plan, h1, day=dt.date(2024, 4, 5))
    a2 = by_number(snap)["2"].counts
    assert (a2.deliverables_due, a2.met_on_time, a2.met_late, a2.missed, a2.not_yet_due) == (5, 1, 1, 1, 2)
    assert a2.percent_met == 40
    assert snap.states == {State.ON_TIME: 0, State.LATE: 0, State.RETURNED: 0, State.MISSING: 0, State.NOT_DUE: 5}
    assert by_number(snap)["1"].counts.results == 5  # r4 (15/03) falls in the six months' window


def test_filters_narrow_every_figure_to_the_same_agencies(world):
    communes = figures.snapshot(world.plan, world.period, Filters(group="commune"), day=DAY)
    assert sorted(by_code(communes)) == ["xa-1", "xa-2"]
    assert (communes.totals.results, communes.totals.cost, communes.totals.deliverables_due) == (3, 3_500_000, 0)
    assert by_number(communes)["1"].counts.obligations == 2 and by_number(communes)["2"].counts.obligations == 0
    provincial = figures.snapshot(world.plan, world.period, Filters(group="provincial"), day=DAY)
    assert sorted(by_code(provincial)) == ["dai-ptth", "so-noi-vu", "so-tttt"]
    assert provincial.totals.results == 4
    areas = figures.area_choices(world.plan)
    assert [a.code for a in areas] == ["huyen-1"]
    in_district = figures.snapshot(world.plan, world.period, Filters(area=areas[0]), day=DAY)
    assert sorted(by_code(in_district)) == ["xa-1", "xa-2"]
    assert in_district.totals.results == 3


def test_it_sums_spending_by_funding_source(world):
    snap = figures.snapshot(world.plan, world.period, day=DAY)
    sources = figures.spending_by_source(world.plan, world.period, snap.unit_ids)
    assert [(s.source, s.results, s.cost) for s in sources] == [
        ("Ngân sách tỉnh", 3, Decimal(10_300_000)),
        ("Ngân sách xã", 1, Decimal(2_500_000)),
        ("", 3, Decimal(1_000_000)),
    ]
    assert sum(s.cost for s in sources) == snap.totals.cost


def test_the_grid_shows_every_agency_in_every_period(world):
    periods = list(Period.objects.filter(plan=world.plan).order_by("end", "-start"))
    assert [p.code for p in periods] == ["2024-Q1", "2024-H1", "2024-Q3", "2024-Y"]
    rows = {
        row.unit.code: [c.state for c in row.cells] for row in figures.status_grid(world.plan, periods, Filters(), DAY)
    }
    assert rows == {
        "so-noi-vu": [State.RETURNED] + [State.NOT_DUE] * 3,
        "so-tttt": [State.LATE] + [State.NOT_DUE] * 3,
        "dai-ptth": [State.MISSING] + [State.NOT_DUE] * 3,
        "xa-1": [State.ON_TIME] + [State.NOT_DUE] * 3,
        "xa-2": [State.MISSING] + [State.NOT_DUE] * 3,
    }
    grid = figures.status_grid(world.plan, periods, Filters(group="commune"), DAY)
    assert [row.unit.code for row in grid] == ["xa-1", "xa-2"]
    assert grid[0].cells[0].accepted


def test_a_unit_closed_before_a_period_ends_owes_nothing_for_it(world, personas):
    personas.units.commune_b.valid_to = dt.date(2024, 5, 31)
    personas.units.commune_b.save(update_fields=["valid_to"])
    periods = list(Period.objects.filter(plan=world.plan).order_by("end", "-start"))
    row = next(r for r in figures.status_grid(world.plan, periods, Filters(), DAY) if r.unit.code == "xa-2")
    assert [c.state for c in row.cells] == [State.MISSING, State.NOT_EXPECTED, State.NOT_EXPECTED, State.NOT_EXPECTED]


def test_an_agency_sees_what_is_due_this_month_and_what_is_late(world):
    nv = world.units.noi_vu
    due, late = figures.agency_deadlines(world.plan, nv, dt.date(2024, 4, 5))
    assert [d.slot for d in due] == ["2024-M04"]
    assert [d.slot for d in late] == ["2024-M03"]
    rows = figures.agency_obligations(world.plan, world.period, nv, DAY)
    assert [(r.activity.number, r.role, r.counts.met, r.counts.deliverables_due) for r in rows] == [("2", "lead", 2, 2)]
    cells = figures.agency_reports(world.plan, list(Period.objects.filter(plan=world.plan).order_by("end")), nv, DAY)
    assert cells[0].state == State.RETURNED


def test_deliverable_states_match_the_progress_rule():
    due = dt.date(2024, 1, 31)
    assert DeliverableState.of(due, dt.date(2024, 1, 31), DAY) == DeliverableState.MET_ON_TIME
    assert DeliverableState.of(due, dt.date(2024, 2, 1), DAY) == DeliverableState.MET_LATE
    assert DeliverableState.of(due, dt.date(2024, 4, 1), DAY) == DeliverableState.MISSED  # met after "today"
    assert DeliverableState.of(due, None, dt.date(2024, 1, 31)) == DeliverableState.NOT_YET_DUE
    assert DeliverableState.of(due, None, dt.date(2024, 2, 1)) == DeliverableState.MISSED


def test_the_public_counts_only_public_results_inside_accepted_reports(world, personas):
    from cchc.reports.actions import do_accept_report, do_save_report, do_submit_report

    data = figures.public_progress(world.plan, DAY)
    acts = {a.activity.number: a for a in data.activities}
    # Only xã Ia Kha's quarter I report is accepted: its public results r1 and r3 (r2 is private, r4 is later).
    assert (acts["1"].results, acts["1"].reporting, acts["1"].agencies, acts["1"].reach) == (2, 1, 3, 250)
    assert acts["1"].cost == Decimal(1_000_000)
    assert (acts["2"].results, acts["2"].deliverables.deliverables_due) == (0, 0)
    assert dict((p.code, n) for p, n in data.periods) == {"2024-Q1": 1, "2024-H1": 0, "2024-Q3": 0, "2024-Y": 0}

    do_accept_report(world.reports.tttt, actor=personas.coordinator)
    returned = world.reports.noi_vu
    nv = do_save_report(
        returned, {"results_text": "Đã bổ sung."}, expected_version=returned.version, actor=world.heads.noi_vu
    )
    nv = do_submit_report(nv, actor=world.heads.noi_vu)
    do_accept_report(nv, actor=personas.coordinator)
    data = figures.public_progress(world.plan, DAY)
    acts = {a.activity.number: a for a in data.activities}
    assert (acts["1"].results, acts["1"].reporting) == (3, 2)  # + t1
    assert acts["2"].results == 1  # n1; n2 is private
    d = acts["2"].deliverables
    assert (d.deliverables_due, d.met_on_time, d.met_late, d.missed) == (2, 1, 1, 0)
    assert (data.totals.results, data.totals.deliverables.met) == (4, 2)
