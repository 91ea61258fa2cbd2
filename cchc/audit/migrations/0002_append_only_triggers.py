"""Make the audit table append-only in the database itself, not only in the ORM.

Rows may not be changed, except that deleting a user or a unit may set the entry's ``actor_id`` /
``unit_id`` to NULL (the entry keeps ``actor_label``). On PostgreSQL, DELETE is refused unless the
transaction set ``cchc.audit_purge`` (only ``AuditQuerySet.purge_before`` does, for the retention
command). SQLite, the embedded default, gets the UPDATE guard; its DELETE stays open because Django's
test flush empties tables with DELETE there.
"""

from django.db import migrations

PG_FORWARD = """
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
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION cchc_audit_guard();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS cchc_audit_guard();
"""
SQLITE_FORWARD = """
CREATE TRIGGER audit_auditentry_append_only
BEFORE UPDATE ON audit_auditentry
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_label IS NOT OLD.actor_label
  OR NEW.action IS NOT OLD.action OR NEW.object_type IS NOT OLD.object_type OR NEW.object_id IS NOT OLD.object_id
  OR NEW.object_repr IS NOT OLD.object_repr OR NEW.ip_address IS NOT OLD.ip_address OR NEW.details IS NOT OLD.details
  OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS NOT OLD.actor_id)
  OR (NEW.unit_id IS NOT NULL AND NEW.unit_id IS NOT OLD.unit_id)
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only: UPDATE is not allowed');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS audit_auditentry_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
