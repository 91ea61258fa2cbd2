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
    page.wait_for_url("**/home/")


def _in_view(page, selector: str) -> bool:
    return page.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        selector,
    )


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
        items = page.inner_text("main details")
        assert "Phát thanh tin CCHC trên loa xã tháng 02/2024" in items and "12/02/2024" in items
        assert "640" in page.inner_text("table.figures") and "400.000" in page.inner_text("table.figures")
        page.fill("#id_results_text", "Đã phát 8 lượt tin CCHC trên hệ thống loa của xã.")
        page.click("button[name=save]")
        page.wait_for_selector("text=Đã lưu lúc")
        # "Đã lưu" is beside the button that was clicked, on screen.
        assert page.locator("#saved-note").is_visible() and _in_view(page, "#saved-note")
        screenshot(page, "report-1-draft-saved-by-officer")

        # The head submits it.
        _as(page, base, "head-a")
        page.goto(f"{base}/reports/")
        page.click("text=Dự thảo")
        # Sending asks first, and says what will be locked; "Hủy" sends nothing.
        dialogs = []
        page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.click("text=Lưu và gửi báo cáo tới Sở Nội vụ")
        assert "sẽ bị khóa" in dialogs[0] and "15/12/2023" in dialogs[0] and "14/03/2024" in dialogs[0]
        assert page.inner_text("#report-status") == "Dự thảo"
        page.once("dialog", lambda d: d.accept())
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
        page.fill(
            "#id_results_text", "Đã phát 8 lượt tin CCHC trên loa xã; lồng ghép tuyên truyền tại 6 cuộc họp thôn."
        )
        page.click("button[name=save]")
        page.wait_for_selector("text=Đã lưu lúc")
        page.reload()
        assert page.inner_text("#report-status") == "Đã sửa, chờ gửi lại"
        screenshot(page, "report-4-revised-by-officer")
        _as(page, base, "head-a")
        page.goto(f"{base}/reports/")
        page.click("text=Đã sửa, chờ gửi lại")
        page.once("dialog", lambda d: d.accept())
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


def test_the_province_report_warns_of_an_outdated_text_and_asks_before_issuing(live_server, personas, demo_plan):
    """An edited "Đánh giá chung" written before another report was accepted: the page warns with the current
    figures, issuing is refused until the text is regenerated, and issuing asks first."""
    from cchc.reports import actions
    from cchc.reports.tests.helpers import make_head, make_result, submitted

    period = q1(demo_plan)
    u = personas.units
    make_result(u.commune_a, plan=demo_plan, quantity=3, reach=100, cost=1_000_000)
    make_result(u.commune_b, plan=demo_plan, quantity=2, reach=60, cost=500_000)
    actions.do_accept_report(submitted(period, u.commune_a, personas.head_a), actor=personas.coordinator)
    late = submitted(period, u.commune_b, make_head(u.commune_b))
    province = actions.do_start_province_report(period, actor=personas.coordinator)
    actions.do_save_province_report(
        province,
        {"general_text": "Trong quý I, 1 đơn vị có báo cáo được tiếp nhận, với 1 hoạt động tuyên truyền."},
        expected_version=province.version,
        actor=personas.coordinator,
    )
    actions.do_accept_report(late, actor=personas.coordinator)  # the figures move after the text was written
    base = live_server.url
    with browser_page() as page:
        _as(page, base, "coordinator")
        page.goto(f"{base}/reports/plans/{demo_plan.pk}/{period.code}/province/")
        warning = page.locator("#general-text-stale")
        assert "không còn khớp với số liệu" in warning.inner_text()
        assert "có 2/5 cơ quan, đơn vị" in page.inner_text("#general-text-current")
        assert page.locator("#issue-button").is_disabled()
        warning.scroll_into_view_if_needed()
        screenshot(page, "province-1-outdated-text-warning")
        page.click("#regenerate")
        page.wait_for_selector("text=Đã thay đoạn “Đánh giá chung”")
        # The message is beside the buttons, and on screen without scrolling.
        assert _in_view(page, ".messages")
        assert page.locator("#general-text-stale").count() == 0
        assert "có 2/5 cơ quan, đơn vị" in page.input_value("#id_general_text")
        screenshot(page, "province-2-regenerated-message-in-view", full_page=False)  # what is on screen
        dialogs = []
        page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.click("#issue-button")
        assert "2/5 báo cáo" in dialogs[0] and "không sửa được nữa" in dialogs[0]
        assert page.locator("#issue-button").count() == 1  # nothing issued
        page.once("dialog", lambda d: d.accept())
        page.click("#issue-button")
        page.wait_for_selector("text=Đã ban hành báo cáo tổng hợp Quý I năm 2024")
        screenshot(page, "province-3-issued")
