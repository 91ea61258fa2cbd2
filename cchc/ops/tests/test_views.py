"""Health probes and the administrators' storage check."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.ops.backup import storage_files
from cchc.testing import PNG_BYTES

PNG = PNG_BYTES  # a real PNG: the upload checks walk its chunks (cchc.lib.uploads)


def test_healthz_answers_without_the_database(client):
    # No database fixture: pytest-django makes any query in this test an error.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_database_cache_and_storage(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}


@pytest.mark.django_db
def test_readyz_says_which_part_fails(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing", "storage": "ok"}


class TestStorageCheck:
    url = reverse("ops:storage_check")

    def test_it_sends_the_public_to_log_in(self, client, db):
        response = client.get(self.url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    @pytest.mark.parametrize("who", ["officer_a", "coordinator", "observer", "desk"])
    def test_it_refuses_everyone_but_administrators(self, client, personas, who):
        client.force_login(getattr(personas, who))
        assert client.get(self.url).status_code == 403
        assert client.post(self.url, {"file": SimpleUploadedFile("a.png", PNG)}).status_code == 403
        assert list(storage_files()) == []

    def test_it_stores_and_reads_back_through_the_storage(self, client, personas):
        client.force_login(personas.admin)
        response = client.post(self.url, {"file": SimpleUploadedFile("ảnh thử.png", PNG)})
        assert response.status_code == 302
        name = response["Location"].split("name=")[1].split("&")[0]
        assert default_storage.exists(f"ops-check/{name}")
        page = client.get(response["Location"])
        assert "Đã lưu tệp thử “ảnh thử.png”" in page.content.decode()
        download = client.get(reverse("ops:storage_check_file", args=[name]))
        assert b"".join(download.streaming_content) == PNG
        assert AuditEntry.objects.filter(action="ops.storage_check", actor=personas.admin).exists()
        client.force_login(personas.officer_a)
        assert client.get(reverse("ops:storage_check_file", args=[name])).status_code == 403
        client.force_login(personas.admin)
        assert client.post(reverse("ops:storage_check_file", args=[name])).status_code == 302
        assert not default_storage.exists(f"ops-check/{name}")

    def test_it_refuses_a_file_that_is_not_what_it_claims(self, client, personas):
        client.force_login(personas.admin)
        response = client.post(
            self.url, {"file": SimpleUploadedFile("virus.png", b"MZ\x90\x00 not a png")}, follow=True
        )
        assert "không thuộc loại được nhận" in response.content.decode()
        assert not default_storage.exists("ops-check")

    def test_it_serves_only_check_files(self, client, personas):
        client.force_login(personas.admin)
        assert client.get(reverse("ops:storage_check_file", args=["..%2Fsecret_key"])).status_code == 404
        assert client.get(reverse("ops:storage_check_file", args=["0" * 32 + ".png"])).status_code == 404
