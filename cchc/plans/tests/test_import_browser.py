"""A coordinator's import, in Chromium: upload with progress → review → corrections → confirm → the plan."""

from pathlib import Path

import pytest

from cchc.browser import browser_page, log_in, screenshot, wait_until
from cchc.plans.models import ActivityAgency, Plan
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE_PLAN = Path(__file__).parent / "plans" / "lam-dong-2025-table.md"


def test_a_coordinator_imports_corrects_and_confirms_a_plan(live_server, personas):
    with browser_page() as page:
        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.wait_for_url("**/home/")
        page.goto(f"{live_server.url}/plans/")
        page.click("text=Nhập kế hoạch từ văn bản")
        page.wait_for_url("**/plans/imports/")

        # A slow line, so the progress bar is seen moving while the file goes up.
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 50, "downloadThroughput": -1, "uploadThroughput": 3 * 1024},
        )
        page.set_input_files("input[type=file]", str(TABLE_PLAN))
        page.click("text=Tải lên và đọc văn bản")
        wait_until(page, "document.querySelector('progress') && document.querySelector('progress').value > 0")
        status = page.inner_text("#upload-status")
        assert page.is_visible(".upload-progress") and ("Đang tải lên" in status or "đang đọc văn bản" in status)
        screenshot(page, "import-upload-progress")
        page.wait_for_url("**/plans/imports/*/", timeout=30000)
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )

        # The review: source beside the plan, the unmatched paper highlighted.
        assert page.locator("h1").inner_text().startswith("Rà soát kế hoạch đọc từ tệp")
        assert page.locator("#L1").is_visible()
        paper_row = page.locator("#activity-1 tr.agency-row").first
        assert "uncertain" in paper_row.get_attribute("class")
        assert "chưa khớp danh mục" in paper_row.inner_text()
        unmatched_before = int(page.inner_text("[data-count=unmatched] .n"))
        screenshot(page, "import-review")

        # Correct activity 2: the paper is the province's broadcaster here, and the period is Q3.
        section = page.locator("#activity-1")
        section.locator("input[name='a1-agencies-0-match']").fill("Đài Phát thanh và Truyền hình tỉnh")
        section.locator("input[name='a1-period_start']").fill("01/07/2025")
        section.locator("input[name='a1-period_end']").fill("30/09/2025")
        section.locator("text=Lưu hoạt động này").click()
        page.locator("#activity-1 .msg.saved").wait_for()
        assert page.locator("#activity-1 input[name='a1-period_start']").input_value() == "01/07/2025"
        assert "đã chọn" in page.locator("#activity-1 tr.agency-row").first.inner_text()
        assert int(page.inner_text("[data-count=unmatched] .n")) == unmatched_before - 1
        screenshot(page, "import-review-corrected")
        screenshot(page, "import-activity-corrected", locator=page.locator("#activity-1"))

        # A second section saved from the same page is not mistaken for a stale save.
        page.fill("#id_place", "Đà Lạt")
        page.click("text=Lưu thông tin chung")
        page.locator("#header .msg.saved").wait_for()
        assert not page.locator("#header .msg.error").count()

        page.click("text=Xác nhận và tạo kế hoạch dự thảo")
        page.wait_for_url("**/plans/*/edit/")
        body = page.inner_text("main")
        assert "Đã tạo kế hoạch dự thảo" in body and "Dự thảo" in body
        assert "Báo Lâm Đồng · Thực hiện" in body
        assert "01/07/2025 – 30/09/2025" in body
        screenshot(page, "import-confirmed-plan")

    plan = Plan.objects.get()
    assert plan.place == "Đà Lạt"
    paper = ActivityAgency.objects.get(activity__plan=plan, name="Báo Lâm Đồng")
    assert paper.unit == personas.units.dai and paper.match_quality == "confirmed"


def test_a_duplicate_import_says_so_at_the_top_with_its_discard_button(live_server, personas):
    """Issue 14: the "cannot be imported" notice was at the bottom of a 13,000-pixel page."""
    from cchc.plans.actions import do_activate_plan, do_confirm_import, do_start_import

    first = do_start_import(TABLE_PLAN.read_bytes(), TABLE_PLAN.name, actor=personas.coordinator)
    plan, _ = do_confirm_import(first, actor=personas.coordinator)
    do_activate_plan(plan, actor=personas.coordinator, expected_version=None, accept=["*"])
    again = do_start_import(TABLE_PLAN.read_bytes(), "lai.md", actor=personas.coordinator)
    with browser_page() as page:
        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.wait_for_url("**/home/")
        page.goto(f"{live_server.url}/plans/imports/{again.pk}/")
        box = page.locator("#import-blocking")
        discard = box.locator("[data-discard-top] button")
        assert "Không thể nhập văn bản này" in box.inner_text() and "Trùng lặp" in box.inner_text()
        assert discard.bounding_box()["y"] + discard.bounding_box()["height"] < 900  # seen without scrolling
        # What the coordinator sees on opening the page.
        screenshot(page, "import-duplicate-top", full_page=False)
        discard.click()
        page.wait_for_url("**/plans/imports/")
        assert "Đã hủy lần nhập" in page.inner_text(".messages")
