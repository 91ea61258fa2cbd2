"""Who may do what with feedback, in one place: views, the API and the actions all ask here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from cchc.accounts.models import Role
from cchc.feedback.models import AGENCY_STATUSES, Feedback, Status, normalize_code


def is_desk(user) -> bool:
    """The feedback desk (Văn phòng UBND tỉnh) receives, classifies, assigns and publishes."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.DESK))


def can_manage_api_clients(user) -> bool:
    """Issuing and revoking API keys for other applications: the province's administrator."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def can_enter_feedback(user) -> bool:
    return is_desk(user)


def is_assigned_agency_staff(user, feedback: Feedback) -> bool:
    return bool(
        user.is_authenticated
        and user.is_agency_staff
        and user.unit_id is not None
        and user.unit_id == feedback.assigned_unit_id
        and feedback.status in AGENCY_STATUSES
    )


def can_add_note(user, feedback: Feedback) -> bool:
    return is_desk(user) or is_assigned_agency_staff(user, feedback)


# --- The workflow: which step, from which statuses, by whom ----------------------------------------------------


def _desk(user, feedback: Feedback) -> bool:
    return is_desk(user)


@dataclass(frozen=True)
class Step:
    """One step of an item's handling: the statuses it starts from (any, when empty) and whose role takes it."""

    sources: frozenset[str]
    role: Callable[[object, Feedback], bool]


# The one table of the workflow: the actions enforce it, the detail page offers the steps it allows.
STEPS: dict[str, Step] = {
    "accept": Step(frozenset({Status.RECEIVED}), _desk),
    "reject": Step(frozenset({Status.RECEIVED, Status.ACCEPTED}), _desk),
    "assign": Step(frozenset({Status.ACCEPTED}), _desk),
    "reassign": Step(frozenset({Status.ASSIGNED}), _desk),
    "forward": Step(frozenset({Status.RECEIVED, Status.ACCEPTED}), _desk),
    "answer": Step(frozenset({Status.ASSIGNED}), is_assigned_agency_staff),
    "return": Step(frozenset({Status.ANSWERED}), _desk),
    "publish": Step(frozenset({Status.ANSWERED}), _desk),
    "note": Step(frozenset(), can_add_note),
}


def role_may(user, step: str, feedback: Feedback) -> bool:
    """Whether the user's role may ever take this step on this item (whatever its status now)."""
    return STEPS[step].role(user, feedback)


def status_allows(step: str, feedback: Feedback) -> bool:
    sources = STEPS[step].sources
    return not sources or feedback.status in sources


def can_take(user, step: str, feedback: Feedback) -> bool:
    """Whether the user may take this step on this item now."""
    return role_may(user, step, feedback) and status_allows(step, feedback)


def allowed_steps(user, feedback: Feedback) -> list[str]:
    return [step for step in STEPS if can_take(user, step, feedback)]


def check_step(user, step: str, feedback: Feedback) -> None:
    """``PermissionDenied`` when the user's role may not take the step; ``ValidationError`` (code ``status``)
    when the item's status does not allow it now (someone moved it on meanwhile)."""
    if not role_may(user, step, feedback):
        raise PermissionDenied
    if not status_allows(step, feedback):
        raise ValidationError(
            _("Không thực hiện được ở trạng thái hiện tại (“%(status)s”).") % {"status": feedback.get_status_display()},
            code="status",
        )


def get_feedback_for_user(user, code: str) -> Feedback:
    """The item with ``code`` if ``user`` may see it; 404 otherwise (an agency does not learn that it exists)."""
    normalized = normalize_code(code)
    feedback = (
        (
            Feedback.objects.visible_to(user)
            .select_related("assigned_unit", "entered_by", "answered_by")
            .filter(code=normalized)
            .first()
        )
        if normalized
        else None
    )
    if feedback is None:
        raise Http404("no such feedback")
    return feedback
