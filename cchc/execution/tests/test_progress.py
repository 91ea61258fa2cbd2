import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.execution.actions import do_generate_deliverables
from cchc.execution.models import ResultKind
from cchc.execution.progress import progress, progress_by_kind
from cchc.orgs.models import UnitKind
from cchc.plans.actions import do_expand_obligations
from cchc.testing import make_result, make_unit, obligation_of

D = dt.date
pytestmark = pytest.mark.django_db
Q1 = (D(2023, 12, 15), D(2024, 3, 14))  # the CCHC regime's quarter I data window


@pytest.fixture
def plan(personas, gia_lai_plan):
    do_generate_deliverables(gia_lai_plan)
    lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
    make_result(
        lead,
        kind=ResultKind.BROADCAST,
        occurred_on=D(2024, 1, 20),
        cost=Decimal(5_000_000),
        deliverable=lead.deliverables.get(slot="2024-M01"),
    )
    make_result(
        lead,
        kind=ResultKind.BROADCAST,
        occurred_on=D(2024, 3, 5),
        cost=Decimal(5_000_000),
        deliverable=lead.deliverables.get(slot="2024-M02"),
    )  # February's episode, aired late
    commune = obligation_of(gia_lai_plan, personas.units.commune_a, "4")
    make_result(commune, kind=ResultKind.PORTAL_UPDATE, occurred_on=D(2024, 2, 1), quantity=Decimal(3), reach=40)
    make_result(commune, kind=ResultKind.PORTAL_UPDATE, occurred_on=D(2024, 3, 20), quantity=Decimal(9))  # after Q1
    return gia_lai_plan


class TestProgress:
    def test_it_counts_results_in_the_window_and_deliverables_due_in_it(self, personas, plan):
        rows = progress(plan, *Q1, as_of=D(2024, 3, 15))
        lead = rows[obligation_of(plan, personas.units.noi_vu, "5").pk]
        assert (lead.results, lead.cost) == (2, Decimal(10_000_000))
        # January and February fall due inside the window; March (due 31/03) does not.
        assert (lead.deliverables_due, lead.target_quantity) == (2, 2)
        assert (lead.met_on_time, lead.met_late, lead.missed, lead.target_met) == (1, 1, 0, True)
        commune = rows[obligation_of(plan, personas.units.commune_a, "4").pk]
        assert (commune.results, commune.quantity, commune.reach, commune.has_target) == (1, Decimal(3), 40, False)

    def test_met_is_judged_as_of_a_day(self, personas, plan):
        lead_id = obligation_of(plan, personas.units.noi_vu, "5").pk
        before = progress(plan, *Q1, as_of=D(2024, 3, 1))[lead_id]
        assert (before.met_on_time, before.met_late, before.missed) == (1, 0, 1)

    def test_it_can_be_limited_to_units_and_to_public_results(self, personas, plan):
        rows = progress(plan, *Q1, unit_ids=[personas.units.commune_a.pk])
        assert {r.unit_id for r in rows.values()} == {personas.units.commune_a.pk}
        assert sum(r.results for r in progress(plan, *Q1, published_only=True).values()) == 0

    def test_totals_by_kind(self, personas, plan):
        rows, totals = progress_by_kind(plan, *Q1)
        assert sum(t.results for t in totals.values()) == sum(r.results for r in rows.values())
        tv = totals[plan.activities.get(number="5").pk, ResultKind.BROADCAST]
        assert (tv.results, tv.cost) == (2, Decimal(10_000_000))

    def test_queries_do_not_grow_with_agencies(self, personas, plan):
        with CaptureQueriesContext(connection) as small:
            progress(plan, *Q1)
            progress_by_kind(plan, *Q1)
        for i in range(30):
            make_unit(kind=UnitKind.COMMUNE_COMMITTEE, parent=personas.units.district, name=f"UBND xã Mới {i}")
        do_expand_obligations(plan)
        for obligation in plan.activities.get(number="4").obligations.all()[:30]:
            make_result(obligation, occurred_on=D(2024, 2, 2))
        with CaptureQueriesContext(connection) as large:
            rows = progress(plan, *Q1)
            progress_by_kind(plan, *Q1)
        assert len(rows) > 60
        assert len(large) == len(small) == 7
