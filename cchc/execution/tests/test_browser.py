import pytest

from cchc.browser import browser_page, log_in, screenshot
from cchc.execution.models import Result
from cchc.testing import PASSWORD, PNG_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_a_result_with_evidence_and_sees_it_listed(live_server, personas, demo_plan, tmp_path):
    photo = tmp_path / "pano-cchc.png"
    photo.write_bytes(PNG_BYTES)
    with browser_page(viewport=(390, 844)) as page:  # a phone: officers record from the field
        log_in(page, live_server.url, "officer-a", PASSWORD)
        page.wait_for_url("**/home/")
        page.click("text=Danh mục")  # on a phone the menu folds behind its button
        page.click("nav >> text=Kết quả")
        page.wait_for_url("**/results/")
        page.click("main >> text=Ghi nhận kết quả")
        page.wait_for_url("**/results/new/")
        page.select_option("#id_obligation", label="2024 · 1. Công khai TTHC")
        assert page.locator("#id_deliverable").is_hidden()  # no periods owed under this activity
        page.select_option("#id_kind", "poster")
        page.fill("#id_occurred_on", "05/03/2024")
        page.fill("#id_title", "Lắp đặt pa nô tuyên truyền CCHC tại trụ sở UBND xã")
        page.fill("#id_quantity", "2")
        page.fill("#id_quantity_unit", "pa nô")
        page.check("text=Tầm quan trọng của CCHC")
        page.check("text=Người dân")
        page.check("text=Đồng bào dân tộc thiểu số")
        page.fill("#id_reach", "350")
        page.fill("#id_cost", "4.500.000")
        page.fill("#id_funding_source", "Ngân sách xã năm 2024")
        page.set_input_files("#id_files", str(photo))
        screenshot(page, "execution-result-form-mobile")
        page.click("button:has-text('Ghi nhận')")
        page.wait_for_url("**/results/*/")
        assert "Đã ghi nhận kết quả" in page.content()
        assert page.locator("#evidence a", has_text="pano-cchc.png").count() == 1
        assert "4.500.000 đồng" in page.inner_text("main")
        screenshot(page, "execution-result-detail-mobile")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.click("nav >> text=Kết quả")
        row = page.locator("#results tbody tr").first
        assert "Lắp đặt pa nô tuyên truyền CCHC" in row.inner_text()
        assert "05/03/2024" in row.inner_text()
        page.select_option("select[name=period]", "2024-Q2")
        page.wait_for_url("**period=2024-Q2**")
        page.wait_for_selector("#results >> text=Chưa có kết quả nào phù hợp.")
        page.select_option("select[name=period]", "2024-Q1")
        page.wait_for_selector("#results >> text=Lắp đặt pa nô tuyên truyền CCHC")
        screenshot(page, "execution-result-list")
    result = Result.objects.get()
    assert result.evidence.get().original_name == "pano-cchc.png"
    assert result.audiences == ["citizens", "ethnic_minorities"] and result.reach == 350


def test_an_agency_derives_its_plan_follows_a_province_change_and_its_head_approves(live_server, personas, demo_plan):
    with browser_page() as page:
        log_in(page, live_server.url, "officer-a", PASSWORD)
        page.wait_for_url("**/home/")
        page.click("nav summary:has-text('Thêm')")  # a rarer link: under the header's "Thêm" menu
        page.click("nav >> text=Kế hoạch đơn vị")
        page.click("text=Lập kế hoạch của đơn vị từ kế hoạch tỉnh")
        page.wait_for_url("**/unit-plans/*/")
        page.click("text=Thêm hoạt động riêng")
        page.select_option("#id_activity", label="1. Công khai TTHC")
        page.fill("#id_title", "Niêm yết TTHC tại nhà văn hóa các thôn")
        page.fill("#id_period_start", "01/03/2024")
        page.fill("#id_period_end", "15/01/2025")  # outside the province's window
        page.click("button:has-text('Lưu')")
        assert "Thời gian phải nằm trong khoảng của kế hoạch tỉnh" in page.inner_text("main")
        screenshot(page, "execution-subplan-window-error")
        page.fill("#id_period_end", "30/09/2024")
        page.click("button:has-text('Lưu')")
        page.wait_for_url("**/unit-plans/*/")
        # The province narrows the activity meanwhile.
        activity = demo_plan.activities.get(number="1")
        activity.period_end = __import__("datetime").date(2024, 6, 30)
        activity.title = "Công khai TTHC tại Bộ phận một cửa"
        activity.save()
        page.reload()
        assert "Tỉnh đã thay đổi hoạt động này" in page.inner_text("main")
        screenshot(page, "execution-subplan-province-change")
        page.click("button:has-text('Chấp nhận thay đổi')")
        page.wait_for_selector("text=Đã chấp nhận thay đổi của tỉnh.")
        # The agency's own line under that activity now runs past the province's window: fix it first.
        page.click("button:has-text('Trình thủ trưởng phê duyệt')")
        page.wait_for_selector("text=nằm ngoài khung mới của kế hoạch tỉnh")
        page.locator("tr", has_text="Niêm yết TTHC").get_by_role("link", name="Sửa").click()
        page.fill("#id_period_end", "30/06/2024")
        page.click("button:has-text('Lưu')")
        page.wait_for_url("**/unit-plans/*/")
        page.click("button:has-text('Trình thủ trưởng phê duyệt')")
        page.wait_for_selector("#subplan-status >> text=Chờ thủ trưởng phê duyệt")
        page.click("text=Đăng xuất")
        log_in(page, live_server.url, "head-a", PASSWORD)
        page.wait_for_url("**/home/")
        page.goto(f"{live_server.url}/unit-plans/")
        page.click("text=Kế hoạch tuyên truyền công tác cải cách hành chính năm 2024")
        page.click("button:has-text('Phê duyệt')")
        page.wait_for_selector("#subplan-status >> text=Đã phê duyệt")
        screenshot(page, "execution-subplan-approved")


def test_an_officer_imports_results_and_reads_the_errors(live_server, personas, demo_plan, tmp_path):
    import io

    from openpyxl import load_workbook

    with browser_page() as page:
        log_in(page, live_server.url, "officer-a", PASSWORD)
        page.wait_for_url("**/home/")
        page.goto(f"{live_server.url}/results/import/")
        with page.expect_download() as download:
            page.click("text=Tệp mẫu kế hoạch năm 2024")
        template = tmp_path / "mau.xlsx"
        download.value.save_as(template)
        wb = load_workbook(template)
        ws = wb["Kết quả"]
        rows = [
            ["1", "Tin, bài", "Tin công khai TTHC tháng 3", "12/03/2024", 1, "tin"],
            ["1", "Tin, bài", "Tin sai ngày", "2024/13/45", "một", "tin"],
            ["7", "Múa", "Hoạt động không có", "12/03/2024"],
        ]
        for r, values in enumerate(rows, 2):  # typed from row 2, as an officer does in Excel
            for c, value in enumerate(values, 1):
                ws.cell(row=r, column=c, value=value)
        out = io.BytesIO()
        wb.save(out)
        filled = tmp_path / "da-dien.xlsx"
        filled.write_bytes(out.getvalue())
        page.set_input_files("#id_file", str(filled))
        page.click("button:has-text('Kiểm tra và nhập')")
        page.wait_for_selector("#import-errors")
        errors = page.locator("table.import-errors tbody tr")
        assert errors.count() == 4
        assert errors.first.inner_text().split("\t")[:2] == ["3", "D"]
        screenshot(page, "execution-import-errors")
        assert Result.objects.count() == 0
