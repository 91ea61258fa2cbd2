"""Finding 12 (issue 15): with the database down, a Vietnamese 503 from the app, JSON from the APIs, a
Vietnamese page from nginx while gunicorn restarts, and the citizen's text kept in the browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it does when PostgreSQL is stopped."""
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


@pytest.mark.django_db
class TestDatabaseDown:
    def test_a_page_answers_a_vietnamese_503(self, database_down):
        response = Client(raise_request_exception=False).get("/feedback/")
        assert response.status_code == 503 and int(response["Retry-After"]) > 0
        page = response.content.decode()
        assert "Hệ thống tạm thời gián đoạn" in page and "Traceback" not in page

    def test_a_signed_in_page_answers_503_too(self, client, personas, database_down):
        client.raise_request_exception = False
        client.cookies["sessionid"] = "x" * 32
        assert client.get("/plans/").status_code == 503

    def test_the_json_api_answers_json(self, database_down):
        response = Client(raise_request_exception=False).get("/api/v1/feedback")
        assert response.status_code == 503 and response["Content-Type"].startswith("application/json")
        assert "cơ sở dữ liệu" in response.json()["detail"]

    def test_open311_answers_its_own_error_list(self, database_down):
        response = Client(raise_request_exception=False).get("/open311/v2/requests.json")
        assert response.status_code == 503
        assert response.json()[0]["code"] == 503

    def test_another_fault_in_the_api_is_a_json_500(self, monkeypatch):
        from cchc.feedback import api

        def broken(*args, **kwargs):
            raise RuntimeError("bug")

        monkeypatch.setattr(api, "find_by_code", broken)
        response = Client(raise_request_exception=False).get("/api/v1/feedback/PAKN-AAAAA-AAAAA")
        assert response.status_code == 500 and response.json()["status"] == 500


class TestNginx:
    def test_nginx_shows_a_vietnamese_page_while_the_app_restarts(self):
        conf = (ROOT / "deploy/nginx/cchc.conf").read_text(encoding="utf-8")
        assert "error_page 502 503 504 /cchc-errors/503.html;" in conf
        page = (ROOT / "deploy/nginx/errors/503.html").read_text(encoding="utf-8")
        assert 'lang="vi"' in page and "Hệ thống tạm thời gián đoạn" in page


@pytest.mark.django_db
class TestTheFormKeepsTheText:
    def test_the_form_and_the_confirmation_carry_the_draft_markers(self, client, personas):
        page = client.get("/feedback/new/").content.decode()
        assert 'data-keep-draft="feedback-submit"' in page and "cchc/form-draft.js" in page
        script = (ROOT / "cchc/lib/static/cchc/form-draft.js").read_text(encoding="utf-8")
        assert "sessionStorage" in script and "captcha_answer" in script
