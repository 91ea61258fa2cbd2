"""Finding 5 (issue 15): the application's least-privilege PostgreSQL role cannot unlock the purge, delete
audit rows or clear who did what. Runs on PostgreSQL (CI's second database); skipped on SQLite."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from cchc.audit.actions import record
from cchc.audit.models import AuditEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
]


@pytest.fixture
def app_role():
    """A role with only what docs/security.md gives the application: USAGE and SELECT/INSERT/UPDATE/DELETE.

    Created inside the test's transaction, so it is rolled back with it (CREATE ROLE is transactional)."""
    name = f"{connection.settings_dict['NAME']}_app_probe"[:60]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN')
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{name}"')
        cursor.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{name}"')
        cursor.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{name}"')
    return name


def _as(role: str, *statements: tuple[str, list]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        for sql, params in statements:
            cursor.execute(sql, params)


class TestTheApplicationRole:
    def test_it_may_write_the_log_and_delete_elsewhere(self, personas, app_role):
        # The control: the role's privileges are real, so the refusals below are the guard's doing.
        _as(
            app_role,
            (
                "INSERT INTO audit_auditentry (at, actor_label, action, object_type, object_id, object_repr,"
                " details) VALUES (now(), 'system', 'test.by_app', '', '', '', '{}')",
                [],
            ),
            ("DELETE FROM django_session", []),
        )
        assert AuditEntry.objects.filter(action="test.by_app").exists()

    def test_it_cannot_unlock_the_purge(self, personas, app_role):
        entry = record("test.recent", None)
        with pytest.raises(DatabaseError, match="owner role"):
            _as(
                app_role,
                ("SELECT set_config('cchc.audit_purge', 'on', true)", []),
                ("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk]),
            )
        assert AuditEntry.objects.filter(pk=entry.pk).exists()

    def test_it_cannot_clear_who_did_it(self, personas, app_role):
        user = personas.officer_a
        entry = record("test.by_user", user.unit, actor=user)
        assert entry.unit_id is not None
        with pytest.raises(DatabaseError, match="append-only"):
            _as(app_role, ("UPDATE audit_auditentry SET actor_id = NULL WHERE id = %s", [entry.pk]))
        with pytest.raises(DatabaseError, match="append-only"):
            _as(app_role, ("UPDATE audit_auditentry SET unit_id = NULL WHERE id = %s", [entry.pk]))
        entry.refresh_from_db()
        assert entry.actor_id == user.pk

    def test_the_owner_role_still_purges(self, personas):
        record("test.old", None)
        assert AuditEntry.objects.purge_before(AuditEntry.objects.latest("at").at.replace(year=2100)) >= 1
