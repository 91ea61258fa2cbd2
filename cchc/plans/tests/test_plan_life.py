"""A plan's life in actions: the activation check, activation, amendments as versions, closing."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.audit.models import AuditEntry
from cchc.execution.models import Deliverable, Result
from cchc.lib.versioning import StaleEdit
from cchc.orgs.models import UnitGroup
from cchc.plans.actions import (
    ActivationRefused,
    do_activate_plan,
    do_close_plan,
    do_create_plan,
    do_delete_activity,
    do_move_activity,
    do_save_activity,
    do_save_plan_content,
    do_save_plan_header,
)
from cchc.plans.checks import check_plan
from cchc.plans.models import Activity, Obligation, PlanStatus
from cchc.plans.versions import compare, plan_document
from cchc.reports.models import Notification
from cchc.testing import make_result, obligation_of
from cchc.testing import plan_document as make_document


def draft(**overrides):
    return do_create_plan(make_document(**overrides), status=PlanStatus.DRAFT)


def agencies_of(activity):
    return [a.as_document() for a in activity.agencies.select_related("unit", "group")]


def activate(plan, coordinator):
    return do_activate_plan(plan, actor=coordinator, expected_version=plan.version, accept=["*"])


def issue_year_report(plan, coordinator):
    from cchc.reports.actions import do_ensure_periods, do_issue_province_report, do_start_province_report

    period = next(p for p in do_ensure_periods(plan) if p.kind == "Y")
    report = do_start_province_report(period, actor=coordinator)
    do_issue_province_report(report, actor=coordinator)


@pytest.mark.django_db
class TestCheck:
    def test_it_lists_unmatched_agencies_missing_leads_periods_and_targets(self, personas):
        plan = draft()
        plan.activities.filter(number="2").update(recurrence_unit="")
        codes = {p.code: p.level for p in check_plan(plan)}
        assert codes["unmatched:3:0"] == "warning"
        assert codes["no_lead:1"] == "warning" and "no_lead:2" not in codes
        assert codes["no_period:3"] == "warning"
        assert codes["no_target:2"] == "warning"
        assert codes["no_agency:3"] == "warning"

    def test_it_flags_a_group_with_no_unit(self, personas):
        UnitGroup.objects.create(code="ubnd-dac-khu", name="UBND các đặc khu", kinds=["special_zone"])
        doc = make_document()
        doc["activities"][0]["agencies"].append({"name": "UBND các đặc khu", "role": "implement"})
        plan = do_create_plan(doc)
        problem = next(p for p in check_plan(plan) if p.code.startswith("empty_group"))
        assert problem.code == "empty_group:1:2" and "UBND các đặc khu" in problem.message

    def test_it_flags_agencies_marked_for_review(self, personas):
        plan = draft()
        plan.activities.get(number="2").agencies.filter(name="Sở Nội vụ").update(needs_review=True, note="kế thừa")
        assert any(p.code == "needs_review:2:0" and "kế thừa" in p.message for p in check_plan(plan))

    def test_an_empty_group_marked_for_review_is_one_warning_not_two(self, personas):
        UnitGroup.objects.create(code="ubnd-dac-khu", name="UBND các đặc khu", kinds=["special_zone"])
        doc = make_document()
        doc["activities"][0]["agencies"].append({"name": "UBND các đặc khu", "role": "implement"})
        plan = do_create_plan(doc)
        plan.activities.get(number="1").agencies.filter(name="UBND các đặc khu").update(needs_review=True)
        assert [p.code for p in check_plan(plan) if p.code.endswith(":1:2")] == ["empty_group:1:2"]


@pytest.mark.django_db
class TestActivate:
    def test_it_refuses_until_each_warning_is_accepted(self, personas):
        plan = draft()
        with pytest.raises(ActivationRefused) as refused:
            do_activate_plan(plan, actor=personas.coordinator, expected_version=plan.version, accept=["no_lead:1"])
        assert {p.code for p in refused.value.problems} >= {"unmatched:3:0", "no_period:3"}
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT

    def test_it_refuses_an_empty_group_until_accepted(self, personas):
        UnitGroup.objects.create(code="ubnd-dac-khu", name="UBND các đặc khu", kinds=["special_zone"])
        doc = make_document()
        doc["activities"][0]["agencies"].append({"name": "UBND các đặc khu", "role": "implement"})
        plan = do_create_plan(doc)
        others = [p.code for p in check_plan(plan) if not p.code.startswith("empty_group")]
        with pytest.raises(ActivationRefused) as refused:
            do_activate_plan(plan, actor=personas.coordinator, expected_version=plan.version, accept=others)
        assert [p.code for p in refused.value.problems] == ["empty_group:1:2"]
        plan = do_activate_plan(
            plan, actor=personas.coordinator, expected_version=plan.version, accept=[*others, "empty_group:1:2"]
        )
        assert "empty_group:1:2" in plan.accepted_warnings

    def test_it_refuses_a_plan_without_activities_whatever_is_accepted(self, personas):
        plan = do_create_plan(make_document(activities=[]))
        with pytest.raises(ActivationRefused) as refused:
            activate(plan, personas.coordinator)
        assert refused.value.problems[0].code == "no_activities"

    def test_it_activates_records_version_one_and_tells_each_agency_once(self, personas):
        plan = draft()
        plan = activate(plan, personas.coordinator)
        assert plan.status == PlanStatus.ACTIVE and plan.activated_at is not None
        assert plan.versions.get().number == 1
        assert Deliverable.objects.filter(obligation__activity__plan=plan).count() == 12
        # officer-a, head-a (commune A), officer-b (commune B), officer-dept (Sở TT&TT), coordinator (Sở Nội vụ)
        told = Notification.objects.values_list("user__username", flat=True)
        assert sorted(told) == sorted(["officer-a", "head-a", "officer-b", "officer-dept"])
        assert len(mail.outbox) == 0 or all(len(m.to) == 1 for m in mail.outbox)
        assert AuditEntry.objects.filter(action="plans.activate").count() == 1

    def test_it_refuses_a_stale_version(self, personas):
        plan = draft()
        with pytest.raises(StaleEdit):
            do_activate_plan(plan, actor=personas.coordinator, expected_version=plan.version - 1, accept=["*"])


@pytest.mark.django_db
class TestEditDraft:
    def test_it_saves_the_header_under_the_version(self, personas):
        plan = draft()
        plan, version = do_save_plan_header(
            plan, {"title": "Kế hoạch mới", "place": "Pleiku"}, actor=personas.coordinator, expected_version=1
        )
        assert version is None and plan.title == "Kế hoạch mới" and plan.version == 2
        assert plan.updated_by == personas.coordinator
        with pytest.raises(StaleEdit) as stale:
            do_save_plan_header(plan, {"title": "Khác"}, actor=personas.admin, expected_version=1)
        assert "coordinator" in stale.value.messages[0] or str(personas.coordinator) in stale.value.messages[0]

    def test_it_saves_topics_by_number_and_lists(self, personas):
        plan = draft()
        do_save_plan_content(
            plan,
            {
                "objectives": ["A", "B"],
                "topics": [{"number": "1", "text": "T1", "items": ["x"]}, {"number": "2", "text": "T2", "items": []}],
            },
            actor=personas.coordinator,
            expected_version=plan.version,
        )
        plan.refresh_from_db()
        assert plan.objectives == ["A", "B"]
        assert list(plan.topics.values_list("number", "text", "items")) == [("1", "T1", ["x"]), ("2", "T2", [])]

    def test_it_changes_an_activity_lead_and_its_obligations_follow(self, personas):
        plan = draft()
        activity = plan.activities.get(number="3")
        agencies = [{"name": "Sở Nội vụ", "role": "lead", "unit": "so-noi-vu", "group": None, "match": "confirmed"}]
        do_save_activity(
            plan,
            activity,
            {"period_start": dt.date(2024, 1, 1), "period_end": dt.date(2024, 6, 30)},
            agencies,
            actor=personas.coordinator,
            expected_version=plan.version,
        )
        activity.refresh_from_db()
        assert activity.period_end == dt.date(2024, 6, 30)
        assert list(activity.obligations.values_list("unit__code", "role")) == [("so-noi-vu", "lead")]

    def test_it_adds_moves_and_deletes_activities(self, personas):
        plan = draft()
        activity, _ = do_save_activity(
            plan,
            None,
            {"number": "4", "title": "Mới", "counting": "all"},
            [],
            actor=personas.coordinator,
            expected_version=plan.version,
        )
        assert activity.order == 3 and activity.counting == "all"
        plan.refresh_from_db()
        do_move_activity(plan, activity, -1, actor=personas.coordinator, expected_version=plan.version)
        assert list(plan.activities.values_list("number", flat=True)) == ["1", "2", "4", "3"]
        plan.refresh_from_db()
        do_delete_activity(plan, activity, actor=personas.coordinator, expected_version=plan.version)
        assert not Activity.objects.filter(pk=activity.pk).exists()

    def test_it_refuses_a_number_already_used(self, personas):
        plan = draft()
        with pytest.raises(ValidationError) as err:
            do_save_activity(
                plan,
                None,
                {"number": "2", "title": "Trùng"},
                [],
                actor=personas.coordinator,
                expected_version=plan.version,
            )
        assert "đã có hoạt động số 2" in str(err.value)


@pytest.mark.django_db
class TestAmend:
    def test_it_needs_a_reason(self, personas):
        plan = activate(draft(), personas.coordinator)
        with pytest.raises(ValidationError) as err:
            do_save_plan_header(plan, {"title": "X"}, actor=personas.coordinator, expected_version=plan.version)
        assert "lý do" in str(err.value)

    def test_a_moved_deadline_is_a_version_and_its_agencies_are_told(self, personas):
        plan = activate(draft(), personas.coordinator)
        Notification.objects.all().delete()
        mail.outbox.clear()
        activity = plan.activities.get(number="1")
        _a, version = do_save_activity(
            plan,
            activity,
            {"period_end": dt.date(2024, 6, 30)},
            None,
            actor=personas.coordinator,
            expected_version=plan.version,
            reason="Rút ngắn thời hạn",
        )
        assert version.number == 2 and version.reason == "Rút ngắn thời hạn"
        assert [c["what"] for c in version.changes] == ["Thời gian"]
        assert version.changes[0]["after"] == "01/01/2024 – 30/06/2024"
        told = Notification.objects.filter(user__username="officer-a").get()
        assert "30/06/2024" in told.message and "Rút ngắn thời hạn" in told.message
        # Sở Nội vụ has no obligation under activity 1: not told.
        assert not Notification.objects.filter(user=personas.coordinator).exists()
        assert any("officer-a" in m.to[0] or m.subject.startswith("[CCHC]") for m in mail.outbox) or not mail.outbox

    def test_a_removed_unit_keeps_its_obligation_and_results(self, personas):
        plan = activate(draft(), personas.coordinator)
        obligation = obligation_of(plan, personas.units.commune_a, "1")
        result = make_result(obligation)
        activity = plan.activities.get(number="1")
        agencies = [a for a in agencies_of(activity) if a["group"] is None]  # the communes' group dropped
        do_save_activity(
            plan, activity, {}, agencies, actor=personas.coordinator, expected_version=plan.version, reason="Bỏ cấp xã"
        )
        obligation.refresh_from_db()
        result.refresh_from_db()
        assert not obligation.required and obligation.dropped_in == 2
        assert result.obligation_id == obligation.pk
        assert Notification.objects.filter(
            user=personas.officer_a, message__contains="không còn phải thực hiện"
        ).exists()

    def test_a_removed_activity_with_results_stays_withdrawn(self, personas):
        plan = activate(draft(), personas.coordinator)
        obligation = obligation_of(plan, personas.units.noi_vu, "2")
        result = make_result(obligation)
        activity = plan.activities.get(number="2")
        do_delete_activity(
            plan, activity, actor=personas.coordinator, expected_version=plan.version, reason="Không làm nữa"
        )
        activity.refresh_from_db()
        assert activity.removed_in == 2
        assert not Obligation.objects.filter(activity=activity, required=True).exists()
        assert Result.objects.get(pk=result.pk).obligation_id == obligation.pk
        assert not Deliverable.objects.filter(obligation__activity=activity).exists()
        assert "2" not in [a["number"] for a in plan.versions.get(number=2).snapshot["activities"]]

    def test_compare_names_added_removed_and_changed_activities(self, personas):
        plan = draft()
        before = plan_document(plan)
        after = plan_document(plan)
        after["activities"][0]["recurrence"] = {"every": "quarter", "count": 2, "unit": "bài"}
        after["activities"].pop(1)
        after["activities"].append({"number": "9", "title": "Mới"})
        after["title"] = "Tên mới"
        texts = [c.text for c in compare(before, after)]
        assert texts[0].startswith("Trích yếu")
        assert "Bỏ hoạt động 2: Chuyên mục CCHC trên Đài" in texts
        assert "Thêm hoạt động 9: Mới" in texts
        assert any("02 bài/quý" in t for t in texts)


@pytest.mark.django_db
class TestClose:
    def test_it_waits_for_the_year_report(self, personas):
        plan = activate(draft(), personas.coordinator)
        with pytest.raises(ValidationError) as err:
            do_close_plan(plan, actor=personas.coordinator)
        assert "báo cáo tổng hợp năm 2024" in str(err.value)
        issue_year_report(plan, personas.coordinator)
        plan = do_close_plan(plan, actor=personas.coordinator)
        assert plan.status == PlanStatus.CLOSED and plan.closed_at is not None

    def test_only_an_administrator_may_override(self, personas):
        plan = activate(draft(), personas.coordinator)
        with pytest.raises(PermissionDenied):
            do_close_plan(plan, actor=personas.coordinator, override=True)
        assert do_close_plan(plan, actor=personas.admin, override=True).status == PlanStatus.CLOSED

    def test_a_closed_plan_refuses_every_edit(self, personas):
        plan = activate(draft(), personas.coordinator)
        plan = do_close_plan(plan, actor=personas.admin, override=True)
        activity = plan.activities.get(number="1")
        for call in (
            lambda: do_save_plan_header(
                plan, {"title": "X"}, actor=personas.coordinator, expected_version=plan.version, reason="r"
            ),
            lambda: do_save_plan_content(
                plan, {"objectives": []}, actor=personas.coordinator, expected_version=plan.version, reason="r"
            ),
            lambda: do_save_activity(
                plan,
                activity,
                {"title": "X"},
                None,
                actor=personas.coordinator,
                expected_version=plan.version,
                reason="r",
            ),
            lambda: do_delete_activity(
                plan, activity, actor=personas.coordinator, expected_version=plan.version, reason="r"
            ),
            lambda: do_move_activity(plan, activity, 1, actor=personas.coordinator, expected_version=plan.version),
        ):
            with pytest.raises(ValidationError) as err:
                call()
            assert "đã kết thúc" in str(err.value)


@pytest.mark.django_db
class TestResultsAtTheEdges:
    def test_a_result_from_15_december_of_the_year_before_is_accepted(self, personas):
        plan = activate(draft(issued_on="2024-01-10"), personas.coordinator)
        obligation = obligation_of(plan, personas.units.commune_a, "1")
        Result(
            unit=personas.units.commune_a,
            obligation=obligation,
            kind="news_article",
            title="Tin",
            occurred_on=dt.date(2023, 12, 15),
        ).full_clean(exclude=["created_by"])
        with pytest.raises(ValidationError):
            Result(
                unit=personas.units.commune_a,
                obligation=obligation,
                kind="news_article",
                title="Tin",
                occurred_on=dt.date(2023, 12, 14),
            ).full_clean(exclude=["created_by"])

    def test_a_result_outside_the_activity_period_carries_a_warning(self, personas):
        plan = activate(draft(), personas.coordinator)
        Activity.objects.filter(plan=plan, number="1").update(period_start=dt.date(2024, 4, 1))
        obligation = obligation_of(plan, personas.units.commune_a, "1")
        result = make_result(obligation, occurred_on=dt.date(2024, 3, 1))
        result.full_clean(exclude=["created_by"])
        assert "nằm ngoài thời gian của hoạt động" in result.period_warning
        assert make_result(obligation, occurred_on=dt.date(2024, 5, 1)).period_warning == ""


@pytest.mark.django_db
class TestMoreAmendments:
    def test_a_removed_activity_without_results_is_gone_and_its_agencies_are_told(self, personas):
        plan = activate(draft(), personas.coordinator)
        Notification.objects.all().delete()
        activity = plan.activities.get(number="1")
        version = do_delete_activity(
            plan, activity, actor=personas.coordinator, expected_version=plan.version, reason="Gộp vào hoạt động 2"
        )
        assert not Activity.objects.filter(pk=activity.pk).exists() and version.number == 2
        told = Notification.objects.get(user=personas.officer_a)
        assert "Bỏ hoạt động 1: Công khai TTHC" in told.message and "None" not in told.message

    def test_a_header_date_may_be_left_empty(self, personas):
        plan = draft()
        plan, _version = do_save_plan_header(
            plan, {"issued_on": None, "place": None}, actor=personas.coordinator, expected_version=plan.version
        )
        assert plan.issued_on is None and plan.place == ""


@pytest.mark.django_db
class TestQuietSaves:
    def test_saving_an_active_plan_unchanged_makes_no_version(self, personas):
        plan = activate(draft(), personas.coordinator)
        _plan, version = do_save_plan_header(
            plan, {"title": plan.title}, actor=personas.coordinator, expected_version=plan.version, reason="Xem lại"
        )
        assert version is None and plan.versions.count() == 1

    def test_a_reviewed_agency_loses_its_flag_and_keeps_its_note(self, personas):
        plan = draft()
        activity = plan.activities.get(number="2")
        activity.agencies.filter(name="Sở Nội vụ").update(needs_review=True, note="kế thừa từ Sở cũ")
        agencies = agencies_of(activity)
        do_save_activity(plan, activity, {}, agencies, actor=personas.coordinator, expected_version=plan.version)
        assert activity.agencies.get(name="Sở Nội vụ").needs_review  # saved without looking: still flagged
        agencies[0]["reviewed"] = True
        plan.refresh_from_db()
        do_save_activity(plan, activity, {}, agencies, actor=personas.coordinator, expected_version=plan.version)
        agency = activity.agencies.get(name="Sở Nội vụ")
        assert not agency.needs_review and agency.note == "kế thừa từ Sở cũ"

    def test_the_officer_sees_the_warning_when_recording_and_on_the_result(self, client, personas):
        from django.urls import reverse

        plan = activate(draft(), personas.coordinator)
        Activity.objects.filter(plan=plan, number="1").update(period_start=dt.date(2024, 4, 1))
        obligation = obligation_of(plan, personas.units.commune_a, "1")
        client.force_login(personas.officer_a)
        data = {
            "obligation": obligation.pk,
            "kind": "news_article",
            "title": "Tin sớm",
            "occurred_on": "20/12/2023",
            "quantity": "1",
            "cost": "0",
        }
        response = client.post(reverse("execution:result_create"), data, follow=True)
        page = response.content.decode()
        assert "Đã ghi nhận kết quả" in page
        assert page.count("nằm ngoài thời gian của hoạt động (01/04/2024 – 31/12/2024)") == 2  # message and detail
