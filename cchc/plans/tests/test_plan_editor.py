"""The plan's life on screen: editor, agency search, activation check, amendments, history, diff, closing."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.plans.actions import do_activate_plan, do_create_plan, do_save_activity
from cchc.plans.models import Activity, Plan, PlanStatus
from cchc.reports.models import Notification
from cchc.testing import plan_document


def draft():
    return do_create_plan(plan_document(), status=PlanStatus.DRAFT)


def active(coordinator):
    plan = draft()
    return do_activate_plan(plan, actor=coordinator, expected_version=plan.version, accept=["*"])


def header_data(plan, **overrides):
    data = {
        "title": plan.title,
        "year": plan.year,
        "issuer": plan.issuer,
        "number": plan.number,
        "symbol": plan.symbol,
        "place": plan.place,
        "issued_on": plan.issued_on.strftime("%d/%m/%Y") if plan.issued_on else "",
        "signer_name": plan.signer_name,
        "signer_title": plan.signer_title,
        "audience": plan.audience,
        "expected_version": plan.version,
    }
    data.update(overrides)
    return data


def activity_data(plan, activity, agencies, **overrides):
    data = {
        "number": activity.number,
        "title": activity.title,
        "content": "\n".join(activity.content),
        "period_start": activity.period_start.strftime("%d/%m/%Y") if activity.period_start else "",
        "period_end": activity.period_end.strftime("%d/%m/%Y") if activity.period_end else "",
        "recurrence_every": activity.recurrence_every,
        "recurrence_count": activity.recurrence_count or "",
        "recurrence_unit": activity.recurrence_unit,
        "counting": activity.counting,
        "funding": activity.funding,
        "funding_amount": "",
        "expected_version": plan.version,
        "agencies-TOTAL_FORMS": len(agencies),
        "agencies-INITIAL_FORMS": len(agencies),
        "agencies-MIN_NUM_FORMS": 0,
        "agencies-MAX_NUM_FORMS": 60,
    }
    for i, (name, role, match) in enumerate(agencies):
        data.update({f"agencies-{i}-name": name, f"agencies-{i}-role": role, f"agencies-{i}-match": match})
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestEditor:
    def test_it_shows_every_part_of_the_plan_to_edit(self, client, personas):
        plan = draft()
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
        for text in (
            "Lưu thông tin chung",
            "Nội dung tuyên truyền",
            "1. Tầm quan trọng của CCHC",
            "Nơi nhận",
            "Sửa hoạt động 2",
            "Thêm hoạt động",
            "Kiểm tra và kích hoạt",
        ):
            assert text in page

    def test_it_saves_the_header(self, client, personas):
        plan = draft()
        client.force_login(personas.coordinator)
        response = client.post(reverse("plans:edit_header", args=[plan.pk]), header_data(plan, place="Pleiku"))
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.place == "Pleiku" and plan.version == 2

    def test_a_stale_save_keeps_the_input_and_says_who_saved_first(self, client, personas):
        plan = draft()
        stale = header_data(plan, place="Kon Tum")
        client.force_login(personas.admin)
        client.post(reverse("plans:edit_header", args=[plan.pk]), header_data(plan, place="Pleiku"))
        client.force_login(personas.coordinator)
        response = client.post(reverse("plans:edit_header", args=[plan.pk]), stale)
        page = response.content.decode()
        assert response.status_code == 409
        assert "đã lưu thay đổi lúc" in page and str(personas.admin) in page
        assert 'value="Kon Tum"' in page
        plan.refresh_from_db()
        assert plan.place == "Pleiku"

    def test_a_bad_legal_basis_date_is_a_clear_message(self, client, personas):
        plan = draft()
        client.force_login(personas.coordinator)
        response = client.post(
            reverse("plans:edit_content", args=[plan.pk]),
            {"legal_bases": "Nghị quyết | 76/NQ-CP | 31/02/2021 | Chính phủ | về CCHC", "expected_version": 1},
        )
        assert response.status_code == 400 and "dd/mm/yyyy" in response.content.decode()

    def test_it_saves_lists_topics_and_legal_bases(self, client, personas):
        plan = draft()
        client.force_login(personas.coordinator)
        client.post(
            reverse("plans:edit_content", args=[plan.pk]),
            {
                "legal_bases": "Nghị quyết | 76/NQ-CP | 15/07/2021 | Chính phủ | về Chương trình tổng thể CCHC",
                "objectives": "Một\nHai",
                "topics": "1. Chủ đề một\n- ý a\n- ý b\n2. Chủ đề hai",
                "duties": "Sở Nội vụ theo dõi",
                "recipients": "Lưu: VT",
                "expected_version": 1,
            },
        )
        plan.refresh_from_db()
        assert plan.legal_bases[0] == {
            "kind": "Nghị quyết",
            "number": "76/NQ-CP",
            "date": "2021-07-15",
            "issuer": "Chính phủ",
            "title": "về Chương trình tổng thể CCHC",
        }
        assert plan.objectives == ["Một", "Hai"] and plan.duties == [{"text": "Sở Nội vụ theo dõi", "agencies": []}]
        assert list(plan.topics.values_list("text", "items")) == [("Chủ đề một", ["ý a", "ý b"]), ("Chủ đề hai", [])]

    def test_it_changes_an_activity_lead_and_deadline(self, client, personas):
        plan = draft()
        activity = plan.activities.get(number="1")
        client.force_login(personas.coordinator)
        data = activity_data(
            plan,
            activity,
            [
                ("Sở Thông tin và Truyền thông", "lead", "Sở Thông tin và Truyền thông"),
                ("UBND cấp xã", "implement", "UBND cấp xã (nhóm)"),
            ],
            period_end="30/06/2024",
            counting="lead",
        )
        response = client.post(reverse("plans:activity_edit", args=[plan.pk, activity.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        activity.refresh_from_db()
        assert activity.period_end == dt.date(2024, 6, 30) and activity.counting == "lead"
        assert activity.obligations.get(unit=personas.units.tttt).role == "lead"

    def test_an_unknown_registry_name_is_refused_with_the_input_kept(self, client, personas):
        plan = draft()
        activity = plan.activities.get(number="3")
        client.force_login(personas.coordinator)
        data = activity_data(plan, activity, [("Sở Không Tồn Tại", "implement", "Sở Ma")])
        response = client.post(reverse("plans:activity_edit", args=[plan.pk, activity.pk]), data)
        page = response.content.decode()
        assert response.status_code == 400 and "Không có “Sở Ma” trong danh mục đơn vị năm 2024" in page

    def test_the_agency_search_ignores_accents_and_counts_group_units(self, client, personas):
        plan = draft()
        client.force_login(personas.coordinator)
        url = reverse("plans:agency_search", args=[plan.pk])
        page = client.get(url, {"agencies-0-match": "noi vu"}).content.decode()
        assert 'value="Sở Nội vụ"' in page
        page = client.get(url, {"q": "cap xa"}).content.decode()
        assert "UBND cấp xã (nhóm)" in page and "nhóm: 2 đơn vị" in page

    def test_a_closed_plan_sends_the_editor_back_to_the_plan(self, client, personas):
        plan = draft()
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
        client.force_login(personas.coordinator)
        response = client.get(reverse("plans:edit", args=[plan.pk]), follow=True)
        assert response.redirect_chain[-1][0] == reverse("plans:detail", args=[plan.pk])
        assert "chỉ xem" in response.content.decode()


@pytest.mark.django_db
class TestActivationScreen:
    def test_it_lists_problems_and_refuses_until_they_are_accepted(self, client, personas):
        plan = draft()
        client.force_login(personas.coordinator)
        url = reverse("plans:activate", args=[plan.pk])
        page = client.get(url).content.decode()
        assert "Sở Không Tồn Tại" in page and "chưa có đơn vị chủ trì" in page and "Khi kích hoạt" in page
        response = client.post(url, {"expected_version": plan.version})
        assert response.status_code == 400 and "Chưa kích hoạt được" in response.content.decode()
        codes = ["unmatched:3:0", "no_agency:3", "no_period:3", "no_lead:1"]
        response = client.post(url, {"expected_version": plan.version, "accept": codes})
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.status == PlanStatus.ACTIVE and sorted(plan.accepted_warnings) == sorted(codes)
        assert Notification.objects.filter(user=personas.officer_a).count() == 1
        assert any(m.to == [personas.officer_a.email] for m in mail.outbox) or not personas.officer_a.email

    def test_the_plan_page_offers_the_next_step(self, client, personas):
        plan = draft()
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert "Kiểm tra và kích hoạt" in page and "Sửa kế hoạch" in page and "Nâng cao nhận thức" in page
        client.force_login(personas.officer_a)
        assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404  # a draft: editors only
        plan = active(personas.coordinator)
        page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert "Đang thực hiện" in page and "Kiểm tra và kích hoạt" not in page and "Sửa đổi kế hoạch" not in page


@pytest.mark.django_db
class TestAmendmentScreens:
    def test_an_active_plan_edit_needs_a_reason_then_shows_in_history_and_diff(self, client, personas):
        plan = active(personas.coordinator)
        activity = plan.activities.get(number="1")
        client.force_login(personas.coordinator)
        agencies = [
            ("Sở Thông tin và Truyền thông", "implement", "Sở Thông tin và Truyền thông"),
            ("UBND cấp xã", "implement", "UBND cấp xã (nhóm)"),
        ]
        url = reverse("plans:activity_edit", args=[plan.pk, activity.pk])
        response = client.post(url, activity_data(plan, activity, agencies, period_end="30/09/2024"))
        assert response.status_code == 400 and "hãy ghi lý do sửa đổi" in response.content.decode()
        response = client.post(
            url, activity_data(plan, activity, agencies, period_end="30/09/2024", reason="Dời hạn theo chỉ đạo")
        )
        assert response.status_code == 302
        history = client.get(reverse("plans:history", args=[plan.pk])).content.decode()
        assert "Phiên bản 2" in history and "Dời hạn theo chỉ đạo" in history
        diff = client.get(reverse("plans:diff", args=[plan.pk]), {"a": 1, "b": 2}).content.decode()
        assert "01/01/2024 – 31/12/2024" in diff and "01/01/2024 – 30/09/2024" in diff
        told = Notification.objects.get(user=personas.officer_a, message__contains="Dời hạn theo chỉ đạo")
        assert "30/09/2024" in told.message

    def test_closing_waits_for_the_year_report(self, client, personas):
        plan = active(personas.coordinator)
        client.force_login(personas.coordinator)
        response = client.post(reverse("plans:close", args=[plan.pk]), {"expected_version": plan.version})
        assert response.status_code == 400 and "chưa được ban hành" in response.content.decode()


@pytest.mark.django_db
class TestQueryCounts:
    def _grow(self, plan, coordinator, n):
        for i in range(n):
            do_save_activity(
                plan,
                None,
                {"number": f"1{i}", "title": f"Hoạt động thêm {i}"},
                [{"name": "Sở Nội vụ", "role": "lead"}, {"name": "UBND cấp xã", "role": "implement"}],
                actor=coordinator,
                expected_version=Plan.objects.get(pk=plan.pk).version,
                reason=f"Thêm {i}",
            )

    def _count(self, client, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_the_plan_page_and_history_cost_the_same_whatever_the_size(self, client, personas):
        plan = active(personas.coordinator)
        client.force_login(personas.coordinator)
        pages = [reverse(name, args=[plan.pk]) for name in ("plans:detail", "plans:history", "plans:edit")]
        before = [self._count(client, url) for url in pages]
        self._grow(plan, personas.coordinator, 4)
        assert Activity.objects.filter(plan=plan).count() == 7
        after = [self._count(client, url) for url in pages]
        assert after == before
