"""The URL × role access matrix: the format of the per-app tables and the world they run against.

Every app keeps a table in ``cchc/<app>/tests/access.py``::

    from cchc.tests.matrix import LOGIN, Access, roles, staff

    def world(w):                      # optional: add this app's objects of agency A to the shared world
        w.result_a = make_result(unit=w.units.commune_a, title="Kết quả riêng của xã A")
        w.private_a.append("Kết quả riêng của xã A")   # text officer_b must never see

    ACCESS = {
        "execution:result_list": Access(get=staff()),
        "execution:result_detail": Access(
            kwargs=lambda w: {"pk": w.result_a.pk},
            get=staff(officer_b=404, desk=404),
        ),
        "execution:result_edit": Access(
            kwargs=lambda w: {"pk": w.result_a.pk},
            get=roles("officer_a", "head_a", "coordinator", "admin", officer_b=404, desk=404),
            post=roles("officer_a", "head_a", "coordinator", "admin", ok=200, officer_b=404, desk=404),
        ),
    }

``tests/test_access_matrix.py`` walks every URL pattern of the project and requests it as each role in
``ROLES`` against the objects of agency A (commune ``xa-1``). A pattern without a row fails the suite, a
row without a pattern fails it too, and so does any answer that differs from the row.

An expectation is an HTTP status (200, 403, 404, 405...), ``LOGIN`` (a redirect to the log-in page) or
``REDIRECT`` (any other redirect). ``post`` rows send an empty form (with a valid CSRF token): refused
roles must be refused before anything is validated. During every GET the matrix also checks that no
table but the audit log, the session and django-axes' was written to (no GET changes anything), and
that no 200 answer to ``officer_b`` contains any text of ``w.private_a``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

ROLES = ("anonymous", "officer_a", "officer_b", "head_a", "coordinator", "observer", "desk", "admin")
STAFF = ROLES[1:]


class _Sentinel(str):
    pass


LOGIN = _Sentinel("LOGIN")  # 302 to the log-in page (Django's or the admin's)
REDIRECT = _Sentinel("REDIRECT")  # any 3xx to somewhere else


def everyone(status=200, **overrides) -> dict:
    """The same answer for every role, anonymous included: public pages."""
    table = {role: status for role in ROLES}
    return _apply(table, overrides)


def staff(status=200, **overrides) -> dict:
    """Every signed-in role gets ``status``; anonymous is sent to log in."""
    table = {role: status for role in STAFF}
    table["anonymous"] = LOGIN
    return _apply(table, overrides)


def roles(*allowed: str, ok=200, refused=403, **overrides) -> dict:
    """Only ``allowed`` roles get ``ok``; other signed-in roles get ``refused``; anonymous logs in."""
    unknown = set(allowed) - set(STAFF)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    table = {role: (ok if role in allowed else refused) for role in STAFF}
    table["anonymous"] = LOGIN
    return _apply(table, overrides)


def _apply(table: dict, overrides: dict) -> dict:
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    table.update(overrides)
    return table


@dataclass
class Access:
    get: dict
    kwargs: Callable[[SimpleNamespace], dict] | dict = field(default_factory=dict)
    post: dict | None = None
    query: str = ""

    def __post_init__(self):
        for table in (self.get, self.post) if self.post is not None else (self.get,):
            missing = set(ROLES) - set(table)
            if missing:
                raise ValueError(f"expectation missing for roles {sorted(missing)}")

    def resolve_kwargs(self, w) -> dict:
        return self.kwargs(w) if callable(self.kwargs) else dict(self.kwargs)
