import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.plans.actions import do_create_plan, do_expand_obligations, do_inherit_obligations
from cchc.plans.inherit import do_choose_successor
from cchc.plans.models import AgencyRole, Obligation, PlanStatus, SuccessorChoice
from cchc.plans.nextyear import do_copy_plan
from cchc.plans.tests.reorg import REFORM_DAY, reorg_document, reorganise
from cchc.testing import make_result


@pytest.fixture
def reorg(personas):
    return reorganise(personas.units)


@pytest.fixture
def plan_2025(reorg):
    """A 2025 plan made before the reform: it names the districts, the old communes and Sở TT&TT."""
    return do_create_plan(reorg_document(2025), status=PlanStatus.ACTIVE)


def _role(plan, number, unit):
    ob = Obligation.objects.filter(activity__plan=plan, activity__number=number, unit=unit).first()
    return ob.role if ob and ob.required else None


@pytest.mark.django_db
class TestInheritObligations:
    def test_a_closed_districts_work_goes_to_the_communes_of_its_area(self, personas, plan_2025, reorg):
        assert _role(plan_2025, "3", personas.units.district) == AgencyRole.IMPLEMENT
        report = do_inherit_obligations(REFORM_DAY)
        for commune in (reorg.new_a, reorg.new_b):
            inherited = Obligation.objects.get(activity__plan=plan_2025, activity__number="3", unit=commune)
            assert inherited.role == AgencyRole.IMPLEMENT and inherited.inherited_from == personas.units.district
        assert report.created >= 2

    def test_a_successor_keeps_the_stronger_role(self, personas, reorg):
        document = reorg_document(2025)
        # The newspaper coordinates activity 3, the broadcaster merged into it leads it.
        document["activities"][2]["agencies"] = [
            {"name": "Đài Phát thanh và Truyền hình tỉnh", "role": "lead"},
            {"name": "Báo và Phát thanh truyền hình Gia Lai", "role": "coordinate"},
        ]
        plan = do_create_plan(document, status=PlanStatus.ACTIVE)
        report = do_inherit_obligations(REFORM_DAY)
        assert _role(plan, "3", reorg.bao) == AgencyRole.LEAD and report.strengthened == 1

    def test_several_successors_are_a_choice_shown_to_the_coordinator_meanwhile_the_proposed_one_leads(
        self, personas, plan_2025, reorg
    ):
        report = do_inherit_obligations(REFORM_DAY)
        choices = SuccessorChoice.objects.pending().order_by("activity__order")
        assert report.choices == 2 and [(c.activity.number, c.proposed) for c in choices] == [
            ("1", reorg.khcn),
            ("3", reorg.vhttdl),
        ]
        assert set(choices[1].candidates.all()) == {reorg.khcn, reorg.vhttdl}
        # Activity 3 never loses its lead: Sở VHTT&DL carries it until the coordinator decides.
        assert _role(plan_2025, "3", reorg.vhttdl) == AgencyRole.LEAD
        assert _role(plan_2025, "3", reorg.khcn) is None

    def test_the_closed_units_keep_their_results_but_owe_nothing_any_more(self, personas, plan_2025, reorg):
        old = Obligation.objects.get(activity__plan=plan_2025, activity__number="1", unit=personas.units.commune_a)
        make_result(old, occurred_on=dt.date(2025, 3, 1))
        do_inherit_obligations(REFORM_DAY)
        old.refresh_from_db()
        assert not old.required and old.results.count() == 1
        closed = Obligation.objects.filter(activity__plan=plan_2025, required=True, unit__valid_to__lt=REFORM_DAY)
        # Activity 2 ended on 30/06/2025: nothing of it is passed on, nor released.
        assert set(closed.values_list("activity__number", flat=True)) == {"2"}

    def test_it_is_idempotent_and_writes_one_audit_row(self, plan_2025, reorg):
        first = do_inherit_obligations(REFORM_DAY)
        second = do_inherit_obligations(REFORM_DAY)
        assert first.created and (second.created, second.choices, second.released) == (0, 0, 0)
        assert AuditEntry.objects.filter(action="plans.inherit_obligations").count() == 1

    def test_the_command_reports_the_choices(self, plan_2025, reorg, capsys):
        call_command("inherit_obligations", "--as-of", "2025-07-01")
        out = capsys.readouterr().out
        assert "2 nhiệm vụ có nhiều đơn vị kế thừa" in out and reverse("plans:successor_choices") in out


@pytest.mark.django_db
class TestChooseSuccessor:
    def test_the_coordinator_moves_the_work_to_another_successor(self, personas, plan_2025, reorg):
        do_inherit_obligations(REFORM_DAY)
        choice = SuccessorChoice.objects.get(activity__number="3")
        do_choose_successor(choice, reorg.khcn, actor=personas.coordinator)
        assert _role(plan_2025, "3", reorg.khcn) == AgencyRole.LEAD
        assert _role(plan_2025, "3", reorg.vhttdl) is None
        choice.refresh_from_db()
        assert choice.chosen == reorg.khcn and choice.decided_by == personas.coordinator
        entry = AuditEntry.objects.get(action="plans.choose_successor")
        assert entry.details["chosen"] == reorg.khcn.name and entry.details["proposed"] == reorg.vhttdl.name
        # Running the inheritance again does not undo the coordinator's pick.
        do_inherit_obligations(REFORM_DAY)
        assert _role(plan_2025, "3", reorg.khcn) == AgencyRole.LEAD and _role(plan_2025, "3", reorg.vhttdl) is None

    def test_confirming_the_proposal_changes_no_obligation(self, personas, plan_2025, reorg):
        do_inherit_obligations(REFORM_DAY)
        before = set(Obligation.objects.values_list("pk", "unit_id", "role", "required"))
        do_choose_successor(SuccessorChoice.objects.get(activity__number="3"), reorg.vhttdl, actor=personas.coordinator)
        assert set(Obligation.objects.values_list("pk", "unit_id", "role", "required")) == before

    def test_a_unit_that_is_not_a_successor_is_refused(self, personas, plan_2025, reorg):
        do_inherit_obligations(REFORM_DAY)
        choice = SuccessorChoice.objects.get(activity__number="3")
        with pytest.raises(ValidationError, match="không phải là đơn vị kế thừa"):
            do_choose_successor(choice, personas.units.noi_vu, actor=personas.coordinator)
        assert not AuditEntry.objects.filter(action="plans.choose_successor").exists()

    def test_the_page_lists_pending_choices_and_a_pick_is_saved(self, client, personas, plan_2025, reorg):
        do_inherit_obligations(REFORM_DAY)
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:successor_choices"))
        assert page.status_code == 200 and "Còn 2 lựa chọn chờ xác nhận" in page.text
        assert "Sở Thông tin và Truyền thông" in page.text and "chờ xác nhận" in page.text
        choice = SuccessorChoice.objects.get(activity__number="3")
        response = client.post(
            reverse("plans:successor_choose", args=[choice.pk]), {"unit": reorg.khcn.pk}, follow=True
        )
        assert "Sở Khoa học và Công nghệ thực hiện phần việc của Sở Thông tin và Truyền thông" in response.text
        assert _role(plan_2025, "3", reorg.khcn) == AgencyRole.LEAD

    def test_a_pick_outside_the_candidates_is_refused_with_a_message(self, client, personas, plan_2025, reorg):
        do_inherit_obligations(REFORM_DAY)
        client.force_login(personas.coordinator)
        choice = SuccessorChoice.objects.get(activity__number="3")
        url = reverse("plans:successor_choose", args=[choice.pk])
        response = client.post(url, {"unit": personas.units.noi_vu.pk}, follow=True)
        assert "không phải là đơn vị kế thừa" in response.text
        response = client.post(url, {"unit": "x"}, follow=True)
        assert "Hãy chọn một đơn vị kế thừa" in response.text
        assert SuccessorChoice.objects.get(pk=choice.pk).chosen is None

    def test_the_page_costs_the_same_whatever_the_number_of_choices(self, client, personas, plan_2025, reorg):
        do_inherit_obligations(REFORM_DAY)
        client.force_login(personas.coordinator)
        url = reverse("plans:successor_choices")
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for activity in plan_2025.activities.all():
            choice = SuccessorChoice.objects.create(
                activity=activity, predecessor=personas.units.dai, role="lead", proposed=reorg.bao
            )
            choice.candidates.set([reorg.bao, reorg.khcn])
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert SuccessorChoice.objects.count() > 4 and len(many) == len(few)


@pytest.mark.django_db
def test_a_2025_plan_copied_from_2024_leaves_no_work_on_closed_units_after_the_reform(personas, reorg):
    """Issue 13's check on the small province: copy 2024 → 2025, activate, inherit on 01/07/2025."""
    plan_2024 = do_create_plan(reorg_document(2024), status=PlanStatus.ACTIVE)
    plan_2025, _report = do_copy_plan(plan_2024, 2025, actor=personas.coordinator)
    plan_2025.status = PlanStatus.ACTIVE
    plan_2025.save(update_fields=["status"])
    do_expand_obligations(plan_2025)
    do_inherit_obligations(REFORM_DAY)
    running = Obligation.objects.filter(activity__plan=plan_2025, required=True, activity__period_end__gte=REFORM_DAY)
    assert running.exists() and not running.filter(unit__valid_to__lt=REFORM_DAY).exists()
    for activity in plan_2025.activities.filter(agencies__role=AgencyRole.LEAD).distinct():
        assert activity.obligations.filter(role=AgencyRole.LEAD, required=True).exists(), activity.number
