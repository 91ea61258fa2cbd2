"""Who sees which dashboard, and the permission-checked look-ups every dashboard view goes through.

- Province-wide pages (overview, agencies, grid, spending, an activity across agencies, the one-page summary
  and its PDF): the coordinators of Sở Nội vụ, the provincial leadership (observers, read-only) and the
  administrators.
- An agency's page and the lists its figures link to: those roles for any agency; an agency's own officers and
  head for their agency only. Another agency's page answers 404, as if it did not exist.
- The feedback desk has no part in the plan's execution: every dashboard refuses it (403).
- The public progress page: anyone, with only what the public may see (see ``figures.public_progress``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from cchc.accounts.models import Role
from cchc.orgs.models import Unit
from cchc.plans.models import Plan, PlanStatus
from cchc.reports.actions import do_ensure_periods
from cchc.reports.models import Period

PROVINCE_ROLES = (Role.COORDINATOR, Role.OBSERVER, Role.ADMIN)
READER_ROLES = (*PROVINCE_ROLES, Role.OFFICER, Role.HEAD)


def sees_province(user) -> bool:
    return user.is_authenticated and user.sees_everything


def get_plan_for_user(user, pk: int) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user).select_related("issuer_unit"), pk=pk)


def plan_periods(plan: Plan) -> list[Period]:
    """The plan's reporting periods, in order; a plan never reported on gets its calendar's (one write, once)."""
    periods = list(Period.objects.filter(plan=plan).order_by("end", "-start"))
    if not periods:
        periods = do_ensure_periods(plan)
    for period in periods:
        period.plan = plan  # the templates ask for period.plan: no query per period
    return periods


def find_period(periods: list[Period], code: str) -> Period:
    for period in periods:
        if period.code == code:
            return period
    raise Http404


def current_period(periods: list[Period], day: dt.date) -> Period | None:
    """The period being reported on (its window started and its due date not passed); else the latest one past;
    else the first."""
    if not periods:
        return None
    running = [p for p in periods if p.start <= day <= p.due_on]
    if running:
        return min(running, key=lambda p: (p.due_on, p.end - p.start))
    past = [p for p in periods if p.due_on < day]
    if past:
        return max(past, key=lambda p: (p.end, p.end - p.start))
    return periods[0]


def get_unit_for_user(user, code: str) -> Unit:
    """The agency if ``user`` may see its dashboard: any for province-wide roles, their own for agency staff."""
    unit = get_object_or_404(Unit.objects.all(), code=code)
    if sees_province(user):
        return unit
    if user.is_authenticated and user.role in (Role.OFFICER, Role.HEAD) and user.unit_id == unit.pk:
        return unit
    if user.is_authenticated and user.role in (Role.OFFICER, Role.HEAD):
        raise Http404
    raise PermissionDenied


def default_plan_for(user) -> Plan | None:
    """The plan an agency's page opens on: the latest active plan the agency has obligations under."""
    plans = Plan.objects.filter(status=PlanStatus.ACTIVE)
    if not sees_province(user):
        plans = plans.filter(activities__obligations__unit_id=user.unit_id).distinct()
    return plans.order_by("-year", "-pk").first()


# --- Public codes -------------------------------------------------------------------------------------------------

def public_code(plan: Plan) -> str:
    """The plan's code in public addresses: number and symbol ("94-kh-ubnd"), never a database id when it
    has a number."""
    code = slugify(f"{plan.number}-{plan.symbol}".strip("-"))
    return code or f"kh-{plan.pk}"


PUBLIC_STATUSES = (PlanStatus.ACTIVE, PlanStatus.CLOSED)


def get_public_plan(year: int, code: str) -> Plan:
    for plan in Plan.objects.filter(year=year, status__in=PUBLIC_STATUSES).order_by("pk"):
        if public_code(plan) == code:
            return plan
    raise Http404
