"""Every dashboard page in Chromium, as the people who use it; screenshots in test-artifacts/dashboards-*.png."""

import io

import pytest
from playwright.sync_api import expect

from cchc.browser import browser_page, log_in, screenshot
from cchc.dashboards import figures
from cchc.dashboards.tests import scenario
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _day(monkeypatch):
    monkeypatch.setattr(figures, "today", lambda: scenario.DAY)


@pytest.fixture
def world(personas, demo_plan):
    return scenario.build(personas, demo_plan)


def figure(page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').first.inner_text().strip()


def test_the_coordinator_walks_the_dashboards(live_server, world):
    base = f"{live_server.url}/dashboards/plans/{world.plan.pk}/2024-Q1/"
    with browser_page() as page:
        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.goto(base)
        assert figure(page, "submitted") == "2/5"
        assert figure(page, "results") == "7"
        assert page.locator("svg#chart-reports title").first.text_content().startswith("Tình hình gửi báo cáo")
        screenshot(page, "dashboards-overview")
        # Filtering by kind of agency swaps the figures in place (htmx) and keeps the address shareable.
        page.select_option("select[name=group]", "commune")
        # A locator wait, not wait_for_function: that evaluates a string, which the CSP (no eval) refuses.
        expect(page.locator("[data-figure=results]").first).to_have_text("3")
        assert "group=commune" in page.url
        screenshot(page, "dashboards-overview-communes")
        # The figure opens the rows it counts.
        page.click('[data-figure="results"]')
        page.wait_for_selector("#results-table")
        assert page.locator("#results-table tbody tr").count() == 3
        screenshot(page, "dashboards-results")

        page.goto(base + "agencies/?state=missing")
        assert page.locator("#agency-table tbody tr").count() == 2
        screenshot(page, "dashboards-agencies")
        page.goto(base + "grid/")
        assert page.locator('#status-grid td[data-state="returned"]').count() == 1
        screenshot(page, "dashboards-grid")
        page.goto(base + "spending/")
        assert figure(page, "cost") == "13.800.000 đ"
        screenshot(page, "dashboards-spending")
        # Drill down: province → activity → agency → results → evidence.
        page.goto(base)
        page.click('tr[data-activity="1"] th a')
        page.wait_for_selector("#activity-agencies")
        screenshot(page, "dashboards-activity")
        page.click('#activity-agencies tr[data-unit="xa-1"] th a')
        page.wait_for_selector("#obligation-table")
        assert figure(page, "results") == "3"
        screenshot(page, "dashboards-agency-xa-1")
        page.click('[data-figure="results"]')
        page.wait_for_selector("#results-table")
        assert page.get_by_text("bien-ban-nghiem-thu-ky-ten.pdf").count() == 1
        page.goto(base + "deliverables/?state=met")
        assert page.locator("#deliverables-table tbody tr").count() == 2
        screenshot(page, "dashboards-deliverables")


def test_the_observer_prints_the_summary_on_one_page(live_server, world):
    from pypdf import PdfReader

    with browser_page() as page:
        log_in(page, live_server.url, "observer", PASSWORD)
        page.goto(f"{live_server.url}/dashboards/plans/{world.plan.pk}/2024-Q1/summary/")
        assert figure(page, "submitted") == "2/5"
        screenshot(page, "dashboards-summary")
        page.emulate_media(media="print")
        screenshot(page, "dashboards-summary-print")
        printed = page.pdf(format="A4", print_background=True)
        assert len(PdfReader(io.BytesIO(printed)).pages) == 1
        (screenshot.__globals__["ARTIFACTS"] / "dashboards-summary-print.pdf").write_bytes(printed)
        page.emulate_media(media="screen")
        with page.expect_download() as download:
            page.click("text=Tải PDF")
        data = open(download.value.path(), "rb").read()
        assert data.startswith(b"%PDF")
        (screenshot.__globals__["ARTIFACTS"] / "dashboards-summary.pdf").write_bytes(data)


def test_an_officer_sees_their_commune(live_server, world):
    with browser_page(viewport=(390, 844)) as page:  # a phone
        log_in(page, live_server.url, "officer-a", PASSWORD)
        page.goto(f"{live_server.url}/dashboards/")
        page.wait_for_selector("#obligation-table")
        assert "/agencies/xa-1/" in page.url
        assert page.locator("h1").inner_text() == "UBND xã Ia Kha"
        screenshot(page, "dashboards-officer-a")
        response = page.goto(f"{live_server.url}/dashboards/plans/{world.plan.pk}/2024-Q1/agencies/xa-2/")
        assert response.status == 404


def test_the_head_of_a_late_agency_sees_what_is_late(live_server, world, monkeypatch):
    import datetime as dt

    monkeypatch.setattr(figures, "today", lambda: dt.date(2024, 4, 5))
    with browser_page() as page:
        log_in(page, live_server.url, "head-noi-vu", PASSWORD)
        page.goto(f"{live_server.url}/dashboards/")
        page.wait_for_selector("#late-deliverables")
        assert page.locator("#due-this-month li").count() == 1
        assert page.locator("#late-reports li").count() == 1
        screenshot(page, "dashboards-head-late")


def test_the_public_progress_page(live_server, world):
    with browser_page() as page:
        page.goto(f"{live_server.url}/tien-do/")
        page.click("text=Kế hoạch số 94/KH-UBND")
        page.wait_for_selector("#public-activities")
        assert figure(page, "results") == "2"
        assert page.get_by_text("Thủ trưởng").count() == 0
        screenshot(page, "dashboards-public")
        page.click('#public-activities tr[data-activity="1"] td a')
        page.wait_for_selector("#public-results")
        assert page.locator("#public-results tbody tr").count() == 2
        screenshot(page, "dashboards-public-activity")
