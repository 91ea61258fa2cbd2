"""A citizen looks a procedure up, on a computer and on a phone, and prints its page."""

import re

import pytest
from playwright.sync_api import expect

from cchc.browser import browser_page, screenshot
from cchc.procedures.testing import demo_records, import_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_finds_a_procedure_without_accents_and_opens_its_page(live_server):
    import_records(demo_records())
    with browser_page() as page:
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{live_server.url}/")
        page.fill("#home-q", "cap doi the can cuoc")
        page.keyboard.press("Enter")
        page.wait_for_url("**/procedures/?q=cap+doi+the+can+cuoc**")
        first = page.locator("ol.procedure-list > li").first
        assert "Cấp đổi thẻ căn cước" in first.inner_text()
        assert first.locator("mark").count() == 5
        screenshot(page, "procedure-search")

        # Typing refines the results in place (htmx), and the address follows.
        page.fill("#id_q", "gia han tam tru")
        page.wait_for_url(re.compile(r"q=gia(\+|%20)han(\+|%20)tam(\+|%20)tru"))
        # A locator wait, not wait_for_function: that evaluates a string, which the CSP (no eval) refuses.
        expect(page.locator("ol.procedure-list a").first).to_contain_text("Gia hạn")
        page.locator("ol.procedure-list a").first.click()
        page.wait_for_url("**/procedures/1.002755/")
        assert page.locator("h1").inner_text() == "Gia hạn tạm trú"
        assert page.locator("table.channels tbody tr").count() == 3
        assert page.get_by_role("button", name="In trang này").is_visible()
        screenshot(page, "procedure-page")
        assert all(url.startswith(live_server.url) for url in requests), "only the site's own assets"


def test_the_procedure_page_reads_on_a_phone_and_prints(live_server):
    import_records(demo_records())
    with browser_page(viewport=(390, 844)) as page:
        page.goto(f"{live_server.url}/procedures/1.004873/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "no sideways scrolling on a phone"
        assert page.locator("html").get_attribute("lang") == "vi"
        screenshot(page, "procedure-page-phone")
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()
        assert page.locator("ul.checklist li").count() >= 2
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")


def test_the_search_form_works_with_the_keyboard_alone(live_server):
    import_records(demo_records())
    with browser_page() as page:
        page.goto(f"{live_server.url}/procedures/")
        page.keyboard.press("Tab")  # the skip link comes first
        assert page.evaluate("document.activeElement.className") == "skip"
        page.focus("#id_q")
        page.keyboard.type("chung thuc ban sao")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"q=chung(\+|%20)thuc(\+|%20)ban(\+|%20)sao"))
        page.wait_for_selector("ol.procedure-list")
        assert "Chứng thực bản sao" in page.locator("ol.procedure-list li").first.inner_text()
