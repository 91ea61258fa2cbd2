"""A plan's whole life in Chromium, as the coordinator and an agency's officer:

upload → review → confirm → edit an activity's lead and deadline → the activation check refuses an empty
group → fix it → activate → the officer sees the new work and records a result → amend (move a deadline)
→ the officer is told → close (the year report issued through the real actions).
"""

import datetime as dt
from pathlib import Path

import pytest

from cchc.browser import browser_page, log_in, screenshot
from cchc.plans.models import Activity, Obligation, Plan, PlanStatus
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE_PLAN = Path(__file__).parent / "plans" / "lam-dong-2025-table.md"


def edit_activity(page, base, plan, number):
    activity = Activity.objects.get(plan=plan, number=number)
    page.goto(f"{base}/plans/{plan.pk}/edit/activities/{activity.pk}/")
    return activity


def row_of(page, name):
    """The agency row whose name input holds ``name``."""
    for row in page.locator("tr.agency-row").all():
        if row.locator("input[name$='-name']").input_value() == name:
            return row
    raise AssertionError(f"no agency row {name}")


def issue_year_report(plan, coordinator):
    from cchc.reports.actions import do_ensure_periods, do_issue_province_report, do_start_province_report

    period = next(p for p in do_ensure_periods(plan) if p.kind == "Y")
    do_issue_province_report(do_start_province_report(period, actor=coordinator), actor=coordinator)


def test_a_plan_lives_from_document_to_closing(live_server, personas):
    base = live_server.url
    with browser_page() as page:
        # 1. Upload, review, confirm: the review hands over to the editor.
        log_in(page, base, "coordinator", PASSWORD)
        page.wait_for_url("**/home/")
        page.goto(f"{base}/plans/imports/")
        page.set_input_files("input[type=file]", str(TABLE_PLAN))
        page.click("text=Tải lên và đọc văn bản")
        page.wait_for_url("**/plans/imports/*/", timeout=30000)
        screenshot(page, "life-1-review")
        page.click("text=Xác nhận và tạo kế hoạch dự thảo")
        page.wait_for_url("**/plans/*/edit/")
        assert "Đã tạo kế hoạch dự thảo" in page.inner_text("main")
        screenshot(page, "life-2-editor")
        plan = Plan.objects.get()

        # 2. Activity 4: Sở Nội vụ becomes its lead, the deadline moves to 15/11/2025, and the coordinator
        #    adds "các cơ sở đào tạo" found with the search box (typed without accents) — a group with no unit.
        edit_activity(page, base, plan, "4")
        row_of(page, "Sở Nội vụ").locator("select[name$='-role']").select_option("lead")
        page.fill("input[name='period_end']", "15/11/2025")
        empty = page.locator("tr.agency-row").last
        empty.locator("input[name$='-name']").fill("các cơ sở đào tạo")
        empty.locator("input[name$='-match']").press_sequentially("co so dao tao", delay=20)
        page.locator(f"#{empty.locator('datalist').get_attribute('id')} option").first.wait_for(state="attached")
        assert "(nhóm)" in page.locator(f"#{empty.locator('datalist').get_attribute('id')}").inner_html()
        empty.locator("input[name$='-match']").fill("các cơ sở đào tạo (nhóm)")
        # Leave the box as a person does (Tab): while it has focus, the suggestion list that the search's
        # answer refreshes opens again over the page and swallows the next click.
        empty.locator("input[name$='-match']").press("Tab")
        screenshot(page, "life-3-activity-edit")
        page.click("text=Lưu hoạt động")
        page.wait_for_url("**/plans/*/edit/#activity-*")
        activity = Activity.objects.get(plan=plan, number="4")
        assert activity.period_end == dt.date(2025, 11, 15)
        assert activity.agencies.get(name="Sở Nội vụ").role == "lead"

        # 3. The activation check refuses the empty group until it is fixed.
        page.goto(f"{base}/plans/{plan.pk}/activate/")
        assert "không có đơn vị nào" in page.inner_text("main")
        for box in page.locator("li.problem input[name=accept]").all():
            code = box.get_attribute("value")
            if not code.startswith("empty_group"):
                box.check()
        page.click("text=Kích hoạt kế hoạch và thông báo cho các đơn vị")
        page.locator(".msg.error").first.wait_for()
        assert "Chưa kích hoạt được" in page.inner_text("main")
        screenshot(page, "life-4-check-refuses")
        assert Plan.objects.get().status == PlanStatus.DRAFT
        edit_activity(page, base, plan, "4")
        row_of(page, "các cơ sở đào tạo").locator("input[name$='-DELETE']").check()
        page.click("text=Lưu hoạt động")
        page.wait_for_url("**/plans/*/edit/#activity-*")

        # 4. Activate, every remaining warning accepted on purpose.
        page.goto(f"{base}/plans/{plan.pk}/activate/")
        assert "không có đơn vị nào" not in page.inner_text("main")
        for box in page.locator("li.problem input[name=accept]").all():
            box.check()
        screenshot(page, "life-5-activation")
        page.click("text=Kích hoạt kế hoạch và thông báo cho các đơn vị")
        page.wait_for_url(f"**/plans/{plan.pk}/")
        assert "Đang thực hiện" in page.inner_text("main")
        screenshot(page, "life-6-active-plan")

        # 5. The officer of Sở Thông tin và Truyền thông sees the new work and records a result.
        page.context.clear_cookies()
        log_in(page, base, "officer-dept", PASSWORD)
        page.goto(f"{base}/my-work/")
        assert "Hội nghị tập huấn về ứng dụng dịch vụ công trực tuyến" in page.inner_text("main")
        screenshot(page, "life-7-my-work")
        obligation = Obligation.objects.get(activity__plan=plan, activity__number="3", unit=personas.units.tttt)
        page.goto(f"{base}/results/new/?obligation={obligation.pk}")
        page.select_option("select[name=kind]", index=1)
        page.fill("input[name=title]", "Hội nghị tập huấn dịch vụ công trực tuyến")
        page.fill("input[name=occurred_on]", "20/06/2025")
        page.click("form button.primary[type=submit]")
        page.wait_for_url("**/results/*/")
        assert "Đã ghi nhận kết quả" in page.inner_text("main")
        screenshot(page, "life-8-result")

        # 6. The coordinator moves activity 3's deadline, with a reason: a new version, the officer is told.
        page.context.clear_cookies()
        log_in(page, base, "coordinator", PASSWORD)
        edit_activity(page, base, plan, "3")
        page.fill("input[name='period_end']", "31/07/2025")
        page.fill("textarea[name='reason']", "Dời hội nghị sang tháng 7")
        screenshot(page, "life-9a-amend")
        page.click("text=Lưu hoạt động")
        page.wait_for_url("**/plans/*/edit/#activity-*")
        assert "phiên bản 2" in page.inner_text("main")
        page.goto(f"{base}/plans/{plan.pk}/history/diff/?a=1&b=2")
        assert "01/06/2025 – 31/07/2025" in page.inner_text("main")
        screenshot(page, "life-9-diff")
        page.context.clear_cookies()
        log_in(page, base, "officer-dept", PASSWORD)
        page.goto(f"{base}/notifications/")
        notices = page.inner_text("main")
        assert "Dời hội nghị sang tháng 7" in notices and "31/07/2025" in notices
        screenshot(page, "life-10-told")

        # 7. The year report is issued; the coordinator closes the plan, read-only from then on.
        issue_year_report(plan, personas.coordinator)
        page.context.clear_cookies()
        log_in(page, base, "coordinator", PASSWORD)
        page.goto(f"{base}/plans/{plan.pk}/close/")
        page.click("form button.primary[type=submit]")
        page.wait_for_url(f"**/plans/{plan.pk}/")
        body = page.inner_text("main")
        assert "Đã kết thúc" in body and "Sửa kế hoạch" not in body and "Sửa đổi kế hoạch" not in body
        screenshot(page, "life-11-closed")
    assert Plan.objects.get().status == PlanStatus.CLOSED
