"""Finding 12 (issue 15): a citizen whose submit fails (server or database down) gets the text back."""

from __future__ import annotations

import pytest

from cchc.browser import browser_page, screenshot
from cchc.feedback.models import Feedback
from cchc.feedback.tests.factory import solve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Bộ phận một cửa yêu cầu bản sao chứng thực căn cước dù đã có trên CSDL dân cư."


def _fill(page):
    page.fill("#id_sender_name", "Nguyễn Thị Riêng Tư")
    page.fill("#id_address", "12 Hẻm Bí Mật, phường Tây Sơn")
    page.fill("#id_phone", "0912 345 678")
    page.fill("#id_subject", "Bỏ yêu cầu bản sao chứng thực")
    page.fill("#id_content", TEXT)


def test_the_text_survives_a_failed_submit_and_is_forgotten_once_accepted(live_server, personas):
    unavailable = '<!doctype html><html lang="vi"><meta charset="utf-8"><h1>Hệ thống tạm thời gián đoạn</h1></html>'
    with browser_page(viewport=(390, 844)) as page:
        page.goto(f"{live_server.url}/feedback/new/")
        _fill(page)
        page.fill("#id_captcha_answer", solve(page.locator(".captcha strong").inner_text()))
        # The server is down: the POST gets nginx's 503 page.
        page.route(
            "**/feedback/new/",
            lambda route: (
                route.fulfill(status=503, body=unavailable, content_type="text/html; charset=utf-8")
                if route.request.method == "POST"
                else route.continue_()
            ),
        )
        page.click("button[type=submit]")
        page.wait_for_selector("text=Hệ thống tạm thời gián đoạn")
        page.unroute("**/feedback/new/")
        # Back on the form (a fresh page from the server): what was typed is there again.
        page.goto(f"{live_server.url}/feedback/new/")
        assert page.locator("#id_content").input_value() == TEXT
        assert page.locator("#id_sender_name").input_value() == "Nguyễn Thị Riêng Tư"
        assert page.locator("#id_captcha_answer").input_value() == ""
        screenshot(page, "feedback-draft-restored")
        page.fill("#id_captcha_answer", solve(page.locator(".captcha strong").inner_text()))
        page.click("button[type=submit]")
        page.wait_for_url("**/feedback/sent/**")
        assert page.evaluate("() => window.sessionStorage.getItem('cchc-draft:feedback-submit')") is None
        page.goto(f"{live_server.url}/feedback/new/")
        assert page.locator("#id_content").input_value() == ""
    assert Feedback.objects.get().content == TEXT


def test_the_browser_solves_the_proof_of_work_so_the_sum_can_stay_blank(live_server, personas):
    """Finding 8 (issue 15): the offline proof of work replaces the sum for a browser with JavaScript."""
    import hashlib

    with browser_page(viewport=(390, 844)) as page:
        page.goto(f"{live_server.url}/feedback/new/")
        # The page's SHA-256 agrees with Python's (known answer).
        words = page.evaluate("() => window.cchcSha256('abc:123').map(w => (w >>> 0).toString(16).padStart(8, '0'))")
        assert "".join(words) == hashlib.sha256(b"abc:123").hexdigest()
        page.locator("form[data-pow-solved=true]").wait_for()
        assert page.locator("[data-pow-done]").is_visible()
        _fill(page)
        screenshot(page, "feedback-pow-solved")
        page.click("button[type=submit]")
        page.wait_for_url("**/feedback/sent/**")
    assert Feedback.objects.get().content == TEXT
