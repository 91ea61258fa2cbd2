"""The coordinator starts next year's plan and settles the reorganisation's choices, in a browser."""

import pytest

from cchc.browser import browser_page, log_in, screenshot
from cchc.plans.actions import do_create_plan, do_inherit_obligations
from cchc.plans.models import AgencyRole, Obligation, Plan, PlanStatus
from cchc.plans.tests.reorg import REFORM_DAY, reorg_document, reorganise
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    return screenshot(page, f"nextyear-{name}")


def test_the_coordinator_copies_the_plan_and_picks_a_successor(live_server, personas):
    reorg = reorganise(personas.units)
    plan_2024 = do_create_plan(reorg_document(2024), status=PlanStatus.ACTIVE)
    plan_2025 = do_create_plan(reorg_document(2025), status=PlanStatus.ACTIVE)
    do_inherit_obligations(REFORM_DAY)
    with browser_page() as page:
        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/plans/{plan_2024.pk}/copy/")
        page.select_option("select[name=year]", "2026")
        _shot(page, "copy-form")
        page.click("button[type=submit]")
        draft = Plan.objects.get(year=2026)
        page.wait_for_url(f"**/plans/{draft.pk}/")
        text = page.inner_text("body")
        assert "2 đề xuất cần rà soát" in text
        assert "Hoạt động 3: đề xuất Sở Văn hóa, Thể thao và Du lịch thay cho Sở Thông tin và Truyền thông" in text
        _shot(page, "copy-done")

        page.goto(f"{live_server.url}/plans/successor-choices/")
        assert "Còn 2 lựa chọn chờ xác nhận" in page.inner_text("body")
        _shot(page, "successor-choices")
        row = page.locator("tr", has_text="Tuyên truyền trên Hệ thống thông tin cơ sở")
        row.locator("select[name=unit]").select_option(label="Sở Khoa học và Công nghệ")
        row.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert "Sở Khoa học và Công nghệ thực hiện phần việc của Sở Thông tin và Truyền thông" in page.inner_text(
            "body"
        )
        assert "Còn 1 lựa chọn chờ xác nhận" in page.inner_text("body")
        _shot(page, "successor-chosen")
    lead = Obligation.objects.get(activity__plan=plan_2025, activity__number="3", role=AgencyRole.LEAD, required=True)
    assert lead.unit == reorg.khcn
