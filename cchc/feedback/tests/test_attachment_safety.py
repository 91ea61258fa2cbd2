"""Finding 2 (issue 15): an attachment is stored and served under a name cchc chooses from its content."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.feedback.models import Feedback
from cchc.feedback.tests.factory import make_assigned, public_post_data
from cchc.lib.tests.test_uploads import pdf
from cchc.lib.uploads import PDF, CheckedUpload, UploadRejected, check_upload

pytestmark = pytest.mark.django_db

SUBMIT = reverse("feedback:submit")


class TestAttachmentNames:
    @pytest.mark.parametrize(
        ("sent", "stored"),
        [("thu-moi.html", "thu-moi.pdf"), ("cong-van.hta", "cong-van.pdf"), ("scan.pdf.exe", "scan.pdf")],
    )
    def test_it_stores_the_name_with_the_extension_of_the_detected_type(self, client, personas, sent, stored):
        html = client.get(SUBMIT).content.decode()
        data = public_post_data(html)
        data["attachments"] = [SimpleUploadedFile(sent, pdf(), content_type="text/html")]
        assert client.post(SUBMIT, data).status_code == 302
        attachment = Feedback.objects.get().attachments.get()
        assert attachment.original_name == stored and attachment.file.name.endswith(".pdf")

    def test_it_serves_an_attachment_like_evidence(self, client, personas):
        # A row stored before the fix still carries the sender's name: it is renamed when served.
        data = pdf()
        upload = CheckedUpload(kind=PDF, data=data, original_name="thu-moi.html", stored_name="x.pdf", size=len(data))
        feedback = make_assigned(personas, unit=personas.units.commune_a, files=[upload])
        feedback.attachments.update(original_name="thu-moi.html")
        client.force_login(personas.officer_a)
        response = client.get(reverse("feedback:attachment", args=[feedback.code, feedback.attachments.get().pk]))
        assert response.status_code == 200
        assert 'filename="thu-moi.pdf"' in response["Content-Disposition"]
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]


class TestMarkupFilter:
    @pytest.mark.parametrize(
        "payload",
        [
            b"<img src=x onerror=alert(1)>",
            b"<IMG SRC=x ONERROR=alert(1)>",
            b"<div/onmouseover='alert(1)'>",
            b'<a href="data:text/html,<b>x</b>">',
            b"<svg/onload=alert(1)>",
            b"<math><mtext></mtext></math>",
            b"<style>@import 'x'</style>",
            b"<meta http-equiv=refresh content=0>",
        ],
    )
    def test_it_refuses_a_pdf_carrying_markup_a_browser_would_run(self, payload):
        data = b"%PDF-1.4\n" + payload + b"\n%%EOF\n"
        with pytest.raises(UploadRejected):
            check_upload(SimpleUploadedFile("thu-moi.pdf", data), allowed=(PDF,))

    def test_it_still_accepts_an_ordinary_pdf(self):
        assert check_upload(SimpleUploadedFile("don.pdf", pdf()), allowed=(PDF,)).kind == PDF


class TestNoOrphanFiles:
    """Finding 11 (issue 15): a submission that fails after its files were written leaves none behind."""

    def test_a_failed_submission_removes_its_files(self, personas, monkeypatch):
        from django.core.files.storage import default_storage

        from cchc.feedback import actions
        from cchc.feedback.tests.factory import make_feedback

        data = pdf()
        upload = CheckedUpload(kind=PDF, data=data, original_name="don.pdf", stored_name="orphan-probe.pdf", size=1)

        def database_gone(*args, **kwargs):
            raise RuntimeError("connection lost")

        monkeypatch.setattr(actions, "record", database_gone)
        with pytest.raises(RuntimeError):
            make_feedback(files=[upload])
        assert not Feedback.objects.exists()
        from django.utils import timezone

        assert not default_storage.exists(f"feedback/{timezone.now():%Y/%m}/orphan-probe.pdf")
