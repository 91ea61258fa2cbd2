"""Writing to the audit log. Every action in every app calls ``record``."""

from __future__ import annotations

from typing import Any

from cchc.audit.export import entries_between, write
from cchc.audit.masking import mask, mask_text
from cchc.audit.models import AuditEntry
from cchc.lib import figcache, request_context


def describe(obj: Any) -> str:
    """The object's description for the log: ``audit_repr()`` when the model has one, masked either way."""
    if obj is None:
        return ""
    text = obj.audit_repr() if hasattr(obj, "audit_repr") else str(obj)
    return mask_text(text)[:255]


def record(action: str, obj: Any = None, *, actor=None, unit=None, **details) -> AuditEntry:
    """Append one entry. ``actor`` None means the system (a command or a scheduled task).

    Personal data in ``details`` and in the object's description is masked (``cchc.audit.masking``).
    """
    request = request_context.current_request()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if not action.startswith(("access.", "accounts.")):  # refusals, log-ins: no figure changes
        figcache.bump()  # an action changed data, perhaps by QuerySet.update(), which sends no signal
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=getattr(actor, "username", "") or ("system" if request is None else "anonymous"),
        action=action,
        object_type=obj._meta.label_lower if obj is not None and hasattr(obj, "_meta") else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        object_repr=describe(obj),
        unit=unit if unit is not None else getattr(actor, "unit", None),
        ip_address=request_context.client_ip(request) if request is not None else None,
        details=mask(details),
    )


def do_export_audit(stream, start, end, fmt: str, *, via: str) -> int:
    """Write the entries of ``start``–``end`` to ``stream`` (csv or json); the export itself is logged."""
    count = write(stream, entries_between(start, end), fmt)
    record("audit.exported", None, start=start.isoformat(), end=end.isoformat(), format=fmt, count=count, via=via)
    return count


def do_purge_audit(cutoff, *, months: int) -> int:
    """The retention purge (``cchc purge_audit``): delete the entries before ``cutoff``; the purge itself is
    the first entry of the remaining log. On PostgreSQL only the owner role may purge (migration 0003): the
    application's role gets a DatabaseError, which the caller reports."""
    count = AuditEntry.objects.purge_before(cutoff)
    record("audit.purged", None, before=cutoff.isoformat(), count=count, months=months)
    return count
