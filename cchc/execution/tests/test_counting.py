"""Whose results count toward an activity's target (``Activity.counting``): tests of each rule."""

import datetime as dt
from decimal import Decimal

import pytest

from cchc.execution.actions import do_delete_result, do_generate_deliverables, do_record_result
from cchc.execution.models import ResultKind
from cchc.execution.schedule import slots
from cchc.plans.models import CountingRule
from cchc.testing import make_result, make_user, obligation_of

D = dt.date
pytestmark = pytest.mark.django_db


def _set_rule(plan, number, rule):
    activity = plan.activities.get(number=number)
    activity.counting = rule
    activity.save(update_fields=["counting"])
    do_generate_deliverables(plan)
    return activity


def _march(plan, unit):
    return obligation_of(plan, unit, "2").deliverables.get(slot="2024-M03")


class TestCountingRule:
    def test_it_counts_the_coordinating_broadcasters_programme_by_default(self, personas, demo_plan):
        activity = demo_plan.activities.get(number="2")
        assert activity.counting == CountingRule.LEAD_COORDINATE
        officer = make_user("dai-officer", unit=personas.units.dai)
        broadcaster = obligation_of(demo_plan, personas.units.dai, "2")
        do_record_result(
            {
                "obligation": broadcaster,
                "kind": ResultKind.BROADCAST,
                "title": "Chuyên mục CCHC tháng 3",
                "occurred_on": D(2024, 3, 12),
                "quantity": Decimal(1),
            },
            actor=officer,
        )
        march = _march(demo_plan, personas.units.noi_vu)
        assert march.met_on == D(2024, 3, 12) and march.achieved_quantity == 1
        # The broadcaster still owes nothing of its own.
        assert broadcaster.deliverables.count() == 0

    def test_it_unmeets_the_leads_deliverable_when_the_helping_result_is_deleted(self, personas, demo_plan):
        officer = make_user("dai-officer", unit=personas.units.dai)
        broadcaster = obligation_of(demo_plan, personas.units.dai, "2")
        result = do_record_result(
            {"obligation": broadcaster, "kind": ResultKind.BROADCAST, "title": "T3", "occurred_on": D(2024, 3, 12)},
            actor=officer,
        )
        do_delete_result(result, actor=officer)
        assert _march(demo_plan, personas.units.noi_vu).met_on is None

    def test_under_lead_only_a_coordinators_result_does_not_count(self, personas, demo_plan):
        _set_rule(demo_plan, "2", CountingRule.LEAD)
        make_result(obligation_of(demo_plan, personas.units.dai, "2"), occurred_on=D(2024, 3, 12))
        do_generate_deliverables(demo_plan)
        assert _march(demo_plan, personas.units.noi_vu).met_on is None
        # Back to the default: regenerating recomputes with the new rule.
        _set_rule(demo_plan, "2", CountingRule.LEAD_COORDINATE)
        assert _march(demo_plan, personas.units.noi_vu).met_on == D(2024, 3, 12)

    def test_under_all_an_implementing_units_result_counts_and_under_lead_coordinate_it_does_not(
        self, personas, demo_plan
    ):
        from cchc.plans.models import AgencyRole, Obligation

        activity = demo_plan.activities.get(number="2")
        Obligation.objects.create(activity=activity, unit=personas.units.commune_a, role=AgencyRole.IMPLEMENT)
        make_result(obligation_of(demo_plan, personas.units.commune_a, "2"), occurred_on=D(2024, 3, 5))
        do_generate_deliverables(demo_plan)
        assert _march(demo_plan, personas.units.noi_vu).met_on is None
        _set_rule(demo_plan, "2", CountingRule.ALL)
        assert _march(demo_plan, personas.units.noi_vu).met_on == D(2024, 3, 5)

    def test_it_adds_the_leads_and_the_helpers_quantities_toward_one_target(self, personas, demo_plan):
        activity = demo_plan.activities.get(number="2")
        activity.recurrence_count = 2
        activity.save(update_fields=["recurrence_count"])
        do_generate_deliverables(demo_plan)
        lead = obligation_of(demo_plan, personas.units.noi_vu, "2")
        march = lead.deliverables.get(slot="2024-M03")
        make_result(lead, deliverable=march, occurred_on=D(2024, 3, 2))
        march.refresh_from_db()
        assert march.met_on is None
        make_result(obligation_of(demo_plan, personas.units.dai, "2"), occurred_on=D(2024, 3, 20))
        do_generate_deliverables(demo_plan)
        march.refresh_from_db()
        assert (march.achieved_quantity, march.met_on) == (2, D(2024, 3, 20))


class TestHalfYear:
    def test_it_gives_two_slots_a_year_due_at_the_end_of_june_and_december(self):
        got = slots("half_year", D(2024, 1, 1), D(2024, 12, 31))
        assert [(s.key, s.due_on) for s in got] == [("2024-H1", D(2024, 6, 30)), ("2024-H2", D(2024, 12, 31))]
        assert [s.key for s in slots("half_year", D(2024, 8, 1), D(2024, 12, 31))] == ["2024-H2"]


class TestTopicSuggestion:
    def test_the_form_suggests_topics_from_the_title_and_saves_only_once_the_officer_confirms(
        self, client, personas, demo_plan
    ):
        from django.urls import reverse

        from cchc.execution.models import Result
        from cchc.plans.models import Topic

        topic = Topic.objects.create(
            plan=demo_plan, number="2", text="Dịch vụ công trực tuyến và cơ chế một cửa liên thông", order=1
        )
        client.force_login(personas.officer_a)
        data = {
            "obligation": obligation_of(demo_plan, personas.units.commune_a, "1").pk,
            "kind": ResultKind.NEWS_ARTICLE,
            "title": "Hướng dẫn nộp hồ sơ qua dich vu cong truc tuyen",
            "occurred_on": "2024-04-02",
            "quantity": "1",
            "cost": "0",
        }
        response = client.post(reverse("execution:result_create"), data)
        assert response.status_code == 200 and not Result.objects.exists()
        html = response.content.decode()
        assert "Hãy xem lại rồi bấm lưu để xác nhận" in html
        form = response.context["form"]
        assert [int(pk) for pk in form.data.getlist("topics")] == [topic.pk]  # ticked for the officer to confirm
        assert "Dịch vụ công trực tuyến và cơ chế một cửa" in html
        # Confirmed as suggested (the form now carries topics_reviewed): saved with the topic.
        response = client.post(
            reverse("execution:result_create"), {**data, "topics": [topic.pk], "topics_reviewed": "1"}
        )
        assert response.status_code == 302
        assert list(Result.objects.get().topics.all()) == [topic]

    def test_an_officer_who_clears_the_suggestion_saves_without_topic(self, client, personas, demo_plan):
        from django.urls import reverse

        from cchc.execution.models import Result
        from cchc.plans.models import Topic

        Topic.objects.create(plan=demo_plan, number="2", text="Dịch vụ công trực tuyến", order=1)
        client.force_login(personas.officer_a)
        data = {
            "obligation": obligation_of(demo_plan, personas.units.commune_a, "1").pk,
            "kind": ResultKind.NEWS_ARTICLE,
            "title": "Dịch vụ công trực tuyến",
            "occurred_on": "2024-04-02",
            "quantity": "1",
            "cost": "0",
            "topics_reviewed": "1",
        }
        assert client.post(reverse("execution:result_create"), data).status_code == 302
        assert not Result.objects.get().topics.exists()


class TestTheRuleChangedInThePlanEditor:
    def test_an_amendment_that_changes_the_rule_recomputes_the_leads_deliverables(self, personas, demo_plan):
        from cchc.plans.actions import do_save_activity

        make_result(obligation_of(demo_plan, personas.units.dai, "2"), occurred_on=D(2024, 3, 12))
        do_generate_deliverables(demo_plan)
        assert _march(demo_plan, personas.units.noi_vu).met_on == D(2024, 3, 12)
        activity = demo_plan.activities.get(number="2")
        do_save_activity(
            demo_plan,
            activity,
            {"counting": CountingRule.LEAD},
            None,
            actor=personas.coordinator,
            expected_version=None,
            reason="Chỉ tính kết quả của Sở Nội vụ",
        )
        assert _march(demo_plan, personas.units.noi_vu).met_on is None
