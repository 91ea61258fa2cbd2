"""Phones and desktops: no page scrolls sideways (issue 18, item 2).

Every public page (the anonymous role's pages of the URL × role matrix) and the officer's and the
head's daily pages (my work, recording a result, the reports) are opened at 360 × 740 and at 1366 × 900;
the page itself must not be wider than the screen (a wide table scrolls inside its own box, with a
hint). Screenshots go to ``test-artifacts/phone/`` for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from cchc.browser import browser_page, screenshot, use_session
from cchc.tests.test_access_matrix import build_world, pages_of, signed_in_client

SIZES = [(360, 740), (1366, 900)]
# The officer's and the head's daily pages, by URL prefix.
DAILY = re.compile(r"^/(home|my-work|results|reports|deliverables|unit-plans)/")


def _name(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


def _pages(role: str, w) -> list[str]:
    urls = pages_of(role, w)
    if role != "anonymous":
        urls = [u for u in urls if DAILY.match(u)]
    return [u for u in urls if not re.search(r"\.(xlsx|docx|pdf|csv|json|xml)(\?|$)|/feed/", u)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["anonymous", "officer_a", "head_a"])
def test_no_page_scrolls_sideways(live_server, role):
    """Both sizes in one test, one world and one sign-in for them: the window is resized between the walks."""
    w = build_world()
    wide, seen = [], {size: 0 for size in SIZES}
    with browser_page(viewport=SIZES[0]) as page:
        if role != "anonymous":
            use_session(page, live_server.url, signed_in_client(role, w))
        for size in SIZES:
            page.set_viewport_size({"width": size[0], "height": size[1]})
            for url in _pages(role, w):
                response = page.goto(live_server.url + url)
                if response is None or response.status != 200:
                    continue
                seen[size] += 1
                width = page.evaluate("() => document.documentElement.scrollWidth")
                if width > size[0]:
                    wide.append(f"{url} as {role}: {width} px wide on a {size[0]} px screen")
                    screenshot(page, f"phone/{role}-{_name(url)}-{size[0]}")
                elif size[0] == 360:
                    screenshot(page, f"phone/{role}-{_name(url)}-{size[0]}", full_page=False)
    assert min(seen.values()) >= 3, f"only {seen} pages opened as {role}: the page list is wrong"
    assert not wide, "\n".join(wide)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menu_folds_on_a_phone_and_opens_with_its_button(live_server):
    with browser_page(viewport=(360, 740)) as page:
        page.goto(live_server.url + "/")
        menu = page.locator("#main-menu")
        button = page.locator(".menu-toggle")
        assert button.is_visible() and not menu.is_visible()
        button.click()
        assert menu.is_visible() and button.get_attribute("aria-expanded") == "true"
    with browser_page(viewport=(1366, 900)) as page:
        page.goto(live_server.url + "/")
        assert page.locator("#main-menu").is_visible() and not page.locator(".menu-toggle").is_visible()
