import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from cchc.audit.models import AuditEntry
from cchc.execution.actions import do_generate_deliverables, do_record_result, do_update_result
from cchc.execution.models import Deliverable, DeliverableStatus, ResultKind
from cchc.plans.models import AgencyRole
from cchc.testing import make_result, make_user, obligation_of

D = dt.date
pytestmark = pytest.mark.django_db


def _activity(plan, number):
    return plan.activities.get(number=number)


class TestGeneration:
    def test_the_monthly_tv_column_of_gia_lai_2024_is_twelve_deliverables_for_the_lead(self, personas, gia_lai_plan):
        activity = _activity(gia_lai_plan, "5")
        assert activity.recurrence_every == "month" and activity.recurrence_count == 1
        do_generate_deliverables(gia_lai_plan)
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        assert lead.role == AgencyRole.LEAD
        deliverables = list(lead.deliverables.order_by("sequence"))
        assert len(deliverables) == 12
        assert [d.label for d in deliverables[:2]] == ["Tháng 1/2024", "Tháng 2/2024"]
        assert [d.due_on for d in deliverables[:3]] == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31)]
        assert all(d.target_quantity == 1 and d.target_unit == "chuyên mục" for d in deliverables)
        # The coordinating broadcaster owes nothing of its own; nothing else in the plan recurs.
        broadcaster = obligation_of(gia_lai_plan, personas.units.dai, "5")
        assert broadcaster.deliverables.count() == 0
        assert Deliverable.objects.filter(obligation__activity__plan=gia_lai_plan).count() == 12

    def test_quarterly_gives_four_and_yearly_gives_one(self, personas, gia_lai_plan):
        activity = _activity(gia_lai_plan, "5")
        activity.recurrence_every = "quarter"  # "Hằng quý"
        activity.save(update_fields=["recurrence_every"])
        do_generate_deliverables(gia_lai_plan)
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        assert [(d.slot, d.due_on) for d in lead.deliverables.all()] == [
            ("2024-Q1", D(2024, 3, 31)),
            ("2024-Q2", D(2024, 6, 30)),
            ("2024-Q3", D(2024, 9, 30)),
            ("2024-Q4", D(2024, 12, 31)),
        ]
        activity.recurrence_every, activity.recurrence_count = "year", 2
        activity.save(update_fields=["recurrence_every", "recurrence_count"])
        do_generate_deliverables(gia_lai_plan)
        assert [(d.label, d.due_on, d.target_quantity) for d in lead.deliverables.all()] == [
            ("Năm 2024", D(2024, 12, 31), 2)
        ]

    def test_without_a_lead_every_implementing_unit_owes_its_own(self, personas, demo_plan):
        activity = _activity(demo_plan, "1")  # Sở TT&TT and every commune implement
        activity.recurrence_every, activity.recurrence_count, activity.recurrence_unit = "quarter", 2, "tin, bài"
        activity.save()
        do_generate_deliverables(demo_plan)
        for unit in (personas.units.tttt, personas.units.commune_a, personas.units.commune_b):
            deliverables = obligation_of(demo_plan, unit, "1").deliverables.all()
            assert len(deliverables) == 4 and {d.target_quantity for d in deliverables} == {2}

    def test_it_is_idempotent_and_keeps_ids_and_results(self, personas, gia_lai_plan):
        # Creating the plan already generated them (plans' obligations_changed signal).
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        assert lead.deliverables.count() == 12
        march = lead.deliverables.get(slot="2024-M03")
        result = make_result(lead, deliverable=march, occurred_on=D(2024, 3, 20))
        ids = set(lead.deliverables.values_list("pk", flat=True))
        again = do_generate_deliverables(gia_lai_plan)
        assert (again.created, again.updated, again.removed, again.kept) == (0, 0, 0, 12)
        assert set(lead.deliverables.values_list("pk", flat=True)) == ids
        result.refresh_from_db()
        march.refresh_from_db()
        assert result.deliverable_id == march.pk and march.met_on == D(2024, 3, 20)
        # Nothing changed: no audit row for the second run.
        assert AuditEntry.objects.filter(action="execution.generate_deliverables").count() == 1

    def test_a_narrower_period_removes_only_the_months_that_no_longer_apply(self, personas, gia_lai_plan):
        do_generate_deliverables(gia_lai_plan)
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        kept = dict(lead.deliverables.filter(due_on__lte=D(2024, 6, 30)).values_list("slot", "pk"))
        activity = _activity(gia_lai_plan, "5")
        activity.period_end = D(2024, 6, 30)
        activity.save(update_fields=["period_end"])
        summary = do_generate_deliverables(gia_lai_plan)
        assert (summary.created, summary.removed) == (0, 6)
        assert dict(lead.deliverables.values_list("slot", "pk")) == kept

    def test_a_later_start_keeps_the_first_month_with_new_dates(self, personas, gia_lai_plan):
        do_generate_deliverables(gia_lai_plan)
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        january = lead.deliverables.get(slot="2024-M01")
        activity = _activity(gia_lai_plan, "5")
        activity.period_start = D(2024, 1, 15)
        activity.save(update_fields=["period_start"])
        summary = do_generate_deliverables(gia_lai_plan)
        assert (summary.created, summary.updated, summary.removed) == (0, 1, 0)
        january.refresh_from_db()
        assert january.period_start == D(2024, 1, 15) and january.sequence == 1

    def test_changing_the_recurrence_moves_results_to_the_new_slots(self, personas, gia_lai_plan):
        do_generate_deliverables(gia_lai_plan)
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        feb = make_result(lead, deliverable=lead.deliverables.get(slot="2024-M02"), occurred_on=D(2024, 2, 10))
        may = make_result(lead, deliverable=lead.deliverables.get(slot="2024-M05"), occurred_on=D(2024, 5, 3))
        activity = _activity(gia_lai_plan, "5")
        activity.recurrence_every = "quarter"
        activity.save(update_fields=["recurrence_every"])
        summary = do_generate_deliverables(gia_lai_plan)
        assert (summary.created, summary.removed, summary.attached_results) == (4, 12, 2)
        feb.refresh_from_db()
        may.refresh_from_db()
        assert feb.deliverable.slot == "2024-Q1" and may.deliverable.slot == "2024-Q2"
        assert feb.deliverable.met_on == D(2024, 2, 10)

    def test_a_unit_that_stops_leading_loses_its_deliverables(self, personas, gia_lai_plan):
        do_generate_deliverables(gia_lai_plan)
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        lead.role = AgencyRole.COORDINATE
        lead.save(update_fields=["role"])
        do_generate_deliverables(gia_lai_plan)
        assert lead.deliverables.count() == 0
        # No lead left: the implementing units would owe it; here nobody implements, so nobody owes.
        assert Deliverable.objects.filter(obligation__activity__plan=gia_lai_plan).count() == 0

    def test_results_recorded_before_generation_are_attached_by_date(self, personas, gia_lai_plan):
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        early = make_result(lead, occurred_on=D(2024, 4, 9))
        do_generate_deliverables(gia_lai_plan)
        early.refresh_from_db()
        assert early.deliverable.slot == "2024-M04" and early.deliverable.met_on == D(2024, 4, 9)

    def test_the_command_generates_for_active_plans(self, personas, gia_lai_plan, capsys):
        Deliverable.objects.filter(obligation__activity__plan=gia_lai_plan).delete()
        call_command("generate_deliverables")
        assert "+12" in capsys.readouterr().out
        call_command("generate_deliverables", plan=[gia_lai_plan.pk])
        assert "+0 ~0 -0 =12" in capsys.readouterr().out


class TestStatus:
    def _march(self, personas, plan, target=1):
        activity = _activity(plan, "5")
        activity.recurrence_count = target
        activity.save(update_fields=["recurrence_count"])
        do_generate_deliverables(plan)
        return obligation_of(plan, personas.units.noi_vu, "5").deliverables.get(slot="2024-M03")

    def test_status_moves_from_upcoming_to_due_to_missed_by_date(self, personas, gia_lai_plan):
        march = self._march(personas, gia_lai_plan)
        assert march.status_on(D(2024, 2, 29)) == DeliverableStatus.UPCOMING
        assert march.status_on(D(2024, 3, 1)) == DeliverableStatus.DUE
        assert march.status_on(D(2024, 3, 31)) == DeliverableStatus.DUE
        assert march.status_on(D(2024, 4, 1)) == DeliverableStatus.MISSED

    def test_recording_results_meets_the_target_on_the_day_it_is_reached(self, personas, gia_lai_plan):
        march = self._march(personas, gia_lai_plan, target=2)
        officer = make_user(unit=personas.units.noi_vu)
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        fields = {
            "obligation": lead,
            "kind": ResultKind.BROADCAST,
            "title": "Chuyên mục CCHC số 3",
            "occurred_on": D(2024, 3, 12),
            "quantity": Decimal(1),
        }
        do_record_result(fields, actor=officer)
        march.refresh_from_db()
        assert (march.achieved_quantity, march.met_on) == (Decimal(1), None)
        assert march.status_on(D(2024, 3, 20)) == DeliverableStatus.DUE
        assert march.status_on(D(2024, 4, 2)) == DeliverableStatus.MISSED
        do_record_result(
            {**fields, "title": "Chuyên mục CCHC số 3 (phát lại)", "occurred_on": D(2024, 3, 28)}, actor=officer
        )
        march.refresh_from_db()
        assert (march.achieved_quantity, march.met_on) == (Decimal(2), D(2024, 3, 28))
        assert march.status_on(D(2024, 12, 31)) == DeliverableStatus.MET_ON_TIME

    def test_a_late_episode_chosen_for_march_meets_it_late(self, personas, gia_lai_plan):
        march = self._march(personas, gia_lai_plan)
        officer = make_user(unit=personas.units.noi_vu)
        lead = obligation_of(gia_lai_plan, personas.units.noi_vu, "5")
        result = do_record_result(
            {
                "obligation": lead,
                "deliverable": march,
                "kind": ResultKind.BROADCAST,
                "title": "Chuyên mục tháng 3 (phát muộn)",
                "occurred_on": D(2024, 4, 5),
                "quantity": Decimal(1),
            },
            actor=officer,
        )
        march.refresh_from_db()
        assert march.met_on == D(2024, 4, 5)
        assert march.status_on(D(2024, 4, 6)) == DeliverableStatus.MET_LATE
        # Moved back into March by an edit: met on time, and April stays unmet.
        do_update_result(
            result, {"occurred_on": D(2024, 3, 30), "deliverable": None}, actor=officer, expected_version=result.version
        )
        march.refresh_from_db()
        assert march.status_on(D(2024, 4, 6)) == DeliverableStatus.MET_ON_TIME
        april = lead.deliverables.get(slot="2024-M04")
        assert april.met_on is None and april.achieved_quantity == 0
