"""The quarterly cycle in Chromium: an officer records a result with evidence, the Q1 draft shows it, the
head submits, the coordinator returns it with a reason, the officer revises, the head resubmits, the
coordinator accepts, and the consolidated Q1 report counts it."""

import pytest

from cchc.browser import browser_page, log_in, screenshot
from cchc.reports.tests.helpers import q1
from cchc.testing import PASSWORD, PNG_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, base, username):
    page.context.clear_cookies()
    log_in(page, base, username, PASSWORD)
    page.wait_for_url("**/my-work/")


def test_a_quarterly_report_goes_round_the_whole_cycle(live_server, personas, demo_plan, tmp_path):
    period = q1(demo_plan)
    photo = tmp_path / "loa-xa.png"
    photo.write_bytes(PNG_BYTES)
    base = live_server.url
    with browser_page() as page:
        # The officer records a result with evidence (the execution app's form)...
        _as(page, base, "officer-a")
        page.click("nav >> text=Kết quả")
        page.click("main >> text=Ghi nhận kết quả")
        page.select_option("#id_obligation", label="2024 · 1. Công khai TTHC")
        page.select_option("#id_kind", "broadcast")
        page.fill("#id_occurred_on", "12/02/2024")
        page.fill("#id_title", "Phát thanh tin CCHC trên loa xã tháng 02/2024")
        page.fill("#id_quantity", "8")
        page.fill("#id_quantity_unit", "lượt phát")
        page.fill("#id_reach", "640")
        page.fill("#id_cost", "400.000")
        page.set_input_files("#id_files", str(photo))
        page.click("button:has-text('Ghi nhận')")
        page.wait_for_url("**/results/*/")
        result_url = page.url
        # ... then opens the quarter, drafts the report and finds the result in it.
        page.click("nav >> text=Báo cáo")
        page.click("text=Quý I năm 2024")
        page.click("text=Lập dự thảo báo cáo")
        page.wait_for_url("**/reports/*/")
        items = page.inner_text("details")
        assert "Phát thanh tin CCHC trên loa xã tháng 02/2024" in items and "12/02/2024" in items
        assert "640" in page.inner_text("table.figures") and "400.000" in page.inner_text("table.figures")
        page.fill("#id_results_text", "Đã phát 8 lượt tin CCHC trên hệ thống loa của xã.")
        page.click("button[name=save]")
        page.wait_for_selector("text=Đã lưu lúc")
        screenshot(page, "report-1-draft-saved-by-officer")

        # The head submits it.
        _as(page, base, "head-a")
        page.goto(f"{base}/reports/")
        page.click("text=Dự thảo")
        page.click("text=Lưu và gửi báo cáo tới Sở Nội vụ")
        page.wait_for_selector("#report-status:has-text('Đã gửi, chờ xem xét')")
        assert "Các kết quả trong kỳ đã được khóa" in page.content()
        screenshot(page, "report-2-submitted-by-head")
        page.goto(result_url)
        assert "thuộc báo cáo định kỳ đơn vị đã gửi" in page.inner_text("main")

        # The coordinator returns it, with a reason.
        _as(page, base, "coordinator")
        page.goto(f"{base}/reports/plans/{demo_plan.pk}/{period.code}/")
        page.click("a.button:has-text('Xem xét')")
        page.fill("#id_reason", "Đề nghị bổ sung kết quả lồng ghép tuyên truyền trong họp thôn.")
        screenshot(page, "report-3-coordinator-returns")
        page.click("text=Trả lại báo cáo")
        page.wait_for_selector("text=Đã trả lại báo cáo của UBND xã Ia Kha")

        # The officer sees why, revises; the head resubmits.
        _as(page, base, "officer-a")
        assert page.inner_text(".bell-count") == "1"
        page.click(".bell")
        page.click("text=Sở Nội vụ đã trả lại báo cáo")
        assert "bổ sung kết quả lồng ghép tuyên truyền trong họp thôn" in page.inner_text(".returned")
        page.fill("#id_results_text", "Đã phát 8 lượt tin CCHC trên loa xã; lồng ghép tuyên truyền tại 6 cuộc họp "
                                      "thôn.")
        page.click("button[name=save]")
        page.wait_for_selector("text=Đã lưu lúc")
        page.reload()
        assert page.inner_text("#report-status") == "Đã sửa, chờ gửi lại"
        screenshot(page, "report-4-revised-by-officer")
        _as(page, base, "head-a")
        page.goto(f"{base}/reports/")
        page.click("text=Đã sửa, chờ gửi lại")
        page.click("text=Lưu và gửi báo cáo tới Sở Nội vụ")
        page.wait_for_selector("#report-status:has-text('Đã gửi, chờ xem xét')")
        assert "Lần 2" in page.inner_text(".versions")

        # The coordinator accepts, and the consolidated report counts it.
        _as(page, base, "coordinator")
        page.goto(f"{base}/reports/plans/{demo_plan.pk}/{period.code}/")
        page.click("a.button:has-text('Xem xét')")
        page.click("text=Tiếp nhận báo cáo")
        page.wait_for_selector("text=Đã tiếp nhận báo cáo của UBND xã Ia Kha")
        screenshot(page, "report-5-period-list-coordinator")
        page.click("text=Báo cáo tổng hợp của tỉnh")
        assert page.inner_text("#counted") == "1/5"
        assert page.inner_text("#total-results") == "1"
        assert "400.000" in page.inner_text("table.figures")
        screenshot(page, "report-6-consolidated")
