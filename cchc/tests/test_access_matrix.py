"""Every URL of the project × every role, against agency A's objects (issue 9, property 2).

The rows live in ``cchc/<app>/tests/access.py`` (format: cchc/tests/matrix.py, docs/security.md). A view
added without a row fails ``test_every_url_pattern_has_a_row``; a view whose permission check is missing
or wrong fails ``test_it_answers_each_role_as_the_table_says``, as does a refusal audited other than once (the
refusal middleware writes the one row: a view that also records it writes two).
"""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.audit.middleware import REFUSED
from cchc.audit.models import AuditEntry
from cchc.tests import access as admin_table
from cchc.tests.matrix import LOGIN, REDIRECT, ROLES, Access
from cchc.tests.urlwalk import walk

# Tables a GET may write to: the audit log (refusals), the session (idle clock, MFA set-up secret),
# django-axes' own bookkeeping and the procedure search's daily query counters (text and day only, see
# cchc/procedures/querylog.py): logs and counters, never state a person sees or edits. Anything else written
# during a GET is a GET that changes state.
GET_MAY_WRITE = re.compile(r"^(audit_auditentry|django_session|axes_\w+|procedures_searchqueryday)$")
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _access_modules():
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cchc."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.access"))
        except ModuleNotFoundError as err:
            if err.name != f"{config.name}.tests.access" and err.name != f"{config.name}.tests":
                raise
    return modules


def collect_rows() -> dict[str, Access]:
    rows: dict[str, Access] = {}
    for module in [*_access_modules(), admin_table]:
        for key, row in getattr(module, "ACCESS", {}).items():
            if key in rows:
                raise AssertionError(f"{key} has two rows (one in {module.__name__})")
            rows[key] = row
    return rows


PATTERNS = walk()
ROWS = collect_rows()


def row_for(pattern) -> Access | None:
    return ROWS.get(pattern.key) or admin_table.admin_access(pattern)


def build_world() -> SimpleNamespace:
    from cchc.testing import make_personas, make_small_plan

    personas = make_personas()
    w = SimpleNamespace(personas=personas, units=personas.units, plan=make_small_plan(personas), private_a=[])
    for module in [*_access_modules(), admin_table]:
        hook = getattr(module, "world", None)
        if hook is not None:
            hook(w)
    return w


def pages_of(role: str, w) -> list[str]:
    """The URLs of the pages ``role`` may open (GET 200 in the matrix), the Django admin excluded."""
    out = []
    for pattern in PATTERNS:
        row = row_for(pattern)
        if row is None or pattern.route.startswith("admin/") or (pattern.name or "").startswith("admin:"):
            continue
        expected = row.get[role]
        expected = expected(w) if callable(expected) else expected
        if expected == 200:
            out.append(_url(pattern, row, w))
    return out


def test_every_url_pattern_has_a_row():
    missing = [p.key for p in PATTERNS if row_for(p) is None]
    assert not missing, (
        "URL patterns without an access row (add them to <app>/tests/access.py, see docs/security.md):\n  "
        + "\n  ".join(missing)
    )


def test_every_row_has_a_url_pattern():
    keys = {p.key for p in PATTERNS}
    stale = sorted(set(ROWS) - keys)
    assert not stale, f"access rows for URL patterns that no longer exist: {stale}"


def test_the_matrix_covers_every_role():
    assert ROLES == ("anonymous", "officer_a", "officer_b", "head_a", "coordinator", "observer", "desk", "admin")


def _url(pattern, row: Access, w) -> str:
    kwargs = row.resolve_kwargs(w)
    if pattern.name:
        url = reverse(pattern.name, kwargs=kwargs)
    else:
        # Unnamed patterns (admin redirects, the admin catch-all): fill the route by hand.
        url = "/" + re.sub(
            r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)\$?", lambda m: str(kwargs[m.group(1) or m.group(2)]), pattern.route
        ).rstrip("$")
    return url + (f"?{row.query}" if row.query else "")


def _check(response, expected, role: str, method: str, url: str) -> str | None:
    status = response.status_code
    where = f"{method} {url} as {role}"
    if expected == LOGIN:
        location = response.get("Location", "")
        ok = status == 302 and (location.startswith(reverse("accounts:login")) or location.startswith("/admin/login/"))
        return None if ok else f"{where}: expected a redirect to log in, got {status} {location}"
    if expected == REDIRECT:
        return None if 300 <= status < 400 else f"{where}: expected a redirect, got {status}"
    return None if status == expected else f"{where}: expected {expected}, got {status}"


def _refusal_rows() -> int:
    return AuditEntry.objects.filter(action__in=REFUSED.values()).count()


def _check_audited(response, before: int, role: str, method: str, url: str) -> str | None:
    """A refusal (403, or 404 from a view) writes exactly one audit row; any other answer writes none."""
    expected = 1 if response.status_code in REFUSED else 0
    written = _refusal_rows() - before
    if written == expected:
        return None
    return f"{method} {url} as {role}: {response.status_code} wrote {written} refusal audit rows, not {expected}"


def _client_for(role: str, w) -> Client:
    """A client signed in as ``role`` with the session the module's world opened for it (rolled back to its
    first state after every test, like the rest of the world): signing in 5,900 times cost more than the
    requests it made."""
    client = Client(enforce_csrf_checks=False, raise_request_exception=False)
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[role]
    return client


def signed_in_client(role: str, w, **options) -> Client:
    """A test client signed in as ``role`` of the world (anonymous: not signed in); the walks over every page use it."""
    client = Client(**options)
    if role != "anonymous":
        client.force_login(getattr(w.personas, role))
    return client


def _open_sessions(w) -> dict[str, str]:
    return {
        role: signed_in_client(role, w).cookies[settings.SESSION_COOKIE_NAME].value
        for role in ROLES
        if role != "anonymous"
    }


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module's tests (each role's POST is further rolled back within a test)."""
    from cchc.testing import built_once

    media_root = tmp_path_factory.mktemp("matrix-media")
    with built_once(django_db_blocker, media_root):
        w = build_world()
        w.media_root = media_root
        w.sessions = _open_sessions(w)
        yield w


@pytest.fixture
def world(shared_world, settings):
    settings.MEDIA_ROOT = shared_world.media_root  # where the world's evidence and attachments were saved
    return shared_world


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.key for p in PATTERNS])
def test_it_answers_each_role_as_the_table_says(pattern, world):
    row = row_for(pattern)
    assert row is not None, f"{pattern.key} has no access row (see docs/security.md)"
    w = world
    url = _url(pattern, row, w)
    problems = []
    for role in ROLES:
        expected = row.get[role]
        expected = expected(w) if callable(expected) else expected
        client = _client_for(role, w)
        before = _refusal_rows()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        problems.append(_check(response, expected, role, "GET", url))
        problems.append(_check_audited(response, before, role, "GET", url))
        writes = {m.group(1) for q in queries.captured_queries if (m := _WRITE.match(q["sql"]))}
        bad = sorted(t for t in writes if not GET_MAY_WRITE.match(t))
        if bad:
            problems.append(f"GET {url} as {role} wrote to {bad}: a GET must not change anything")
        if role == "officer_b" and response.status_code == 200 and not getattr(response, "streaming", False):
            body = response.content.decode("utf-8", "replace")
            leaked = [text for text in w.private_a if text in body]
            if leaked:
                problems.append(f"GET {url} as officer_b shows agency A's data: {leaked}")
        if row.post is not None:
            expected = row.post[role]
            expected = expected(w) if callable(expected) else expected
            # Each role's POST is rolled back, so that one role deleting the object does not change the
            # next role's answer.
            with transaction.atomic():
                before = _refusal_rows()
                response = client.post(url, {})
                problems.append(_check_audited(response, before, role, "POST", url))
                transaction.set_rollback(True)
            problems.append(_check(response, expected, role, "POST", url))
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)
