"""Keyboard-only use (issue 18, item 3): the skip link comes first, focus is always visible, and the
feedback form and the result form are filled and sent with the Tab key, typing and Enter alone."""

from __future__ import annotations

import pytest

from cchc.browser import browser_page, log_in, screenshot
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  return {id: el.id, name: el.getAttribute('name') || '', tag: el.tagName.toLowerCase(),
          type: el.getAttribute('type') || '', text: (el.innerText || '').trim().slice(0, 60), visible: visible};
}"""


def tab_to(page, match, limit: int = 80) -> dict:
    """Press Tab until the focused element matches; every element passed must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible"], f"focus is not visible on {focused}"
        if match(focused):
            return focused
    raise AssertionError("never reached the element with the Tab key")


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(live_server, personas):
    with browser_page() as page:
        page.goto(live_server.url + "/")
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUSED)
        assert first["tag"] == "a" and first["visible"]
        assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == "#main"


def test_a_citizen_sends_feedback_with_the_keyboard_alone(live_server, personas):
    from cchc.feedback.models import Feedback
    from cchc.feedback.tests.factory import solve

    with browser_page() as page:
        page.goto(live_server.url + "/feedback/new/")
        values = {
            "sender_name": "Trần Văn Phím",
            "address": "45 Lê Lợi, phường Hội Thương",
            "phone": "0905 111 222",
            "subject": "Thời gian trả kết quả chứng thực",
            "content": "Đề nghị niêm yết rõ thời gian trả kết quả chứng thực tại bộ phận một cửa.",
        }
        for name, value in values.items():
            tab_to(page, lambda f, name=name: f["name"] == name)
            page.keyboard.type(value)
        captcha = page.locator(".captcha strong")
        if captcha.count():
            tab_to(page, lambda f: f["name"] == "captcha_answer")
            page.keyboard.type(solve(captcha.inner_text()))
        tab_to(page, lambda f: f["tag"] == "button" and f["type"] == "submit")
        page.keyboard.press("Enter")
        try:
            page.wait_for_url("**/feedback/sent/**")
        finally:
            screenshot(page, "keyboard-feedback-after-submit")
        screenshot(page, "keyboard-feedback-sent")
    assert Feedback.objects.filter(subject=values["subject"]).exists()


def test_an_officer_records_a_result_with_the_keyboard_alone(live_server, personas, demo_plan):
    from cchc.execution.models import Result

    with browser_page() as page:
        log_in(page, live_server.url, personas.officer_a.username, PASSWORD)
        page.goto(live_server.url + "/results/new/")
        # A select is changed from the keyboard with the arrow keys, as a person would.
        tab_to(page, lambda f: f["name"] == "obligation")
        page.keyboard.press("ArrowDown")
        tab_to(page, lambda f: f["name"] == "kind")
        page.keyboard.press("ArrowDown")
        tab_to(page, lambda f: f["name"] == "title")
        page.keyboard.type("Bài viết về dịch vụ công trực tuyến")
        tab_to(page, lambda f: f["name"] == "occurred_on")
        page.keyboard.type("15/02/2024")
        tab_to(page, lambda f: f["tag"] == "button" and f["type"] == "submit")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        screenshot(page, "keyboard-result-saved")
    assert Result.objects.filter(title="Bài viết về dịch vụ công trực tuyến").exists()
