"""Test data: ``make_<noun>(**overrides)`` functions and the personas every view is tested against."""

from __future__ import annotations

import datetime as dt
import itertools
from contextlib import contextmanager
from types import SimpleNamespace

from cchc.accounts.models import Role, User
from cchc.orgs.actions import do_ensure_groups
from cchc.orgs.models import Unit, UnitKind
from cchc.plans.actions import do_create_plan
from cchc.plans.models import PlanStatus

_seq = itertools.count(1)
PASSWORD = "test-password-123"  # noqa: S105 - test accounts only


def fast_settings(settings, media_root) -> dict:
    """The settings every test runs under (conftest.py's ``_fast_settings``, and data built once per module)."""
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        # On, as in production with Redis: every test that changes data and reads a figure back checks that the
        # change reached the figure (cchc.lib.figcache).
        "CCHC_FIGURE_CACHE": True,
        # Off: a test's transaction never commits, so a change would never reach the user's cached entry. The
        # cache's own tests (cchc/accounts/tests/test_authcache.py) turn it on and commit.
        "CCHC_AUTH_CACHE": False,
        "AXES_ENABLED": False,
        # Like AXES_ENABLED: tests that use force_login would otherwise meet the second-factor step first.
        # The MFA tests (cchc/accounts/tests/test_mfa.py) turn it back on.
        "MFA_ENFORCED": False,
        "MEDIA_ROOT": media_root,
        # WhiteNoise in development mode: a static file is looked up when it is asked for. Otherwise every
        # test client (one per test, two per role and URL in the access matrix) lists every static file
        # through the finders when it loads the middleware: about 30 ms each, over a minute of the suite.
        "WHITENOISE_AUTOREFRESH": True,
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@contextmanager
def built_once(django_db_blocker, media_root):
    """For data that several tests only read, built once for them as Django's ``TestCase.setUpTestData``
    does: inside a transaction that each test's own transaction nests in (a savepoint, rolled back after
    the test), itself rolled back at the end. Every test meets the data as built, whatever the one before
    changed. Used by module- or class-scoped fixtures, under the tests' settings (files in ``media_root``)."""
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(**fast_settings(settings, media_root)):
        SHARED.close()  # the personas kept for the tests before: this data is built on an empty database
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


class SharedRows:
    """The personas (``personas``) and the small plan (``demo_plan``), built once for the tests in a row that ask
    for them instead of once per test: 886 tests ask for the personas (25 ms to build) and 313 for the plan
    (65 ms), on either database.

    Like ``built_once``, in a transaction that each test's own nests in (a savepoint, rolled back after the
    test), so every test meets the rows as built. Each test gets its own copy of the objects
    (``copy.deepcopy``, as Django's ``setUpTestData`` does), so that one test changing an object in memory
    leaves the next one's alone. The transaction is rolled back — and the rows rebuilt when a later test asks
    again — before a test that does not ask for them (it meets an empty database), before a transactional
    test (the live server's own connection could not see uncommitted rows, and the test empties the database),
    and before a module's ``built_once``.

    conftest.py tells it which test comes (``expect``) and calls ``prepare`` when Django's ``TestCase`` opens the
    test's transaction; a test nested in someone else's transaction (``built_once``) builds its own."""

    LEVELS = ("personas", "demo_plan")

    def __init__(self):
        self.wanted: tuple[str, ...] = ()
        self.open: list[tuple[str, object, object]] = []  # (level, its transaction, the objects), outermost first
        self.active = False

    def expect(self, fixturenames) -> None:
        """The next test asks for these fixtures (the plan needs the personas under it)."""
        deepest = max((self.LEVELS.index(name) + 1 for name in fixturenames if name in self.LEVELS), default=0)
        self.wanted = self.LEVELS[:deepest]
        self.active = False

    def _alone(self, connection) -> bool:
        """No transaction but ours is open on the connection."""
        return [block for _, block, _ in self.open] == connection.atomic_blocks

    def prepare(self) -> None:
        """Before the test's transaction opens: the levels it asks for open, the others rolled back."""
        from django.conf import settings
        from django.db import connection, transaction
        from django.test import override_settings

        if not self._alone(connection):
            return  # inside someone else's transaction (built_once): the test builds its own rows
        while [level for level, _, _ in self.open] != list(self.wanted[: len(self.open)]):
            self._close_top()
        self.active = True
        if len(self.open) == len(self.wanted):
            return  # the usual case: the rows are there (no settings to swap, no signal sent)
        with override_settings(**fast_settings(settings, settings.MEDIA_ROOT)):
            for level in self.wanted[len(self.open) :]:
                block = transaction.atomic()
                block._from_testcase = True  # as a TestCase's own: a durable block may open inside it
                block.__enter__()
                value = make_personas() if level == "personas" else make_small_plan(self.open[0][2])
                self.open.append((level, block, value))

    def get(self, level: str):
        """A copy of the level's objects for this test, or None when the test must build its own."""
        import copy

        found = [value for name, _, value in self.open if name == level] if self.active else []
        return copy.deepcopy(found[0]) if found else None

    def close(self) -> None:
        """Every level rolled back (before a transactional test, before a ``built_once``, at the end)."""
        from django.db import connection

        self.active = False
        if self.open and not self._alone(connection):
            raise RuntimeError("the shared test rows' transaction has another transaction open inside it")
        while self.open:
            self._close_top()

    def _close_top(self) -> None:
        from django.db import transaction

        _, block, _ = self.open.pop()
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


SHARED = SharedRows()


def make_unit(**overrides) -> Unit:
    n = next(_seq)
    data = {"code": f"unit-{n}", "name": f"Đơn vị thử {n}", "kind": UnitKind.DEPARTMENT, "province": "gia-lai"}
    data.update(overrides)
    return Unit.objects.create(**data)


def make_user(username: str | None = None, *, role: str = Role.OFFICER, unit: Unit | None = None, **extra) -> User:
    user = User(username=username or f"user{next(_seq)}", role=role, unit=unit, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_province() -> SimpleNamespace:
    """A small province: a committee, three departments, one press, one district with two communes."""
    do_ensure_groups()
    province = make_unit(
        code="ubnd-tinh",
        name="Ủy ban nhân dân tỉnh Gia Lai",
        short_name="UBND tỉnh",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
    )
    noi_vu = make_unit(code="so-noi-vu", name="Sở Nội vụ", short_name="SNV", parent=province)
    tttt = make_unit(
        code="so-tttt", name="Sở Thông tin và Truyền thông", short_name="STT&TT", aliases=["Sở TT&TT"], parent=province
    )
    vp = make_unit(
        code="vp-ubnd", name="Văn phòng Ủy ban nhân dân tỉnh", aliases=["Văn phòng UBND tỉnh"], parent=province
    )
    dai = make_unit(code="dai-ptth", name="Đài Phát thanh và Truyền hình tỉnh", kind=UnitKind.PRESS)
    district = make_unit(code="huyen-1", name="UBND huyện Chư Păh", kind=UnitKind.DISTRICT_COMMITTEE, parent=province)
    commune_a = make_unit(code="xa-1", name="UBND xã Ia Kha", kind=UnitKind.COMMUNE_COMMITTEE, parent=district)
    commune_b = make_unit(code="xa-2", name="UBND xã Ia Ly", kind=UnitKind.COMMUNE_COMMITTEE, parent=district)
    return SimpleNamespace(
        province=province,
        noi_vu=noi_vu,
        tttt=tttt,
        vp=vp,
        dai=dai,
        district=district,
        commune_a=commune_a,
        commune_b=commune_b,
    )


def make_personas() -> SimpleNamespace:
    """An officer of agency A, one of agency B, A's head, and the province-wide roles."""
    units = make_province()
    return SimpleNamespace(
        units=units,
        officer_a=make_user("officer-a", role=Role.OFFICER, unit=units.commune_a),
        officer_b=make_user("officer-b", role=Role.OFFICER, unit=units.commune_b),
        head_a=make_user("head-a", role=Role.HEAD, unit=units.commune_a),
        officer_dept=make_user("officer-dept", role=Role.OFFICER, unit=units.tttt),
        coordinator=make_user("coordinator", role=Role.COORDINATOR, unit=units.noi_vu),
        observer=make_user("observer", role=Role.OBSERVER, unit=units.province),
        desk=make_user("desk", role=Role.DESK, unit=units.vp),
        admin=make_user("admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    )


def plan_document(year: int = 2024, **overrides) -> dict:
    doc = {
        "schema": "cchc.plan/1",
        "title": f"Tuyên truyền công tác cải cách hành chính năm {year}",
        "year": year,
        "issuer": "UBND tỉnh Gia Lai",
        "number": "94",
        "symbol": "KH-UBND",
        "place": "Gia Lai",
        "issued_on": f"{year - 1}-12-20",
        "signer": {"name": "Trương Hải Long", "title": "Chủ tịch"},
        "legal_bases": [],
        "objectives": ["Nâng cao nhận thức"],
        "requirements": [],
        "audience": "",
        "topics": [{"number": "1", "text": "Tầm quan trọng của CCHC", "items": []}],
        "activities": [
            {
                "number": "1",
                "title": "Công khai TTHC",
                "agencies": [
                    {"name": "Sở Thông tin và Truyền thông", "role": "implement"},
                    {"name": "UBND cấp xã", "role": "implement"},
                ],
                "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
                "recurrence": None,
                "funding": None,
            },
            {
                "number": "2",
                "title": "Chuyên mục CCHC trên Đài",
                "agencies": [
                    {"name": "Sở Nội vụ", "role": "lead"},
                    {"name": "Đài Phát thanh và Truyền hình tỉnh", "role": "coordinate"},
                ],
                "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
                "recurrence": {"every": "month", "count": 1, "unit": "chuyên mục"},
                "funding": "Ngân sách tỉnh",
            },
            {
                "number": "3",
                "title": "Hoạt động có cơ quan lạ",
                "agencies": [{"name": "Sở Không Tồn Tại", "role": "implement"}],
                "period": None,
                "recurrence": None,
                "funding": None,
            },
        ],
        "duties": [],
        "recipients": ["Lưu: VT, NC."],
    }
    doc.update(overrides)
    return doc


def make_small_plan(personas=None, **overrides):
    return do_create_plan(plan_document(**overrides), status=PlanStatus.ACTIVE)


def obligation_of(plan, unit, number: str):
    """The obligation of ``unit`` under activity ``number`` of ``plan``."""
    from cchc.plans.models import Obligation

    return Obligation.objects.select_related("activity__plan", "unit").get(
        activity__plan=plan, activity__number=number, unit=unit
    )


def make_result(obligation, **overrides):
    """A result saved directly (no permission or date checks: for setting up reports, dashboards, benchmarks).

    Tests of recording itself go through ``cchc.execution.actions.do_record_result``. A result given a
    ``deliverable`` updates that deliverable's achievement as recording would.
    """
    from decimal import Decimal

    from cchc.execution.actions import recompute_deliverables
    from cchc.execution.models import Result, ResultKind

    topics = overrides.pop("topics", [])
    data = {
        "unit_id": obligation.unit_id,
        "obligation": obligation,
        "kind": ResultKind.NEWS_ARTICLE,
        "title": f"Kết quả thử {next(_seq)}",
        "occurred_on": dt.date(obligation.activity.plan.year, 3, 1),
        "quantity": Decimal(1),
        "cost": Decimal(0),
    }
    data.update(overrides)
    result = Result.objects.create(**data)
    if topics:
        result.topics.set(topics)
    if result.deliverable_id:
        recompute_deliverables([result.deliverable])
    return result


# Smallest files of each kind that the upload checks accept, for evidence tests.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def docx_bytes(text: str = "Biên bản hội nghị") -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
