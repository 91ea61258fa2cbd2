"""The retention purge cannot be unlocked by the application's own database role (issue 15, finding 5).

Before: any role that could DELETE from the table could first ``set_config('cchc.audit_purge', 'on', true)``
and delete recent entries, or ``UPDATE ... SET actor_id = NULL``. Now, on PostgreSQL, the guard also asks
*who* is asking: DELETE, and clearing ``actor_id`` / ``unit_id`` (deleting a user or a unit), are allowed
only to a member of the role that owns the table — the owner role that runs migrations and
``cchc purge_audit`` — never to the application's least-privilege role (docs/security.md, "two roles").
Every other change stays refused to everyone. SQLite, the embedded single-user default, has no roles.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION cchc_audit_guard() RETURNS trigger AS $$
DECLARE
    is_owner boolean := pg_has_role(
        current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER');
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF NOT is_owner THEN
            RAISE EXCEPTION 'audit log is append-only: only the owner role may run the retention purge';
        END IF;
        IF coalesce(current_setting('cchc.audit_purge', true), '') <> 'on' THEN
            RAISE EXCEPTION 'audit log is append-only: DELETE is only allowed to the retention purge';
        END IF;
        RETURN OLD;
    END IF;
    IF (NEW.id, NEW.at, NEW.actor_label, NEW.action, NEW.object_type, NEW.object_id, NEW.object_repr,
        NEW.ip_address, NEW.details::text)
       IS DISTINCT FROM
       (OLD.id, OLD.at, OLD.actor_label, OLD.action, OLD.object_type, OLD.object_id, OLD.object_repr,
        OLD.ip_address, OLD.details::text)
       OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
       OR (NEW.unit_id IS NOT NULL AND NEW.unit_id IS DISTINCT FROM OLD.unit_id) THEN
        RAISE EXCEPTION 'audit log is append-only: UPDATE is not allowed';
    END IF;
    IF NOT is_owner AND (NEW.actor_id IS DISTINCT FROM OLD.actor_id OR NEW.unit_id IS DISTINCT FROM OLD.unit_id) THEN
        RAISE EXCEPTION 'audit log is append-only: only the owner role may delete a user or unit it names';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

# Migration 0002's function, restored on the way back.
PG_BACKWARD = """
CREATE OR REPLACE FUNCTION cchc_audit_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF coalesce(current_setting('cchc.audit_purge', true), '') <> 'on' THEN
            RAISE EXCEPTION 'audit log is append-only: DELETE is only allowed to the retention purge';
        END IF;
        RETURN OLD;
    END IF;
    IF (NEW.id, NEW.at, NEW.actor_label, NEW.action, NEW.object_type, NEW.object_id, NEW.object_repr,
        NEW.ip_address, NEW.details::text)
       IS DISTINCT FROM
       (OLD.id, OLD.at, OLD.actor_label, OLD.action, OLD.object_type, OLD.object_id, OLD.object_repr,
        OLD.ip_address, OLD.details::text)
       OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
       OR (NEW.unit_id IS NOT NULL AND NEW.unit_id IS DISTINCT FROM OLD.unit_id) THEN
        RAISE EXCEPTION 'audit log is append-only: UPDATE is not allowed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forward, backward)]
