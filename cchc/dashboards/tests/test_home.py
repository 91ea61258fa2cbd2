"""Each role lands on its own work (``dashboards:home``, the LOGIN_REDIRECT_URL), and the page's queries stay flat."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from cchc.dashboards import figures
from cchc.dashboards.tests import scenario
from cchc.dashboards.tests.test_queries import count, grow
from cchc.reports.models import Report, ReportStatus
from cchc.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

HOME = "/home/"


@pytest.fixture(autouse=True)
def _day(monkeypatch):
    monkeypatch.setattr(figures, "today", lambda: scenario.DAY)


@pytest.fixture
def world(personas, demo_plan):
    return scenario.build(personas, demo_plan)


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_it_is_where_everyone_lands_after_logging_in(client, personas):
    assert reverse(settings.LOGIN_REDIRECT_URL) == HOME
    response = client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
    assert response.status_code == 302 and response.url == HOME


class TestCoordinator:
    def test_it_shows_the_review_queue_oldest_first_with_one_click_to_accept(self, client, personas, world):
        html = page(client, personas.coordinator)
        assert "Báo cáo chờ xem xét" in html
        queue = html[html.index('id="review-queue"') : html.index('id="h-due"')]
        assert "Sở Thông tin và Truyền thông" in queue  # sent 18/03, waiting
        assert "UBND xã Ia Kha" not in queue  # accepted
        assert 'name="decision" value="accept"' in queue
        assert reverse("reports:review", args=[world.reports.tttt.pk]) in queue

    def test_accepting_from_the_queue_comes_back_to_it(self, client, personas, world):
        client.force_login(personas.coordinator)
        report = world.reports.tttt
        response = client.post(
            reverse("reports:review", args=[report.pk]),
            {"decision": "accept", "version": report.version, "next": HOME},
        )
        assert response.status_code == 302 and response.url == HOME
        assert Report.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
        assert "Không có báo cáo nào chờ xem xét" in client.get(HOME).content.decode()

    def test_a_next_elsewhere_is_not_followed(self, client, personas, world):
        client.force_login(personas.coordinator)
        report = world.reports.tttt
        response = client.post(
            reverse("reports:review", args=[report.pk]),
            {"decision": "accept", "version": report.version, "next": "https://evil.example/"},
        )
        assert response.url == reverse("reports:period", args=[world.plan.pk, world.period.code])

    def test_it_shows_the_periods_due_and_late_and_the_plans_in_draft(self, client, personas, world):
        html = page(client, personas.coordinator)
        period_url = reverse("reports:period", args=[world.plan.pk, "2024-Q1"])
        assert f'{period_url}?t=missing">2<' in html  # xã Ia Ly and the station
        assert f'{period_url}?t=waiting">1<' in html
        assert "đã quá hạn" in html  # due 15/03, looked at on 20/03
        # The six months and the year are not due for months: nobody is "missing" them yet.
        assert reverse("reports:period", args=[world.plan.pk, "2024-Y"]) not in html
        assert "Không có kế hoạch nào đang soạn thảo" in html  # the empty state says what to do
        assert "sao chép kế hoạch năm trước" in html


class TestAgency:
    def test_the_head_sees_the_returned_report_first_with_its_reason(self, client, world):
        html = page(client, world.heads.noi_vu)
        assert "Báo cáo chờ gửi" in html
        assert "Thiếu số liệu chuyên mục tháng 2." in html
        # The head's reports come before the tasks.
        assert html.index('id="reports"') < html.index('id="tasks"')
        assert "Năm 2024" not in html  # the year's report is not due for months

    def test_the_officer_sees_tasks_with_their_next_deadline_overdue_first(self, client, world, monkeypatch):
        officer = make_user("officer-nv", unit=world.units.noi_vu)
        monkeypatch.setattr(figures, "today", lambda: dt.date(2024, 4, 5))  # March's programme is now missed
        html = page(client, officer)
        assert "Nhiệm vụ của đơn vị" in html
        assert "quá hạn 1 kỳ, từ 31/03/2024" in html
        assert "30/04/2024" in html  # April's programme: the next deadline
        assert html.index('id="tasks"') < html.index('id="reports"')
        assert "Thiếu số liệu chuyên mục tháng 2." in html  # and the returned report, with its reason

    def test_an_officer_without_tasks_is_told_why(self, client, personas):
        html = page(client, personas.officer_a)
        assert "chưa có nhiệm vụ nào trong kế hoạch đang thực hiện" in html
        assert "không có báo cáo nào đang chờ gửi" in html


class TestDesk:
    def test_it_shows_the_inbox_with_deadlines(self, client, personas):
        from cchc.feedback.tests.factory import make_feedback

        item = make_feedback(subject="Hồ sơ đất đai trễ hẹn")
        html = page(client, personas.desk)
        assert "Phản ánh, kiến nghị đang xử lý" in html
        assert item.code in html and "Hồ sơ đất đai trễ hẹn" in html
        assert item.due_on.strftime("%d/%m/%Y") in html

    def test_an_empty_inbox_says_what_to_do(self, client, personas):
        html = page(client, personas.desk)
        assert "Không có phản ánh, kiến nghị nào đang chờ xử lý" in html


class TestObserver:
    def test_the_leadership_lands_on_its_summary(self, client, personas, world):
        client.force_login(personas.observer)
        response = client.get(HOME)
        assert response.status_code == 302
        # The period being reported on on 20/03/2024 (the dashboards' own choice, cchc.dashboards.scope).
        assert response.url == reverse("dashboards:summary", args=[world.plan.pk, "2024-H1"])

    def test_without_an_active_plan_it_says_so(self, client, personas):
        html = page(client, personas.observer)
        assert "Chưa có kế hoạch nào đang thực hiện" in html


def test_it_costs_the_same_queries_with_ten_times_the_data(client, personas, world):
    from cchc.feedback.tests.factory import make_assigned, make_feedback

    officer = make_user("officer-nv", unit=world.units.noi_vu)
    users = {
        "coordinator": personas.coordinator,
        "head": world.heads.noi_vu,
        "officer": officer,
        "desk": personas.desk,
        "admin": personas.admin,
    }
    make_feedback()
    make_assigned(personas, unit=world.units.noi_vu)
    small = {name: count(client, user, HOME) for name, user in users.items()}
    grow(world, personas)
    for _ in range(10):
        make_feedback()
        make_assigned(personas, unit=world.units.noi_vu)
    large = {name: count(client, user, HOME) for name, user in users.items()}
    assert large == small
    assert max(small.values()) <= 25, small
