"""The unit picker in Chromium: the desk finds one of two wards named "Tây Sơn" by typing, without accents, and
chooses it with the keyboard; screenshot in test-artifacts/unit-picker.png."""

import pytest
from playwright.sync_api import expect

from cchc.browser import browser_page, log_in, screenshot
from cchc.feedback.models import Feedback
from cchc.orgs.models import UnitKind
from cchc.testing import PASSWORD, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_desk_assigns_feedback_to_the_right_namesake(live_server, personas):
    from cchc.feedback.tests.factory import make_accepted

    for code, place in (("tay-son-pk", "thành phố Pleiku"), ("tay-son-ak", "thị xã An Khê")):
        make_unit(code=code, name="UBND phường Tây Sơn", kind=UnitKind.COMMUNE_COMMITTEE, context=place)
    item = make_accepted(personas)
    with browser_page(viewport=(1280, 900)) as page:
        log_in(page, live_server.url, "desk", PASSWORD)
        page.goto(f"{live_server.url}/feedback/desk/{item.code}/")
        box = page.get_by_role("combobox", name="Cơ quan xử lý")
        expect(box).to_be_visible()
        box.fill("tay son")
        options = page.locator("#decision-assign [role=option]")
        expect(options).to_have_count(2)
        expect(options.nth(0)).to_have_text("UBND phường Tây Sơn (thành phố Pleiku)")
        expect(options.nth(1)).to_have_text("UBND phường Tây Sơn (thị xã An Khê)")
        screenshot(page, "unit-picker")
        box.press("ArrowDown")
        box.press("ArrowDown")
        box.press("Enter")
        expect(box).to_have_value("UBND phường Tây Sơn (thị xã An Khê)")
        page.click("#decision-assign button")
        page.wait_for_selector("text=Đã chuyển cho cơ quan xử lý.")
        screenshot(page, "unit-picker-assigned")
    assert Feedback.objects.get(pk=item.pk).assigned_unit.code == "tay-son-ak"
