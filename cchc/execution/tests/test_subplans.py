import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.execution.actions import (
    do_approve_subplan,
    do_create_subplan,
    do_resolve_change,
    do_save_subplan_item,
    do_submit_subplan,
)
from cchc.execution.models import SubPlan, SubPlanItem, SubPlanStatus
from cchc.lib.versioning import StaleEdit
from cchc.orgs.models import UnitKind
from cchc.plans.actions import do_expand_obligations
from cchc.plans.models import ActivityAgency, AgencyRole
from cchc.testing import make_unit, make_user

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def subplan(personas, demo_plan):
    return do_create_subplan(demo_plan, personas.units.commune_a, actor=personas.officer_a)


def _version(subplan):
    subplan.refresh_from_db()
    return subplan.version


class TestDeriving:
    def test_the_units_obligations_come_across_with_the_provinces_windows(self, personas, subplan):
        items = list(subplan.items.all())
        assert [(i.title, i.period_start, i.period_end, i.is_own) for i in items] == [
            ("Công khai TTHC", D(2024, 1, 1), D(2024, 12, 31), False)
        ]
        assert items[0].source["title"] == "Công khai TTHC" and items[0].source["role"] == "implement"
        assert subplan.status == SubPlanStatus.DRAFT and subplan.unit == personas.units.commune_a
        assert "năm 2024 của UBND xã Ia Kha" in subplan.title
        assert AuditEntry.objects.filter(action="execution.create_subplan", object_id=str(subplan.pk)).exists()

    def test_recurring_obligations_carry_their_target(self, personas, demo_plan):
        officer = make_user(unit=personas.units.noi_vu)
        sub = do_create_subplan(demo_plan, personas.units.noi_vu, actor=officer)
        item = sub.items.get()
        assert (item.recurrence_every, item.target_quantity, item.target_unit) == ("month", 1, "chuyên mục")
        assert item.target_text == "01 chuyên mục/tháng"

    def test_one_per_unit_and_plan_and_only_by_the_units_staff(self, personas, demo_plan, subplan):
        with pytest.raises(ValidationError, match="đã có kế hoạch"):
            do_create_subplan(demo_plan, personas.units.commune_a, actor=personas.head_a)
        for actor in (personas.officer_b, personas.coordinator, personas.observer, personas.desk):
            with pytest.raises(PermissionDenied):
                do_create_subplan(demo_plan, personas.units.commune_a, actor=actor)

    def test_it_is_created_from_the_list_page(self, client, personas, demo_plan):
        client.force_login(personas.officer_b)
        page = client.get(reverse("execution:subplans")).content.decode()
        assert "Lập kế hoạch của đơn vị từ kế hoạch tỉnh" in page
        response = client.post(reverse("execution:subplan_create", args=[demo_plan.pk]))
        created = SubPlan.objects.get(unit=personas.units.commune_b)
        assert response["Location"] == reverse("execution:subplan", args=[created.pk])


class TestEditing:
    def test_own_activities_and_quantities_within_the_provinces_window(self, client, personas, subplan, demo_plan):
        client.force_login(personas.officer_a)
        url = reverse("execution:subplan_item_add", args=[subplan.pk])
        data = {
            "version": subplan.version,
            "activity": demo_plan.activities.get(number="1").pk,
            "title": "Niêm yết TTHC tại nhà văn hóa thôn",
            "period_start": "2024-03-01",
            "period_end": "2024-09-30",
            "recurrence_every": "quarter",
            "target_quantity": "2",
            "target_unit": "đợt",
        }
        assert client.post(url, data).status_code == 302
        own = subplan.items.get(is_own=True)
        assert own.target_text == "02 đợt/quý" and own.activity.number == "1"
        # Outside the window: a clear Vietnamese error, nothing saved.
        response = client.post(
            url, {**data, "version": _version(subplan), "title": "Ngoài khung", "period_start": "2023-11-01"}
        )
        assert (
            "Thời gian phải nằm trong khoảng của kế hoạch tỉnh: từ 01/01/2024 đến 31/12/2024."
            in response.content.decode()
        )
        assert not subplan.items.filter(title="Ngoài khung").exists()

    def test_a_derived_line_stays_within_its_activitys_period(self, personas, subplan, demo_plan):
        activity = demo_plan.activities.get(number="1")
        activity.period_start, activity.period_end = D(2024, 1, 1), D(2024, 6, 30)  # "Quý I, Quý II năm 2024"
        activity.save()
        item = subplan.items.get()
        with pytest.raises(ValidationError) as err:
            do_save_subplan_item(
                subplan,
                item,
                {"period_start": D(2024, 2, 1), "period_end": D(2024, 7, 15)},
                actor=personas.officer_a,
                expected_version=subplan.version,
            )
        assert err.value.message_dict["period_end"] == [
            "Thời gian phải nằm trong khoảng của kế hoạch tỉnh: từ 01/01/2024 đến 30/06/2024."
        ]

    def test_derived_lines_cannot_be_deleted_own_lines_can(self, client, personas, subplan):
        client.force_login(personas.officer_a)
        derived = subplan.items.get()
        response = client.post(
            reverse("execution:subplan_item_delete", args=[subplan.pk, derived.pk]),
            {"version": subplan.version},
            follow=True,
        )
        assert "không thể xóa" in response.content.decode()
        own = do_save_subplan_item(
            subplan,
            None,
            {"title": "Riêng", "period_start": D(2024, 5, 1), "period_end": D(2024, 5, 31)},
            actor=personas.officer_a,
            expected_version=_version(subplan),
        )
        client.post(reverse("execution:subplan_item_delete", args=[subplan.pk, own.pk]), {"version": _version(subplan)})
        assert not SubPlanItem.objects.filter(pk=own.pk).exists() and SubPlanItem.objects.filter(pk=derived.pk).exists()

    def test_concurrent_edits_are_refused(self, personas, subplan):
        item = subplan.items.get()
        do_save_subplan_item(subplan, item, {"content": "Bản A"}, actor=personas.officer_a, expected_version=1)
        stale = SubPlan.objects.get(pk=subplan.pk)
        with pytest.raises(StaleEdit):
            do_save_subplan_item(stale, item, {"content": "Bản B"}, actor=personas.head_a, expected_version=1)
        item.refresh_from_db()
        assert item.content == "Bản A"


class TestApproval:
    def test_officer_submits_head_returns_with_a_reason_then_approves(self, client, personas, subplan):
        client.force_login(personas.officer_a)
        client.post(reverse("execution:subplan_submit", args=[subplan.pk]), {"version": subplan.version})
        assert _version(subplan) and subplan.status == SubPlanStatus.SUBMITTED
        # The officer cannot approve their own plan.
        assert (
            client.post(
                reverse("execution:subplan_approve", args=[subplan.pk]), {"version": subplan.version}
            ).status_code
            == 403
        )
        client.force_login(personas.head_a)
        response = client.post(
            reverse("execution:subplan_return", args=[subplan.pk]), {"version": subplan.version, "reason": ""}
        )
        assert response.status_code == 400
        client.post(
            reverse("execution:subplan_return", args=[subplan.pk]),
            {"version": subplan.version, "reason": "Bổ sung hoạt động tại thôn"},
        )
        subplan.refresh_from_db()
        assert subplan.status == SubPlanStatus.DRAFT and subplan.return_reason == "Bổ sung hoạt động tại thôn"
        client.force_login(personas.officer_a)
        page = client.get(reverse("execution:subplan", args=[subplan.pk])).content.decode()
        assert "Bổ sung hoạt động tại thôn" in page
        client.force_login(personas.head_a)
        client.post(reverse("execution:subplan_approve", args=[subplan.pk]), {"version": subplan.version})
        subplan.refresh_from_db()
        assert subplan.status == SubPlanStatus.APPROVED and subplan.approved_by == personas.head_a
        actions = list(
            AuditEntry.objects.filter(object_id=str(subplan.pk), object_type="execution.subplan")
            .order_by("at", "id")
            .values_list("action", flat=True)
        )
        assert actions == [
            "execution.create_subplan",
            "execution.submit_subplan",
            "execution.return_subplan",
            "execution.approve_subplan",
        ]

    def test_changing_an_approved_plan_needs_approval_again(self, personas, subplan):
        do_approve_subplan(subplan, actor=personas.head_a, expected_version=subplan.version)
        do_save_subplan_item(
            subplan,
            subplan.items.get(),
            {"content": "Thêm bảng niêm yết"},
            actor=personas.officer_a,
            expected_version=subplan.version,
        )
        subplan.refresh_from_db()
        assert subplan.status == SubPlanStatus.DRAFT and subplan.approved_by is None

    @pytest.mark.parametrize(
        "who,status",
        [
            ("anonymous", 302),
            ("officer_b", 404),
            ("desk", 403),
            ("officer_dept", 404),
            ("coordinator", 200),
            ("observer", 200),
            ("head_a", 200),
            ("officer_a", 200),
        ],
    )
    def test_other_agencies_cannot_see_it(self, client, personas, subplan, who, status):
        if who != "anonymous":
            client.force_login(getattr(personas, who))
        assert client.get(reverse("execution:subplan", args=[subplan.pk])).status_code == status
        if who in ("officer_b", "officer_dept"):
            assert subplan.title not in client.get(reverse("execution:subplans")).content.decode()

    @pytest.mark.parametrize("who,status", [("officer_b", 404), ("coordinator", 403), ("observer", 403), ("desk", 403)])
    def test_nor_change_it(self, client, personas, subplan, who, status):
        client.force_login(getattr(personas, who))
        v = {"version": subplan.version}
        item = subplan.items.get()
        for url, data in [
            (reverse("execution:subplan_submit", args=[subplan.pk]), v),
            (reverse("execution:subplan_approve", args=[subplan.pk]), v),
            (reverse("execution:subplan_edit", args=[subplan.pk]), {**v, "title": "x"}),
            (reverse("execution:subplan_item", args=[subplan.pk, item.pk]), {**v, "title": "x"}),
            (reverse("execution:subplan_sync", args=[subplan.pk]), v),
        ]:
            # Approving is for heads: other roles are refused before the plan is even looked up.
            expected = 403 if url.endswith("/approve/") else status
            assert client.post(url, data).status_code == expected
        subplan.refresh_from_db()
        assert subplan.status == SubPlanStatus.DRAFT and subplan.version == 1


class TestProvinceChanges:
    def _change_activity(self, plan):
        activity = plan.activities.get(number="1")
        activity.title = "Công khai TTHC tại Bộ phận một cửa"
        activity.period_end = D(2024, 9, 30)
        activity.recurrence_every, activity.recurrence_count, activity.recurrence_unit = "quarter", 1, "đợt"
        activity.save()
        return activity

    def test_the_page_shows_what_changed(self, client, personas, subplan, demo_plan):
        self._change_activity(demo_plan)
        client.force_login(personas.officer_a)
        page = client.get(reverse("execution:subplan", args=[subplan.pk])).content.decode()
        assert "Tỉnh đã thay đổi hoạt động này" in page
        for text in [
            "Công khai TTHC tại Bộ phận một cửa",
            "01/01/2024 – 31/12/2024",
            "01/01/2024 – 30/09/2024",
            "không định kỳ",
            "01 đợt/quý",
            "Chấp nhận thay đổi",
            "Giữ nguyên dòng của đơn vị",
        ]:
            assert text in page
        listing = client.get(reverse("execution:subplans")).content.decode()
        assert "1 dòng cần xem xét" in listing

    def test_accepting_takes_the_provinces_values_and_is_audited(self, client, personas, subplan, demo_plan):
        item = subplan.items.get()
        do_save_subplan_item(
            subplan, item, {"content": "Cách làm của xã"}, actor=personas.officer_a, expected_version=subplan.version
        )
        self._change_activity(demo_plan)
        client.force_login(personas.officer_a)
        client.post(
            reverse("execution:subplan_resolve", args=[subplan.pk, item.pk]),
            {"version": _version(subplan), "decision": "accept"},
        )
        item.refresh_from_db()
        assert item.title == "Công khai TTHC tại Bộ phận một cửa" and item.period_end == D(2024, 9, 30)
        assert (item.recurrence_every, item.target_quantity, item.target_unit) == ("quarter", 1, "đợt")
        assert item.content == "Cách làm của xã"  # the agency's own edits stay
        entry = AuditEntry.objects.get(action="execution.resolve_subplan_change")
        assert entry.details["decision"] == "accept"
        assert {c["field"] for c in entry.details["changes"]} == {"title", "period", "recurrence"}
        page = client.get(reverse("execution:subplan", args=[subplan.pk])).content.decode()
        assert "Tỉnh đã thay đổi hoạt động này" not in page

    def test_keeping_leaves_the_line_and_stops_asking(self, personas, subplan, demo_plan):
        do_approve_subplan(subplan, actor=personas.head_a, expected_version=subplan.version)
        activity = demo_plan.activities.get(number="1")
        activity.title = "Tên mới của tỉnh"
        activity.save()
        item = subplan.items.select_related("activity", "obligation").get()
        do_resolve_change(item, "keep", actor=personas.officer_a, expected_version=_version(subplan))
        item.refresh_from_db()
        subplan.refresh_from_db()
        assert item.title == "Công khai TTHC" and item.source["title"] == "Tên mới của tỉnh"
        assert subplan.status == SubPlanStatus.APPROVED  # keeping changes nothing the head approved

    def test_keeping_dates_outside_the_new_window_is_refused(self, personas, subplan, demo_plan):
        self._change_activity(demo_plan)  # the window now ends 30/09
        item = subplan.items.select_related("activity", "obligation").get()
        with pytest.raises(ValidationError, match="nằm ngoài thời gian mới"):
            do_resolve_change(item, "keep", actor=personas.officer_a, expected_version=subplan.version)

    def test_own_lines_outside_a_narrowed_window_are_flagged_and_block_submission(
        self, client, personas, subplan, demo_plan
    ):
        activity = demo_plan.activities.get(number="1")
        do_save_subplan_item(
            subplan,
            None,
            {"activity": activity, "title": "Riêng", "period_start": D(2024, 3, 1), "period_end": D(2024, 11, 30)},
            actor=personas.officer_a,
            expected_version=subplan.version,
        )
        activity.period_end = D(2024, 6, 30)
        activity.save()
        item = subplan.items.select_related("activity", "obligation").get(is_own=False)
        do_resolve_change(item, "accept", actor=personas.officer_a, expected_version=_version(subplan))
        client.force_login(personas.officer_a)
        page = client.get(reverse("execution:subplan", args=[subplan.pk])).content.decode()
        assert "nằm ngoài khung của kế hoạch tỉnh (01/01/2024 – 30/06/2024)" in page
        with pytest.raises(ValidationError, match="Có 1 dòng có thời gian nằm ngoài khung mới"):
            do_submit_subplan(subplan, actor=personas.officer_a, expected_version=_version(subplan))

    def test_pending_changes_block_submission(self, personas, subplan, demo_plan):
        self._change_activity(demo_plan)
        with pytest.raises(ValidationError, match="Còn 1 thay đổi"):
            do_submit_subplan(subplan, actor=personas.officer_a, expected_version=subplan.version)

    def test_a_new_obligation_is_offered_and_a_dropped_one_is_flagged(self, client, personas, subplan, demo_plan):
        activity = demo_plan.activities.get(number="2")
        ActivityAgency.objects.create(
            activity=activity, name="UBND xã Ia Kha", role=AgencyRole.IMPLEMENT, unit=personas.units.commune_a, order=9
        )
        demo_plan.activities.get(number="1").agencies.filter(name="UBND cấp xã").delete()
        do_expand_obligations(demo_plan)
        client.force_login(personas.officer_a)
        page = client.get(reverse("execution:subplan", args=[subplan.pk])).content.decode()
        assert "Tỉnh đã giao thêm nhiệm vụ cho đơn vị" in page and "Chuyên mục CCHC trên Đài" in page
        assert "Tỉnh không còn giao nhiệm vụ này cho đơn vị" in page
        client.post(reverse("execution:subplan_sync", args=[subplan.pk]), {"version": subplan.version})
        assert sorted(subplan.items.values_list("title", flat=True)) == ["Chuyên mục CCHC trên Đài", "Công khai TTHC"]
        assert "Tỉnh đã giao thêm" not in client.get(reverse("execution:subplan", args=[subplan.pk])).content.decode()


class TestQueryCounts:
    def test_the_coordinators_list_costs_the_same_with_more_agencies(self, client, personas, demo_plan, subplan):
        client.force_login(personas.coordinator)
        url = reverse("execution:subplans")
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        district = personas.units.district
        for i in range(15):
            unit = make_unit(kind=UnitKind.COMMUNE_COMMITTEE, parent=district, name=f"UBND xã Thử {i}")
            do_expand_obligations(demo_plan)
            do_create_subplan(demo_plan, unit, actor=make_user(unit=unit))
        with CaptureQueriesContext(connection) as large:
            page = client.get(url).content.decode()
        assert page.count("UBND xã Thử") >= 15
        assert len(large) == len(small)
