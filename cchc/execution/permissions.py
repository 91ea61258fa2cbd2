"""Who may see and change an agency's execution data, in one place.

- An agency's officers ("cán bộ đầu mối") record, edit and delete their own unit's results and draft its plan.
- The agency's head reads its results and approves its plan.
- Coordinators, observers and administrators read every agency's results and plans; they change none.
- The lead (chủ trì) of an activity supervises it: its officers and head read the results and deliverables of the
  agencies named in that activity, for that activity only, and remind those behind (``leads_activity``).
- Anyone else (another agency, the feedback desk) sees nothing: lookups answer 404, as if the row did not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cchc.accounts.models import Role
from cchc.execution.models import Evidence, Result, SubPlan


def leads_activity(user, activity) -> bool:
    """Whether ``user`` is on the staff of a lead agency of ``activity`` (one query)."""
    from cchc.plans.models import AgencyRole, Obligation

    if not user.is_authenticated or not user.is_agency_staff or user.unit_id is None:
        return False
    return Obligation.objects.filter(activity=activity, unit_id=user.unit_id, role=AgencyRole.LEAD).exists()


def can_supervise_activity(user, activity) -> bool:
    """May see every named agency's progress on ``activity`` and remind those behind: the coordinators, or the
    activity's lead."""
    return user.is_authenticated and (user.role == Role.COORDINATOR or leads_activity(user, activity))


def can_write_results(user, unit_id: int | None = None) -> bool:
    """An officer of the unit (of any unit when ``unit_id`` is None: "may this user record at all?")."""
    if not user.is_authenticated or not user.can_record_results:
        return False
    return unit_id is None or user.unit_id == unit_id


def can_edit_subplan(user, unit_id: int) -> bool:
    return user.is_authenticated and user.is_agency_staff and user.unit_id == unit_id


def can_approve_subplan(user, unit_id: int) -> bool:
    return user.is_authenticated and user.role == Role.HEAD and user.unit_id == unit_id


def get_result_for_user(user, pk: int, *, write: bool = False) -> Result:
    """The result if the user may see it (404 otherwise); with ``write``, 403 unless they may change it."""
    result = get_object_or_404(
        Result.objects.visible_to(user)
        .with_locks()
        .select_related("unit", "obligation__activity__plan", "deliverable", "created_by", "import_batch"),
        pk=pk,
    )
    if write and not can_write_results(user, result.unit_id):
        raise PermissionDenied
    return result


def get_evidence_for_user(user, pk: int, *, write: bool = False) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.filter(result__in=Result.objects.visible_to(user)).select_related("result"), pk=pk
    )
    if write and not can_write_results(user, evidence.result.unit_id):
        raise PermissionDenied
    return evidence


def get_subplan_for_user(user, pk: int, *, write: bool = False, approve: bool = False) -> SubPlan:
    subplan = get_object_or_404(SubPlan.objects.visible_to(user).select_related("plan", "unit", "approved_by"), pk=pk)
    if write and not can_edit_subplan(user, subplan.unit_id):
        raise PermissionDenied
    if approve and not can_approve_subplan(user, subplan.unit_id):
        raise PermissionDenied
    return subplan
