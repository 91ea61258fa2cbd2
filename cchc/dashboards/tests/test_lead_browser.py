"""The lead's journey in Chromium: its activity across the agencies, a reminder to those behind; and the topic
coverage on the overview. Screenshots in test-artifacts/lead-*.png."""

import pytest
from playwright.sync_api import expect

from cchc.browser import browser_page, log_in, screenshot
from cchc.dashboards import figures
from cchc.dashboards.tests import scenario
from cchc.plans.models import AgencyRole, Obligation
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _day(monkeypatch):
    monkeypatch.setattr(figures, "today", lambda: scenario.DAY)


def test_the_lead_supervises_its_activity_and_reminds_those_behind(live_server, personas, demo_plan):
    world = scenario.build(personas, demo_plan)
    Obligation.objects.filter(activity__plan=demo_plan, activity__number="1", unit=personas.units.tttt).update(
        role=AgencyRole.LEAD
    )
    base = f"{live_server.url}/dashboards/plans/{world.plan.pk}/2024-Q1/"
    with browser_page() as page:
        log_in(page, live_server.url, personas.officer_dept.username, PASSWORD)
        page.goto(base + "agencies/so-tttt/")
        page.click('a[href$="/activities/1/"]')
        expect(page.locator("#activity-agencies")).to_be_visible()
        assert page.locator('#activity-agencies tr[data-unit="xa-2"] input[name=unit]').is_checked()
        screenshot(page, "lead-activity")
        page.click("#remind-form button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("Đã nhắc")
        expect(page.locator('#activity-agencies tr[data-unit="xa-2"] input[name=unit]')).to_have_count(0)
        screenshot(page, "lead-activity-reminded")
    with browser_page() as page:
        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.goto(base)
        expect(page.locator("#topic-coverage")).to_be_visible()
        screenshot(page, "lead-overview-topics")
