"""An agency officer writes and publishes a news post; a citizen reads it from the home page."""

import pytest

from cchc.browser import browser_page, log_in, screenshot
from cchc.portal.testing import ensure_defaults
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_publishes_a_post_that_citizens_then_read(live_server, personas):
    ensure_defaults()  # a transactional test starts from an emptied database
    with browser_page() as page:
        log_in(page, live_server.url, "officer-a", PASSWORD)
        page.wait_for_url("**/home/")
        page.goto(f"{live_server.url}/portal/")
        page.click("text=Viết tin mới")
        page.fill("#id_title", "Xã Ia Kha nhận hồ sơ hộ tịch cả sáng thứ Bảy")
        page.select_option("#id_category", label="Hoạt động cải cách hành chính")
        page.fill("#id_summary", "Từ tháng 7, Bộ phận Một cửa xã mở cửa thêm sáng thứ Bảy.")
        page.fill(
            "#id_body",
            "Để người dân đi làm ngày thường cũng nộp được hồ sơ, xã mở cửa sáng thứ Bảy.\n\n"
            "Các thủ tục hộ tịch, chứng thực được tiếp nhận như ngày thường.",
        )
        page.click("button:has-text('Lưu')")
        page.wait_for_selector("text=Đã lưu bản nháp")
        screenshot(page, "news-draft")
        page.click("button:has-text('Đăng tin')")
        page.wait_for_selector("text=Đã đăng tin")

    with browser_page(viewport=(390, 844)) as page:
        page.goto(f"{live_server.url}/")
        page.click("text=Xã Ia Kha nhận hồ sơ hộ tịch cả sáng thứ Bảy")
        assert page.locator("h1").inner_text() == "Xã Ia Kha nhận hồ sơ hộ tịch cả sáng thứ Bảy"
        assert "Các thủ tục hộ tịch, chứng thực" in page.content()
        screenshot(page, "news-post-phone")
        page.goto(f"{live_server.url}/news/")
        assert page.locator("ol.news-list li").count() == 1
        screenshot(page, "news-column-phone")
        feed = page.request.get(f"{live_server.url}/news/feed/")
        assert "Xã Ia Kha nhận hồ sơ hộ tịch" in feed.text()
