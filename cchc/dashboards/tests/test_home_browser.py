"""Each role's home and the review queue in Chromium; screenshots in test-artifacts/home-*.png."""

import pytest
from playwright.sync_api import expect

from cchc.browser import browser_page, log_in, screenshot
from cchc.dashboards import figures
from cchc.dashboards.tests import scenario
from cchc.reports.models import Report, ReportStatus
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _day(monkeypatch):
    monkeypatch.setattr(figures, "today", lambda: scenario.DAY)


@pytest.fixture
def world(personas, demo_plan):
    return scenario.build(personas, demo_plan)


def header_height(page) -> float:
    return page.evaluate("() => document.querySelector('.site-header .header-row').getBoundingClientRect().height")


def test_the_coordinator_lands_on_the_review_queue_and_accepts_in_one_click(live_server, world):
    with browser_page(viewport=(1366, 900)) as page:
        log_in(page, live_server.url, "coordinator", PASSWORD)
        assert page.url.endswith("/home/")
        queue = page.locator("#review-queue")
        expect(queue).to_contain_text("Sở Thông tin và Truyền thông")
        # The header is one row on a desktop: the rarer links wait under "Thêm".
        assert header_height(page) < 80
        expect(page.locator("details.menu >> text=Nhật ký")).to_be_hidden()
        page.click("summary:has-text('Thêm')")
        expect(page.locator("details.menu >> text=Nhật ký")).to_be_visible()
        screenshot(page, "home-coordinator-menu")
        page.keyboard.press("Escape")
        expect(page.locator("details.menu >> text=Nhật ký")).to_be_hidden()
        screenshot(page, "home-coordinator")
        queue.get_by_role("button", name="Tiếp nhận báo cáo của Sở Thông tin và Truyền thông").click()
        page.wait_for_url("**/home/")
        expect(page.locator(".messages")).to_contain_text("Đã tiếp nhận báo cáo của Sở Thông tin và Truyền thông")
        expect(page.locator("#review-queue")).to_contain_text("Không có báo cáo nào chờ xem xét")
        assert Report.objects.get(pk=world.reports.tttt.pk).status == ReportStatus.ACCEPTED
        screenshot(page, "home-coordinator-after-accept")


def test_the_waiting_count_leads_to_the_review_queue(live_server, world):
    with browser_page(viewport=(1366, 900)) as page:
        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.goto(f"{live_server.url}/reports/plans/{world.plan.pk}/2024-Q1/")
        page.click("a.stat-link")
        page.wait_for_url("**?t=waiting")
        rows = page.locator("#agencies tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Sở Thông tin và Truyền thông")
        expect(page.locator("select[name=t]")).to_have_value("waiting")
        screenshot(page, "home-review-queue-filter")


def test_the_head_sees_the_returned_report_first_on_a_phone(live_server, world):
    with browser_page(viewport=(360, 740)) as page:
        log_in(page, live_server.url, "head-noi-vu", PASSWORD)
        expect(page.locator("#reports")).to_contain_text("Thiếu số liệu chuyên mục tháng 2.")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360
        screenshot(page, "home-head-phone")
        # The folded menu opens with its button and shows "Thêm"'s links in place.
        page.click(".menu-toggle")
        page.click("summary:has-text('Thêm')")
        expect(page.locator("#main-menu").get_by_role("link", name="Đơn vị", exact=True)).to_be_visible()
        screenshot(page, "home-head-phone-menu")


def test_the_desk_and_the_officer_land_on_their_own_lists(live_server, personas, world):
    from cchc.feedback.tests.factory import make_feedback
    from cchc.testing import make_user

    make_feedback(subject="Hồ sơ đất đai trễ hẹn")
    make_user("officer-nv", unit=world.units.noi_vu)
    with browser_page(viewport=(1366, 900)) as page:
        log_in(page, live_server.url, "desk", PASSWORD)
        expect(page.locator("#inbox")).to_contain_text("Hồ sơ đất đai trễ hẹn")
        assert header_height(page) < 80
        screenshot(page, "home-desk")
    with browser_page(viewport=(1366, 900)) as page:
        log_in(page, live_server.url, "officer-nv", PASSWORD)
        expect(page.locator("#tasks")).to_contain_text("Chuyên mục CCHC")
        expect(page.locator("#reports")).to_contain_text("Thiếu số liệu chuyên mục tháng 2.")
        screenshot(page, "home-officer")


def test_the_observer_lands_on_the_leadership_summary(live_server, world):
    with browser_page(viewport=(1366, 900)) as page:
        log_in(page, live_server.url, "observer", PASSWORD)
        page.wait_for_url("**/summary/")
        screenshot(page, "home-observer")
