"""Who may do what with feedback, in one place: views, the API and the actions all ask here."""

from __future__ import annotations

from django.http import Http404

from cchc.accounts.models import Role
from cchc.feedback.models import AGENCY_STATUSES, Feedback, Status, normalize_code


def is_desk(user) -> bool:
    """The feedback desk (Văn phòng UBND tỉnh) receives, classifies, assigns and publishes."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.DESK))


def can_enter_feedback(user) -> bool:
    return is_desk(user)


def can_classify(user) -> bool:
    return is_desk(user)


def can_publish(user) -> bool:
    return is_desk(user)


def is_assigned_agency_staff(user, feedback: Feedback) -> bool:
    return bool(user.is_authenticated and user.is_agency_staff and user.unit_id is not None
                and user.unit_id == feedback.assigned_unit_id and feedback.status in AGENCY_STATUSES)


def can_answer(user, feedback: Feedback) -> bool:
    """Only officers (or the head) of the agency the item is assigned to, while it waits for their answer."""
    return feedback.status == Status.ASSIGNED and is_assigned_agency_staff(user, feedback)


def can_add_note(user, feedback: Feedback) -> bool:
    return is_desk(user) or is_assigned_agency_staff(user, feedback)


def get_feedback_for_user(user, code: str) -> Feedback:
    """The item with ``code`` if ``user`` may see it; 404 otherwise (an agency does not learn that it exists)."""
    normalized = normalize_code(code)
    feedback = (Feedback.objects.visible_to(user).select_related("assigned_unit", "entered_by", "answered_by")
                .filter(code=normalized).first()) if normalized else None
    if feedback is None:
        raise Http404("no such feedback")
    return feedback
