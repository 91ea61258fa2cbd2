"""The review screen of a scanned plan (each page's image beside what OCR read, unsure words marked) and
the blocking problems shown before the review: a duplicate import, an unreadable page (issue 19)."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from cchc.plans.actions import do_activate_plan, do_confirm_import, do_start_import, do_upload_plan_file
from cchc.plans.importer import ocr

from .test_import_views import TABLE_PLAN

COMMUNE = (Path(__file__).parent / "plans" / "chu-a-2026-wrapped.txt").read_text(encoding="utf-8")


def _image_pdf(pages: int) -> bytes:
    out = io.BytesIO()
    images = [Image.new("L", (300, 420), 255) for _ in range(pages)]
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


@pytest.fixture
def scan(personas, monkeypatch):
    """A three-page scan whose first page reads as the commune plan (two words unsure), whose second
    page is blank and whose third was left unread when the time ran out: Tesseract itself is replaced,
    the pipeline around it is the real one."""

    def read(data, page_count, progress=None, budget=None):
        lines = [[(w, w in {"Chư", "Rơ"}) for w in line.split()] for line in COMMUNE.splitlines()]
        return [ocr.OcrPage(1, lines, 91.5, 2.0), ocr.OcrPage(2, [], 0.0, 0.4), ocr.OcrPage(3, [], 0, 0, skipped=True)]

    monkeypatch.setattr(ocr, "missing_tools", lambda: [])
    monkeypatch.setattr(ocr, "read_scanned_pdf", read)
    return do_start_import(_image_pdf(3), "chu-a-scan.pdf", actor=personas.coordinator)


@pytest.mark.django_db
class TestScannedPlanReview:
    def test_it_keeps_each_page_read_with_its_unsure_words(self, scan):
        assert scan.file_format == "scan" and scan.document["issuer"] == "UBND xã Chư Á"
        first, second, third = scan.document["pages"]
        assert first["unsure"] == 2 and ["Chư", True] in first["lines"][2] and second["lines"] == []
        assert third["skipped"] and not second["skipped"]
        codes = [w["code"] for w in scan.document["warnings"][:4]]
        assert codes == ["pdf_layout", "ocr", "unreadable_page", "page_skipped"]

    def test_it_shows_each_page_beside_its_text_and_marks_unsure_words(self, client, personas, scan):
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:import_review", args=[scan.pk])).content.decode()
        assert f'src="{reverse("plans:import_page", args=[scan.pk, 1])}"' in page
        assert '<mark class="unsure" title="Máy nhận dạng chưa chắc từ này">Chư</mark>' in page
        assert "Đã nhận dạng 3/3 trang" in page

    def test_it_puts_an_unreadable_page_at_the_top_before_the_review(self, client, personas, scan):
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:import_review", args=[scan.pk])).content.decode()
        problem = page.index("Trang 2 không đọc được")
        assert problem < page.index('id="import-counts"') < page.index('id="pages-title"')
        assert page.index("Trang 3 chưa được đọc") < page.index('id="import-counts"')
        assert "Trang 2: Không nhận dạng được chữ nào" in page  # the warning list names the page

    @pytest.mark.skipif(ocr.shutil.which("pdftoppm") is None, reason="poppler is not installed")
    def test_it_serves_each_page_image_and_no_other(self, client, personas, scan):
        client.force_login(personas.coordinator)
        response = client.get(reverse("plans:import_page", args=[scan.pk, 1]))
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert b"".join(response).startswith(b"\x89PNG")
        assert client.get(reverse("plans:import_page", args=[scan.pk, 4])).status_code == 404


def _import_twice(personas, *, activate: bool):
    """The same file imported again after its plan was made (and, with ``activate``, put into effect)."""
    first = do_start_import(TABLE_PLAN.read_bytes(), TABLE_PLAN.name, actor=personas.coordinator)
    plan, _ = do_confirm_import(first, actor=personas.coordinator)
    if activate:
        do_activate_plan(plan, actor=personas.coordinator, expected_version=None, accept=["*"])
    return do_start_import(TABLE_PLAN.read_bytes(), "lai.md", actor=personas.coordinator)


@pytest.mark.django_db
class TestBlockingProblems:
    def test_a_duplicate_of_a_plan_being_carried_out_is_shown_first(self, client, personas):
        again = _import_twice(personas, activate=True)
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:import_review", args=[again.pk])).content.decode()
        assert 'id="import-blocking"' in page and "Trùng lặp" in page
        assert page.index("Trùng lặp") < page.index('id="import-counts"')
        # The way out is beside the problem, not 13,000 pixels below it.
        discard = page.index("data-discard-top")
        assert page.index("Trùng lặp") < discard < page.index('id="import-counts"')
        assert reverse("plans:import_discard", args=[again.pk]) in page[page.index('id="import-blocking"') : discard]
        assert "Xác nhận và tạo kế hoạch dự thảo" not in page

    def test_the_discard_button_at_the_top_discards_the_duplicate(self, client, personas):
        again = _import_twice(personas, activate=True)
        client.force_login(personas.coordinator)
        response = client.post(reverse("plans:import_discard", args=[again.pk]), {"version": again.version})
        assert response.status_code == 302
        again.refresh_from_db()
        assert again.status == "discarded"

    def test_a_duplicate_of_a_draft_offers_the_update_not_a_block(self, client, personas):
        again = _import_twice(personas, activate=False)
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:import_review", args=[again.pk])).content.decode()
        assert 'id="import-blocking"' not in page and "data-duplicate-draft" in page
        assert "Cập nhật kế hoạch dự thảo đã có" in page

    def test_a_clean_import_shows_no_blocking_box(self, client, personas):
        session = do_start_import(TABLE_PLAN.read_bytes(), TABLE_PLAN.name, actor=personas.coordinator)
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:import_review", args=[session.pk])).content.decode()
        assert 'id="import-blocking"' not in page and "scan-pages" not in page


@pytest.mark.django_db
def test_an_upload_reads_within_the_time_budget_and_the_command_line_reads_every_page(personas, monkeypatch, tmp_path):
    """A web request must end before gunicorn's timeout; ``cchc import_plan`` has no such limit and
    reads a long scan to its last page."""
    budgets = []

    def read(data, page_count, progress=None, budget=None):
        budgets.append(budget)
        lines = [[(w, False) for w in line.split()] for line in COMMUNE.splitlines()]
        return [ocr.OcrPage(1, lines, 91.5, 2.0)]

    monkeypatch.setattr(ocr, "missing_tools", lambda: [])
    monkeypatch.setattr(ocr, "read_scanned_pdf", read)
    do_upload_plan_file(_image_pdf(1), "chu-a-scan.pdf", actor=personas.coordinator)
    scan = tmp_path / "chu-a-scan.pdf"
    scan.write_bytes(_image_pdf(1))
    call_command("import_plan", str(scan), "--dry-run", "--json", stdout=io.StringIO())
    assert budgets == [ocr.TIME_BUDGET, None]
