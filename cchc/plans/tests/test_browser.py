import pytest
from playwright.sync_api import expect

from cchc.browser import browser_page, log_in, screenshot
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commune_officer_logs_in_and_sees_their_obligations(live_server, personas, demo_plan):
    with browser_page() as page:
        log_in(page, live_server.url, "officer-a", PASSWORD)
        page.wait_for_url("**/home/")
        assert page.locator("h1").inner_text() == "Việc của tôi"
        rows = page.locator("tbody tr")
        assert rows.count() == 1
        assert "Công khai TTHC" in rows.first.inner_text()
        screenshot(page, "my-work-commune-officer")
        page.click("text=1. Công khai TTHC")
        # The click waits only for the next page to start loading; the locator waits for it to be there.
        expect(page.locator("#obligations")).to_contain_text("UBND xã Ia Kha")
        page.select_option("select[name=kind]", "commune_committee")
        page.wait_for_url("**kind=commune_committee**")
        assert "Sở Thông tin và Truyền thông</a>" not in page.inner_html("#obligations")
        screenshot(page, "activity-filtered")


def test_an_anonymous_visitor_is_sent_to_log_in(live_server, demo_plan):
    with browser_page(viewport=(390, 844)) as page:
        page.goto(f"{live_server.url}/my-work/")
        assert "/accounts/login/" in page.url
        assert "Hãy đăng nhập để tiếp tục" in page.content()
        screenshot(page, "login-mobile")
