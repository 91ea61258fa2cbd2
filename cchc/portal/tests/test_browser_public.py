"""The public side of the demo province as a citizen meets it (issue 14, items 7 and 8): a home page with news,
a plan card that leads to the plan's progress, headings shown whole, a favicon, and search filters that count the
results shown. Screenshots in test-artifacts/ (public-home*, public-progress*, public-activity*, search-facets*)."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cchc.browser import browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE_END = "Cổng thông tin điện tử/Trang thông tin điện tử"


@pytest.fixture
def demo_province():
    from cchc.portal.testing import ensure_defaults

    ensure_defaults()  # a transactional test starts from an emptied database: the news headings too
    call_command("load_demo", verbosity=0)


def overflowing_headings(page) -> list[str]:
    """Headings wider than their box (a cut or a sideways scroll)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('h1, h2, h3')]
            .filter(h => h.scrollWidth > h.clientWidth + 1)
            .map(h => h.textContent.trim().slice(0, 80))"""
    )


def test_a_citizen_on_the_public_side_of_the_demo_province(live_server, demo_province):
    """Three walks over one load of the demo province (seconds each time, and each transactional test empties
    the database after it): from the home page to the plan's progress, the same pages on a phone, and the
    catalogue's filters following a search."""
    goes_from_the_home_page_to_the_plans_progress(live_server.url)
    headings_wrap_on_a_phone(live_server.url)
    the_search_filters_follow_the_results_typed(live_server.url)


def goes_from_the_home_page_to_the_plans_progress(base: str):
    with browser_page() as page:
        favicon = []
        page.on("response", lambda r: favicon.append(r.status) if "favicon" in r.url else None)
        page.goto(f"{base}/")
        assert page.locator("link[rel=icon]").count() == 1
        # Not an empty portal: the news column, the channels, the plan in progress.
        assert page.locator("ol.news-list > li.card").count() == 5
        card = page.get_by_role("link", name=re.compile(r"^Kế hoạch tuyên truyền công tác cải cách hành chính"))
        expect(card).to_have_attribute("href", "/tien-do/2024/tuyen-truyen-cchc/")
        assert "KH-UBND" not in page.content()
        assert overflowing_headings(page) == []
        screenshot(page, "public-home")

        card.click()
        page.wait_for_url("**/tien-do/2024/tuyen-truyen-cchc/")
        h1 = page.locator("h1").inner_text()
        assert h1.startswith("Tiến độ thực hiện Kế hoạch tuyên truyền công tác cải cách hành chính năm 2024")
        # Activity 1's long title is shown whole, never cut mid-word.
        row = page.locator('#public-activities tr[data-activity="1"] th')
        assert LONG_TITLE_END in row.inner_text()
        assert overflowing_headings(page) == []
        screenshot(page, "public-progress")

        page.goto(f"{base}/tien-do/2024/tuyen-truyen-cchc/hoat-dong/1/")
        assert page.locator("h1").inner_text().endswith(LONG_TITLE_END)
        assert overflowing_headings(page) == []
        screenshot(page, "public-activity")

        # The old address still answers, moved for good to the new one.
        page.goto(f"{base}/tien-do/2024/kh-ubnd/")
        assert page.url.endswith("/tien-do/2024/tuyen-truyen-cchc/")
        response = page.request.get(f"{base}/favicon.ico")
        assert response.ok and response.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")


def headings_wrap_on_a_phone(base: str):
    problems = {}
    with browser_page(viewport=(390, 844)) as page:
        for path in ["/", "/tien-do/2024/tuyen-truyen-cchc/", "/tien-do/2024/tuyen-truyen-cchc/hoat-dong/1/"]:
            page.goto(f"{base}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            overflowing = overflowing_headings(page)
            if width > 390 or overflowing:
                problems[path] = {"width": width, "headings cut": overflowing}
            name = path.strip("/").replace("/", "-") or "home"
            screenshot(page, f"public-{name}-phone".replace("public-tien-do-2024-tuyen-truyen-cchc", "public-progress"))
    assert not problems, problems


def the_search_filters_follow_the_results_typed(base: str):
    with browser_page() as page:
        page.goto(f"{base}/procedures/")
        field = page.locator("select[name=field]")
        expect(field.locator("option", has_text="Hộ tịch (12)")).to_have_count(1)  # the catalogue, before a search
        page.fill("#id_q", "cap giay phep xay dung")  # the live search: only #results and, out of band, the filters
        page.wait_for_url(re.compile(r"q=cap(\+|%20)giay"))
        expect(page.locator("ol.procedure-list > li")).to_have_count(2)
        expect(field.locator("option", has_text="Hộ tịch")).to_have_count(0)
        options = field.locator("option").all_inner_texts()
        assert options == ["Tất cả", "Chứng thực (1)", "Hoạt động xây dựng (1)"], options
        screenshot(page, "search-facets")

        field.select_option("Hoạt động xây dựng")
        page.wait_for_url(re.compile(r"field=Ho"))
        expect(page.locator("ol.procedure-list > li")).to_have_count(1)
        assert "Không tìm thấy" not in page.locator("#results").inner_text()
        assert "Cấp giấy phép xây dựng" in page.locator("ol.procedure-list").inner_text()
        expect(field).to_have_value("Hoạt động xây dựng")
        screenshot(page, "search-facets-chosen")
