"""Production settings, checked in a fresh process as an operator would start it."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.lib.jsonlog import JsonFormatter

ROOT = Path(__file__).resolve().parents[3]


def run_cchc(tmp_path, *args, **env):
    secret = tmp_path / "secret"
    secret.write_text("x" * 60 + "-production-secret-from-a-file")
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CCHC_", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    base.update(
        {
            "CCHC_PRODUCTION": "1",
            "SECRET_KEY_FILE": str(secret),
            "ALLOWED_HOSTS": "cchc.gialai.gov.vn",
            "DATABASE_URL": "postgres://cchc:secret@127.0.0.1:5432/cchc",  # pragma: allowlist secret
            "CCHC_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "cchc.settings",
        }
    )
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "cchc", *args],
        env=base,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    # Production runs several app processes sharing Redis (docs/deploy.md); without it the feedback
    # rate-limit check warns, as the next test shows.
    result = run_cchc(tmp_path, "check", "--deploy", "--fail-level", "WARNING", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_a_shared_cache(tmp_path):
    result = run_cchc(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0 and "cchc.W001" in result.stdout + result.stderr


SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps({'storage': s.STORAGES['default'], "
    "'session': s.SESSION_ENGINE, 'cache': s.CACHES['default']['BACKEND'], "
    "'log': s.LOGGING['handlers']['console']['formatter'], 'debug': s.DEBUG}))"
)


def test_production_uses_shared_stores_when_configured(tmp_path):
    result = run_cchc(
        tmp_path,
        "shell",
        "-c",
        SHOW,
        REDIS_URL="redis://127.0.0.1:6379/3",
        CCHC_S3_BUCKET="cchc-minh-chung",
        CCHC_S3_ENDPOINT_URL="https://s3.gialai.gov.vn",
        CCHC_S3_ACCESS_KEY="AK",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert shown["storage"]["OPTIONS"]["bucket_name"] == "cchc-minh-chung"
    assert shown["storage"]["OPTIONS"]["default_acl"] is None
    assert shown["session"] == "django.contrib.sessions.backends.cached_db"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert (shown["log"], shown["debug"]) == ("json", False)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY_FILE": "", "SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DATABASE_URL": "sqlite:///x.sqlite3"}, "PostgreSQL"),
        ({"SECRET_KEY_FILE": "/khong/co/tep"}, "cannot be read"),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(tmp_path, env, message):
    result = run_cchc(tmp_path, "check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_log_lines_are_json_with_the_request(rf, personas):
    from cchc.lib import request_context

    request = rf.get("/plans/1/")
    request.user = personas.admin
    token = request_context._request.set(request)
    try:
        record = logging.LogRecord("cchc.plans", logging.ERROR, __file__, 1, "hỏng %s", ("kế hoạch",), None)
        record.plan = 1
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_context._request.reset(token)
    assert line["msg"] == "hỏng kế hoạch" and line["level"] == "ERROR" and line["logger"] == "cchc.plans"
    assert (line["method"], line["path"], line["user"], line["plan"]) == ("GET", "/plans/1/", "admin", 1)
    assert line["ts"].endswith("+00:00")
