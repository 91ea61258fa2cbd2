"""What the public may see of an item, as plain data: the public pages, the JSON API and Open311 all render
these dictionaries, never a ``Feedback`` object, so no template or serializer can reach the sender's data."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cchc.feedback.models import Feedback, Status
from cchc.lib.text import fold

# The only columns public lists load (the sender's data is never read).
PUBLIC_COLUMNS = [
    "id",
    "public_id",
    "kind",
    "status",
    "public_subject",
    "public_content",
    "public_answer",
    "public_answer_reference",
    "procedure_code",
    "public_regulation",
    "received_at",
    "answered_at",
    "published_at",
    "assigned_unit__code",
    "assigned_unit__name",
]
STATUS_COLUMNS = [
    *PUBLIC_COLUMNS,
    "code",
    "due_on",
    "accepted_at",
    "assigned_at",
    "closed_at",
    "decision_reason",
    "forwarded_to",
]


def _local(value):
    """Local time (Asia/Ho_Chi_Minh): pages format it dd/mm/yyyy, the API's JSON encoder as ISO 8601."""
    return timezone.localtime(value) if value else None


def _agency(feedback: Feedback) -> dict | None:
    unit = feedback.assigned_unit if feedback.assigned_unit_id else None
    return {"code": unit.code, "name": unit.name} if unit else None


def published_items(q: str = "") -> QuerySet[Feedback]:
    """Published items, newest first; ``q`` matches every word, accents and case ignored, in public text only."""
    items = (
        Feedback.objects.published()
        .select_related("assigned_unit")
        .only(*PUBLIC_COLUMNS)
        .order_by("-published_at", "-id")
    )
    for word in fold(q).split()[:10]:
        items = items.filter(public_search__contains=word)
    return items


def public_item(feedback: Feedback) -> dict:
    """A published item and its answer, without the sender: only the ``public_*`` texts the desk cleaned."""
    assert feedback.status == Status.PUBLISHED
    return {
        "id": feedback.public_id,
        "kind": feedback.kind,
        "kind_label": str(feedback.get_kind_display()),
        "subject": feedback.public_subject,
        "content": feedback.public_content,
        "procedure_code": feedback.procedure_code,
        "regulation": feedback.public_regulation,
        "agency": _agency(feedback),
        "received_at": _local(feedback.received_at),
        "answered_at": _local(feedback.answered_at),
        "published_at": _local(feedback.published_at),
        "answer": feedback.public_answer,
        "answer_reference": feedback.public_answer_reference,
        "url": reverse("feedback:public_detail", args=[feedback.public_id]),
    }


def status_of(feedback: Feedback) -> dict:
    """What the holder of the tracking code sees: status, dates, the agency, the outcome; the published answer."""
    published = feedback.status == Status.PUBLISHED
    return {
        "code": feedback.code,
        "kind": feedback.kind,
        "kind_label": str(feedback.get_kind_display()),
        "status": feedback.status,
        "status_label": str(feedback.get_status_display()),
        "received_at": _local(feedback.received_at),
        "due_on": feedback.due_on if feedback.due_on and feedback.is_open else None,
        "accepted_at": _local(feedback.accepted_at),
        "assigned_at": _local(feedback.assigned_at),
        "agency": _agency(feedback)
        if feedback.status in {Status.ASSIGNED, Status.ANSWERED, Status.PUBLISHED}
        else None,
        "answered_at": _local(feedback.answered_at),
        "published_at": _local(feedback.published_at),
        "closed_at": _local(feedback.closed_at),
        "reason": feedback.decision_reason if feedback.status in {Status.NOT_ACCEPTED, Status.FORWARDED} else "",
        "forwarded_to": feedback.forwarded_to if feedback.status == Status.FORWARDED else "",
        "published": public_item(feedback) if published else None,
    }


def find_by_code(code: str) -> Feedback | None:
    from cchc.feedback.models import normalize_code

    normalized = normalize_code(code)
    if not normalized:
        return None
    return Feedback.objects.select_related("assigned_unit").only(*STATUS_COLUMNS).filter(code=normalized).first()
