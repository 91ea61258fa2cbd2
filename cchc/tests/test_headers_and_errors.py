"""Issue 9, property 5: headers, cookies, CSRF, no inline script, no stack trace with DEBUG off."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path, reverse

from cchc.testing import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "CCHC_PRODUCTION": "1",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://cchc:cchc@127.0.0.1:5432/cchc",  # pragma: allowlist secret
    "ALLOWED_HOSTS": "cchc.example.gov.vn",
    "DEBUG": "0",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _production(code: str, **extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCHC_", "DEBUG", "SECRET_KEY"))}
    env.update(PRODUCTION_ENV, **extra)
    env["CCHC_VAR_DIR"] = str(Path(tempfile.gettempdir()) / "cchc-prod-check")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, check=False)


@pytest.mark.django_db
class TestHeaders:
    def test_every_page_carries_the_security_headers(self, client):
        response = client.get(reverse("portal:home"))
        csp = response["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert script_src.strip() == "'self'"
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]

    def test_signed_in_pages_are_not_cached(self, client, personas):
        client.force_login(personas.officer_a)
        assert "no-store" in client.get(reverse("plans:list"))["Cache-Control"]

    def test_cookies_are_httponly_and_samesite(self, client, personas):
        client.get(reverse("accounts:login"))
        response = client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
        for name in ("sessionid", "csrftoken"):
            cookie = response.cookies.get(name) or client.cookies[name]
            assert cookie["httponly"] is True, name
            assert cookie["samesite"] == "Lax", name


class TestProductionSettings:
    def test_production_cookies_are_secure_and_hsts_is_on(self):
        result = _production(
            "import cchc.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
            " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_NAME, s.DEBUG)"
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["True", "True", "31536000", "True", "True", "__Host-cchc_session", "False"]

    def test_debug_is_off_when_nobody_asks_for_it(self, tmp_path):
        """Finding 13 (issue 15): the README's default mode (no CCHC_PRODUCTION) shows no traceback."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCHC_", "DEBUG", "DATABASE_URL"))}
        env["CCHC_VAR_DIR"] = str(tmp_path)
        code = "import cchc.settings as s; print(s.DEBUG)"
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.split() == ["False"]
        asked = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "DEBUG": "1"},
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert asked.stdout.split() == ["True"]

    def test_make_run_asks_for_debug_and_says_so(self):
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
        assert "DEBUG=$${DEBUG:-1}" in run and "DEBUG=1" in run

    def test_production_refuses_debug(self):
        result = _production("import cchc.settings", DEBUG="1")
        assert result.returncode != 0 and "DEBUG must be off" in result.stderr

    def test_check_deploy_passes_at_warning_level(self):
        result = _production(
            "from cchc.__main__ import main; import sys; sys.argv = ['cchc', 'check', '--deploy', "
            "'--fail-level', 'WARNING']; main()"
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout


class TestNoInlineScript:
    """The CSP forbids inline script; a template that uses it would break in the browser. Catch it here."""

    FORBIDDEN = [
        (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
        (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "on* event attribute"),
        (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
        (re.compile(r"\shx-on(?::|-|\s*=)", re.IGNORECASE), "hx-on attribute (inline script)"),
    ]

    def test_no_template_has_inline_script(self):
        problems = []
        for template in sorted((ROOT / "cchc").rglob("templates/**/*.html")):
            text = template.read_text(encoding="utf-8")
            for pattern, what in self.FORBIDDEN:
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{template.relative_to(ROOT)}:{line}: {what}")
        assert not problems, "\n".join(problems)


@pytest.mark.django_db
class TestCsrf:
    def test_a_post_without_the_token_is_refused(self, personas):
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas.officer_a)
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 403

    def test_a_post_with_the_token_passes(self, personas):
        client = Client(enforce_csrf_checks=True)
        page = client.get(reverse("accounts:login")).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response = client.post(
            reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302

    def test_every_post_form_in_a_template_has_the_token(self):
        problems = []
        for template in sorted((ROOT / "cchc").rglob("templates/**/*.html")):
            text = template.read_text(encoding="utf-8")
            for form in re.finditer(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", text, re.I | re.S):
                if "csrf_token" not in form.group(1):
                    problems.append(f"{template.relative_to(ROOT)}: a POST form without {{% csrf_token %}}")
        assert not problems, "\n".join(problems)


def _boom(request):
    raise RuntimeError("secret internals: SECRET_KEY=abc")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
class TestErrorPages:
    def test_a_crash_shows_no_stack_trace_with_debug_off(self, settings):
        settings.DEBUG = False
        settings.ROOT_URLCONF = __name__
        client = Client(raise_request_exception=False)
        response = client.get("/boom/")
        body = response.content.decode()
        assert response.status_code == 500
        assert "Hệ thống đang gặp lỗi" in body
        assert "Traceback" not in body and "secret internals" not in body and "RuntimeError" not in body

    def test_not_found_and_forbidden_pages_are_in_vietnamese(self, client, personas, settings):
        settings.DEBUG = False
        assert "Không tìm thấy trang" in client.get("/khong-co-trang-nay/").content.decode()
        client.force_login(personas.officer_a)
        response = client.get(reverse("audit:list"))
        assert response.status_code == 403 and "Không có quyền truy cập" in response.content.decode()
