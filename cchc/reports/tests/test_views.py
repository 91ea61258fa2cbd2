import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.orgs.models import UnitKind
from cchc.plans.actions import do_expand_obligations
from cchc.reports import actions
from cchc.reports.models import Notification, ProvinceReport, Report, ReportStatus
from cchc.reports.tests.helpers import make_head, make_result, q1, submitted
from cchc.testing import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(demo_plan):
    return q1(demo_plan)


@pytest.fixture
def report(period, personas):
    return actions.do_start_report(period, personas.units.commune_a, actor=personas.officer_a)


def _period_urls(period):
    args = [period.plan_id, period.code]
    return [
        reverse("reports:index"),
        reverse("reports:period", args=args),
        reverse("reports:completeness", args=args),
        reverse("reports:province", args=args),
        reverse("reports:calendar", args=[period.plan_id]),
    ]


class TestAccess:
    def test_anonymous_is_sent_to_log_in(self, client, period, report):
        urls = [
            *_period_urls(period),
            reverse("reports:detail", args=[report.pk]),
            reverse("reports:export", args=[report.pk, "docx"]),
            reverse("reports:notifications"),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))

    def test_an_officer_of_another_agency_can_neither_see_nor_change_the_report(self, client, personas, report):
        client.force_login(personas.officer_b)
        for name, args in [("detail", []), ("export", ["docx"]), ("export", ["xlsx"]), ("review", [])]:
            assert client.get(reverse(f"reports:{name}", args=[report.pk, *args])).status_code in (403, 404)
        assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
        assert (
            client.post(
                reverse("reports:save", args=[report.pk]), {"version": report.version, "results_text": "của xã khác"}
            ).status_code
            == 404
        )
        assert client.post(reverse("reports:submit", args=[report.pk]), {"version": report.version}).status_code == 404
        report.refresh_from_db()
        assert report.results_text == "" and report.status == ReportStatus.DRAFT

    def test_an_officer_of_another_agency_does_not_see_it_in_lists(self, client, personas, period, report):
        client.force_login(personas.officer_b)
        page = client.get(reverse("reports:period", args=[period.plan_id, period.code])).content.decode()
        assert "UBND xã Ia Kha" not in page
        assert client.get(reverse("reports:completeness", args=[period.plan_id, period.code])).status_code == 403
        assert client.get(reverse("reports:province", args=[period.plan_id, period.code])).status_code == 403

    def test_read_only_roles_cannot_write(self, client, personas, report):
        for user in (personas.observer, personas.coordinator):
            client.force_login(user)
            assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200
            assert (
                client.post(
                    reverse("reports:save", args=[report.pk]), {"version": report.version, "results_text": "x"}
                ).status_code
                == 403
            )
        client.force_login(personas.observer)
        assert client.get(reverse("reports:review", args=[report.pk])).status_code == 403
        client.force_login(personas.desk)
        assert client.get(reverse("reports:index")).status_code == 403
        assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404

    def test_an_officer_cannot_submit_review_or_edit_the_calendar(self, client, personas, period, report):
        client.force_login(personas.officer_a)
        response = client.post(
            reverse("reports:save", args=[report.pk]),
            {"version": report.version, "results_text": "Kết quả.", "and_submit": "1"},
        )
        assert response.status_code == 403
        assert client.get(reverse("reports:review", args=[report.pk])).status_code == 403
        assert client.post(reverse("reports:calendar", args=[period.plan_id]), {"due_day": 10}).status_code == 403
        assert client.post(reverse("reports:province_issue", args=[period.plan_id, period.code])).status_code == 403
        assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


class TestPages:
    def test_an_officer_starts_the_draft_and_sees_recorded_results(self, client, personas, demo_plan, period):
        make_result(personas.units.commune_a, plan=demo_plan, title="Tin về dịch vụ công trực tuyến", quantity=7)
        client.force_login(personas.officer_a)
        page = client.get(reverse("reports:period", args=[period.plan_id, period.code])).content.decode()
        assert "Lập dự thảo báo cáo" in page
        response = client.post(reverse("reports:start", args=[period.plan_id, period.code]))
        report = Report.objects.get(unit=personas.units.commune_a, period=period)
        assert response["Location"] == reverse("reports:detail", args=[report.pk])
        page = client.get(response["Location"]).content.decode()
        assert "Tin về dịch vụ công trực tuyến" in page and "Công khai TTHC" in page
        assert "Thủ trưởng đơn vị xem lại và gửi báo cáo" in page

    def test_htmx_save_returns_the_form_and_refuses_a_stale_save_showing_both_texts(self, client, personas, report):
        client.force_login(personas.officer_a)
        url = reverse("reports:save", args=[report.pk])
        response = client.post(
            url, {"version": report.version, "results_text": "Bản của cán bộ."}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "<html" not in body and "Đã lưu lúc" in body and 'name="version" value="2"' in body
        client.force_login(personas.head_a)
        response = client.post(
            url, {"version": report.version, "results_text": "Bản của thủ trưởng."}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 409
        body = response.content.decode()
        assert "Bản của thủ trưởng." in body  # what they typed stays in the form
        assert "Bản của cán bộ." in body  # what is saved is shown beside it
        assert "officer-a đã lưu thay đổi lúc" in body
        assert Report.objects.get(pk=report.pk).results_text == "Bản của cán bộ."

    def test_the_head_saves_and_submits_then_the_coordinator_reviews(self, client, personas, period, report):
        client.force_login(personas.head_a)
        response = client.post(
            reverse("reports:save", args=[report.pk]),
            {"version": report.version, "results_text": "Kết quả quý I.", "and_submit": "1"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 204 and response["HX-Redirect"] == reverse("reports:detail", args=[report.pk])
        assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

        client.force_login(personas.coordinator)
        review = reverse("reports:review", args=[report.pk])
        version = Report.objects.get(pk=report.pk).version
        response = client.post(review, {"version": version, "decision": "return", "reason": ""})
        assert response.status_code == 422 and "Phải ghi rõ lý do trả lại" in response.content.decode()
        response = client.post(
            review, {"version": version, "decision": "return", "reason": "Bổ sung số liệu tháng 3/2024."}
        )
        assert response.status_code == 302
        client.force_login(personas.officer_a)
        page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
        assert "Bổ sung số liệu tháng 3/2024." in page and "Bị trả lại" in page
        assert Notification.objects.filter(user=personas.officer_a).count() == 1
        bell = client.get(reverse("reports:index")).content.decode()
        assert 'class="bell-count">1<' in bell
        client.post(reverse("reports:notifications_read"))
        assert not Notification.objects.filter(user=personas.officer_a, read_at__isnull=True).exists()

    def test_the_coordinator_edits_and_issues_the_province_report(self, client, personas, period):
        client.force_login(personas.coordinator)
        url = reverse("reports:province", args=[period.plan_id, period.code])
        page = client.get(url).content.decode()
        assert "Dự thảo tự động" in page and "chưa báo cáo" in page
        save = reverse("reports:province_save", args=[period.plan_id, period.code])
        assert client.post(save, {"version": 0, "general_text": "Đánh giá của Sở."}).status_code == 302
        stale = client.post(save, {"version": 0, "general_text": "Bản khác."})
        assert stale.status_code == 409 and "Đánh giá của Sở." in stale.content.decode()
        client.post(reverse("reports:province_issue", args=[period.plan_id, period.code]))
        assert ProvinceReport.objects.get(period=period).is_issued
        assert client.get(url).content.decode().count("Đã ban hành") >= 1

    def test_a_period_reads_as_one_label_not_the_label_and_its_code(self, client, personas, period):
        import re

        client.force_login(personas.coordinator)
        for url in (reverse("reports:index"), reverse("reports:calendar", args=[period.plan_id])):
            text = re.sub(r"<[^>]+>", " ", client.get(url).content.decode())
            text = " ".join(text.split())
            assert "Quý I năm 2024" in text and "Quý I năm 2024 2024-Q1" not in text and " 2024-Q1" not in text

    def test_the_calendar_page_shows_moved_due_dates_and_saves(self, client, personas, period):
        client.force_login(personas.coordinator)
        url = reverse("reports:calendar", args=[period.plan_id])
        page = client.get(url).content.decode()
        assert "15/06/2024 là ngày nghỉ (Thứ Bảy)" in page
        response = client.post(
            url,
            {
                "version": 1,
                "cutoff_day": 14,
                "due_day": 15,
                "province_due_day": 20,
                "extra_kinds": ["Q2"],
                "shift_to_working_day": "on",
                "remind_days_before": 3,
            },
        )
        assert response.status_code == 302
        assert "Quý II năm 2024" in client.get(url).content.decode()

    def test_exports_download_as_attachments(self, client, personas, period, report):
        client.force_login(personas.officer_a)
        response = client.get(reverse("reports:export", args=[report.pk, "docx"]))
        assert response.status_code == 200 and response.content[:2] == b"PK"
        assert "attachment" in response["Content-Disposition"]
        assert client.get(reverse("reports:export", args=[report.pk, "pdf"])).status_code == 403
        client.force_login(personas.coordinator)
        response = client.get(reverse("reports:province_export", args=[period.plan_id, period.code, "xlsx"]))
        assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")


class TestQueryCounts:
    def _grow(self, plan, period, personas, n):
        units = [make_unit(kind=UnitKind.COMMUNE_COMMITTEE, parent=personas.units.district) for _ in range(n)]
        do_expand_obligations(plan)
        for unit in units:
            make_result(unit, plan=plan)
            report = submitted(period, unit, make_head(unit))
            actions.do_accept_report(report, actor=personas.coordinator)

    def test_coordinator_pages_cost_the_same_with_more_agencies(self, client, personas, demo_plan, period):
        client.force_login(personas.coordinator)
        urls = _period_urls(period)
        small = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            small[url] = len(queries)
        self._grow(demo_plan, period, personas, 12)
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            assert len(queries) == small[url], url

    def test_the_report_page_costs_the_same_with_more_results(self, client, personas, demo_plan, report):
        client.force_login(personas.officer_a)
        url = reverse("reports:detail", args=[report.pk])
        make_result(personas.units.commune_a, plan=demo_plan)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        for _ in range(20):
            make_result(personas.units.commune_a, plan=demo_plan)
        with CaptureQueriesContext(connection) as large:
            page = client.get(url).content.decode()
        assert "Danh mục 21 kết quả" in page
        assert len(large) == len(small)

    def test_the_officer_period_list_and_notifications_cost_the_same(self, client, personas, demo_plan, period, report):
        client.force_login(personas.officer_a)
        Notification.objects.create(user=personas.officer_a, message="Nhắc hạn")
        urls = [reverse("reports:index"), reverse("reports:notifications")]
        small = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            small.append(len(queries))
        for _ in range(15):
            Notification.objects.create(user=personas.officer_a, message="Nhắc hạn")
        self._grow(demo_plan, period, personas, 5)
        for url, before in zip(urls, small, strict=True):
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            assert len(queries) == before, url


@pytest.mark.django_db
def test_a_report_is_visible_to_whom_the_query_shows_it(personas, report):
    """``Report.is_visible_to`` (for a report from the cache) agrees with ``Report.objects.visible_to``."""
    from django.contrib.auth.models import AnonymousUser

    users = [getattr(personas, name) for name in vars(personas) if name != "units"] + [AnonymousUser()]
    for user in users:
        shown = Report.objects.visible_to(user).filter(pk=report.pk).exists()
        assert report.is_visible_to(user) == shown, user
