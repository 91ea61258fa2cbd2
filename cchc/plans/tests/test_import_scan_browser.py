"""A coordinator uploads a scanned plan, in Chromium: the review shows each page's image beside its text."""

import pytest

from cchc.browser import browser_page, log_in, screenshot, wait_until
from cchc.plans.importer import convert, ocr
from cchc.testing import PASSWORD

from .documents import make_scan
from .test_importer_assignments import as_docx
from .test_importer_scans import COMMUNE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(convert.soffice() is None or bool(ocr.missing_tools()), reason="LibreOffice or OCR missing"),
]


def test_a_coordinator_reviews_a_scanned_plan_page_by_page(live_server, personas, tmp_path):
    scan = tmp_path / "ke-hoach-quet.pdf"
    scan.write_bytes(make_scan(as_docx(COMMUNE, font_size=9), tmp_path))
    with browser_page() as page:
        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.wait_for_url("**/home/")
        page.goto(f"{live_server.url}/plans/imports/")
        page.set_input_files("input[type=file]", str(scan))
        page.click("text=Tải lên và đọc văn bản")
        page.wait_for_url("**/plans/imports/*/", timeout=120000)
        assert "Đã nhận dạng 1/1 trang" in page.inner_text("[data-ocr-progress]")
        wait_until(page, "document.querySelector('.scan-page img').naturalWidth > 0")
        assert "Trương" not in page.inner_text(".scan-text")  # the text read is this plan's
        assert "UBND xã Chư Á" in page.locator("input[name=issuer]").input_value()
        page.locator("#pages-title").scroll_into_view_if_needed()
        screenshot(page, "import-scan-review")


def test_an_unreadable_page_is_the_first_thing_the_reviewer_sees(live_server, personas, monkeypatch, tmp_path):
    from .test_import_scan_views import COMMUNE as TEXT
    from .test_import_scan_views import _image_pdf

    def read(data, page_count, progress=None, budget=None):
        lines = [[(w, w == "Chư") for w in line.split()] for line in TEXT.splitlines()]
        return [ocr.OcrPage(1, lines, 88.0, 2.0), ocr.OcrPage(2, [], 0.0, 0.4), ocr.OcrPage(3, [], 0, 0, skipped=True)]

    monkeypatch.setattr(ocr, "read_scanned_pdf", read)
    scan = tmp_path / "ba-trang.pdf"
    scan.write_bytes(_image_pdf(3))
    with browser_page() as page:
        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.wait_for_url("**/home/")
        page.goto(f"{live_server.url}/plans/imports/")
        page.set_input_files("input[type=file]", str(scan))
        page.click("text=Tải lên và đọc văn bản")
        page.wait_for_url("**/plans/imports/*/", timeout=60000)
        box = page.locator("#import-blocking")
        assert box.is_visible() and box.locator("[data-unreadable-page]").count() == 2
        assert box.bounding_box()["y"] < page.locator("#import-counts").bounding_box()["y"]
        assert page.locator("mark.unsure").first.inner_text() == "Chư"
        page.set_viewport_size({"width": 1280, "height": 900})
        screenshot(page, "import-scan-blocking")
