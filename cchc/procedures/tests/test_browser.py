"""A citizen looks a procedure up, on a computer and on a phone, and prints its page."""

import re

import pytest
from playwright.sync_api import expect

from cchc.browser import browser_page, log_in, screenshot
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
        page.wait_for_url(re.compile(r"/procedures/1\.002755/\?q=gia"))  # ?q= counts the click on the query
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


def _shot(page, name: str) -> None:
    screenshot(page, name)  # test-artifacts/<name>.png


def test_a_mistyped_search_suggests_the_right_words_and_finds_the_procedure(live_server):
    import_records(demo_records())
    with browser_page() as page:
        page.goto(f"{live_server.url}/procedures/")
        page.fill("#id_q", "dang ky kahi sinh")
        page.keyboard.press("Enter")
        suggestion = page.locator("#suggestion")
        expect(suggestion).to_contain_text("Có phải bạn muốn tìm: dang ky khai sinh")
        assert "Thủ tục đăng ký khai sinh" in page.locator("ol.procedure-list li").first.inner_text()
        _shot(page, "procedure-search-suggestion")
        suggestion.locator("a").click()
        page.wait_for_url(re.compile(r"q=dang(\+|%20)ky(\+|%20)khai(\+|%20)sinh"))
        expect(page.locator("#suggestion")).to_have_count(0)


def test_a_coordinator_adds_a_synonym_and_the_next_search_uses_it(live_server, personas):
    from cchc.testing import PASSWORD

    import_records(demo_records())
    with browser_page() as page:
        # A citizen's words the catalogue does not know: nothing useful, the feedback form offered.
        page.goto(f"{live_server.url}/procedures/?q=m%E1%BB%9F+s%E1%BA%A1p+ngo%C3%A0i+ch%E1%BB%A3")
        expect(page.locator(".card.empty")).to_be_visible()
        assert "Đăng ký thành lập hộ kinh doanh" not in page.locator("#results").inner_text()
        assert page.get_by_role("link", name=re.compile("Gửi câu hỏi, phản ánh")).count() == 1
        _shot(page, "procedure-search-before-synonym")

        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.goto(f"{live_server.url}/procedures/tu-ngu-tra-cuu/")
        row = page.locator("#report-empty").locator("xpath=..").locator("tr", has_text="mở sạp ngoài chợ")
        expect(row).to_have_count(1)
        row.locator("input[name=replacement]").fill("đăng ký thành lập hộ kinh doanh")
        row.get_by_role("button", name="Thêm từ đồng nghĩa").click()
        expect(page.locator("body")).to_contain_text("được tìm như «đăng ký thành lập hộ kinh doanh»")
        expect(page.locator("#synonyms-heading").locator("xpath=..")).to_contain_text("mở sạp ngoài chợ")
        _shot(page, "search-words-synonym-added")

        page.goto(f"{live_server.url}/procedures/?q=m%E1%BB%9F+s%E1%BA%A1p+ngo%C3%A0i+ch%E1%BB%A3")
        expect(page.locator("ol.procedure-list li").first).to_contain_text("Đăng ký thành lập hộ kinh doanh")
        _shot(page, "procedure-search-after-synonym")
