import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.execution.models import Evidence, Result, ResultKind
from cchc.lib.uploads import MAX_UPLOAD_BYTES
from cchc.testing import PDF_BYTES, PNG_BYTES, docx_bytes, make_result, obligation_of

pytestmark = pytest.mark.django_db
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200


@pytest.fixture
def result(personas, demo_plan):
    return make_result(
        obligation_of(demo_plan, personas.units.commune_a, "1"),
        title="Hội nghị CCHC xã A",
        kind=ResultKind.CONFERENCE,
        occurred_on=dt.date(2024, 3, 8),
        quantity=Decimal(1),
    )


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _add(client, result, *files, links=""):
    return client.post(reverse("execution:evidence_add", args=[result.pk]), {"files": list(files), "links": links})


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b"\0" * (60 * 1024 * 1024) + b"</w:document>")
    return out.getvalue()


class TestUploadChecks:
    @pytest.mark.parametrize(
        "name,content,message",
        [
            ("anh.jpg.php", b"<?php system($_GET['c']); ?>", "không thuộc loại được nhận"),
            ("bao-cao.pdf", EXE_BYTES, "không thuộc loại được nhận"),  # a Windows program renamed .pdf
            ("trang.html", b"<html><script>alert(1)</script></html>", "không thuộc loại được nhận"),
            ("rong.pdf", b"", "rỗng"),
            ("bom.docx", None, "bom nén"),
        ],
    )
    def test_bad_files_are_refused_with_a_reason_and_nothing_is_stored(
        self, client, personas, result, name, content, message
    ):
        client.force_login(personas.officer_a)
        response = _add(client, result, SimpleUploadedFile(name, _zip_bomb() if content is None else content))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert result.evidence.count() == 0
        assert _media_files() == []

    def test_an_oversized_file_is_refused(self, client, personas, result):
        client.force_login(personas.officer_a)
        big = SimpleUploadedFile("video.pdf", b"%PDF-1.4\n" + b"0" * MAX_UPLOAD_BYTES)
        response = _add(client, result, big)
        assert response.status_code == 400
        assert "lớn hơn 20 MB" in response.content.decode()
        assert result.evidence.count() == 0 and _media_files() == []

    def test_a_pdf_named_like_a_program_is_kept_as_a_pdf(self, client, personas, result):
        client.force_login(personas.officer_a)
        assert _add(client, result, SimpleUploadedFile("bao-cao.exe", PDF_BYTES)).status_code == 302
        evidence = result.evidence.get()
        assert evidence.original_name == "bao-cao.pdf"
        assert evidence.content_type == "application/pdf" and evidence.file.name.endswith(".pdf")

    def test_a_real_image_named_jpg_php_is_stored_and_served_as_an_image(self, client, personas, result):
        # A clean JPEG: one with PHP inside is a polyglot and refused (cchc/lib/tests/test_uploads.py).
        jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) + b"\xff\xd9"
        client.force_login(personas.officer_a)
        assert _add(client, result, SimpleUploadedFile("anh.jpg.php", jpeg)).status_code == 302
        evidence = result.evidence.get()
        assert evidence.original_name == "anh.jpg" and evidence.file.name.endswith(".jpg")
        response = client.get(reverse("execution:evidence_download", args=[evidence.pk]))
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("attachment")

    def test_a_path_traversal_name_is_stored_under_a_random_name_inside_media_root(self, client, personas, result):
        client.force_login(personas.officer_a)
        upload = SimpleUploadedFile("../../../../etc/cron.d/..\\..\\anh.png", PNG_BYTES)
        assert _add(client, result, upload).status_code == 302
        evidence = result.evidence.get()
        assert evidence.original_name == "anh.png"
        stored = Path(evidence.file.path).resolve()
        media = Path(settings.MEDIA_ROOT).resolve()
        assert stored.is_relative_to(media / "evidence" / str(result.unit_id))
        assert len(stored.stem) == 32 and stored.suffix == ".png"
        assert _media_files() == [stored]

    def test_word_excel_and_several_files_at_once_are_accepted_with_their_hash(self, client, personas, result):
        client.force_login(personas.officer_a)
        data = docx_bytes()
        response = _add(
            client,
            result,
            SimpleUploadedFile("bien-ban.docx", data),
            SimpleUploadedFile("anh.png", PNG_BYTES),
            links="https://baogialai.com.vn/cchc-1\n",
        )
        assert response.status_code == 302
        word = result.evidence.get(original_name="bien-ban.docx")
        assert word.sha256 == hashlib.sha256(data).hexdigest() and word.size == len(data)
        assert result.evidence.count() == 3

    def test_links_must_be_web_addresses(self, client, personas, result):
        client.force_login(personas.officer_a)
        response = _add(client, result, links="javascript:alert(1)\nftp://x.org/a")
        assert response.status_code == 400
        assert "cần bắt đầu bằng http:// hoặc https://" in response.content.decode()
        assert result.evidence.count() == 0

    def test_a_rejected_file_in_the_result_form_saves_nothing(self, client, personas, result, demo_plan):
        client.force_login(personas.officer_a)
        ob = obligation_of(demo_plan, personas.units.commune_a, "1")
        response = client.post(
            reverse("execution:result_create"),
            {
                "obligation": ob.pk,
                "kind": "other",
                "title": "Có tệp xấu",
                "occurred_on": "2024-05-05",
                "quantity": "1",
                "files": [SimpleUploadedFile("anh.png", PNG_BYTES), SimpleUploadedFile("x.jpg.php", b"<?php ?>")],
            },
        )
        assert response.status_code == 200
        assert "x.jpg.php" in response.content.decode()
        assert not Result.objects.filter(title="Có tệp xấu").exists() and _media_files() == []


class TestDownload:
    def test_it_is_an_attachment_with_nosniff_and_the_stored_bytes(self, client, personas, result):
        client.force_login(personas.officer_a)
        _add(client, result, SimpleUploadedFile("Biên bản hội nghị.pdf", PDF_BYTES))
        evidence = result.evidence.get()
        for who in (personas.officer_a, personas.head_a, personas.coordinator, personas.observer):
            client.force_login(who)
            response = client.get(reverse("execution:evidence_download", args=[evidence.pk]))
            assert response.status_code == 200
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"].startswith("attachment;")
            assert "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n" in response["Content-Disposition"]
            assert "no-store" in response["Cache-Control"]
            assert b"".join(response.streaming_content) == PDF_BYTES

    def test_media_files_are_not_served_by_url(self, client, personas, result):
        client.force_login(personas.officer_a)
        _add(client, result, SimpleUploadedFile("a.pdf", PDF_BYTES))
        name = result.evidence.get().file.name
        assert client.get(f"/media/{name}").status_code == 404
        assert client.get(f"/{name}").status_code == 404

    def test_a_link_has_nothing_to_download(self, client, personas, result):
        evidence = Evidence.objects.create(result=result, link="https://example.org/a")
        client.force_login(personas.officer_a)
        assert client.get(reverse("execution:evidence_download", args=[evidence.pk])).status_code == 404

    def test_a_missing_file_is_a_404_not_a_crash(self, client, personas, result):
        client.force_login(personas.officer_a)
        _add(client, result, SimpleUploadedFile("a.pdf", PDF_BYTES))
        evidence = result.evidence.get()
        Path(evidence.file.path).unlink()
        assert client.get(reverse("execution:evidence_download", args=[evidence.pk])).status_code == 404

    def test_deleting_evidence_removes_the_file_after_commit(
        self, client, personas, result, django_capture_on_commit_callbacks
    ):
        client.force_login(personas.officer_a)
        _add(client, result, SimpleUploadedFile("a.pdf", PDF_BYTES))
        evidence = result.evidence.get()
        path = Path(evidence.file.path)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("execution:evidence_delete", args=[evidence.pk]))
        assert response.status_code == 302 and not path.exists()
        assert result.evidence.count() == 0


class TestStoredFilesAndFailures:
    def test_an_action_that_fails_after_storing_a_file_removes_it(self, personas, result, monkeypatch):
        from cchc.execution import actions
        from cchc.lib.uploads import check_upload

        def broken_record(*args, **kwargs):
            raise RuntimeError("audit database unavailable")

        monkeypatch.setattr(actions, "record", broken_record)
        with pytest.raises(RuntimeError):
            actions.do_add_evidence(
                result, actor=personas.officer_a, files=[check_upload(SimpleUploadedFile("a.pdf", PDF_BYTES))]
            )
        assert result.evidence.count() == 0 and _media_files() == []

    def test_prune_evidence_removes_only_old_unreferenced_files(self, client, personas, result):
        import os
        import time

        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage
        from django.core.management import call_command

        client.force_login(personas.officer_a)
        _add(client, result, SimpleUploadedFile("kept.pdf", PDF_BYTES))
        kept = Path(result.evidence.get().file.path)
        orphan = Path(
            default_storage.path(default_storage.save(f"evidence/{result.unit_id}/orphan.pdf", ContentFile(PDF_BYTES)))
        )
        fresh = Path(
            default_storage.path(default_storage.save(f"evidence/{result.unit_id}/fresh.pdf", ContentFile(PDF_BYTES)))
        )
        old = time.time() - 3 * 86400
        os.utime(orphan, (old, old))
        os.utime(kept, (old, old))
        out = io.StringIO()
        call_command("prune_evidence", "--dry-run", stdout=out)
        assert "orphan.pdf" in out.getvalue() and orphan.exists()
        call_command("prune_evidence", stdout=io.StringIO())
        assert not orphan.exists() and kept.exists() and fresh.exists()
