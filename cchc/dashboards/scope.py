"""Who sees which dashboard, and the permission-checked look-ups every dashboard view goes through.

- Province-wide pages (overview, agencies, grid, spending, an activity across agencies, the one-page summary
  and its PDF): the coordinators of Sở Nội vụ, the provincial leadership (observers, read-only) and the
  administrators.
- An agency's page and the lists its figures link to: those roles for any agency; an agency's own officers and
  head for their agency only. Another agency's page answers 404, as if it did not exist.
- One activity across its agencies (and the results and deliverables lists narrowed to that activity): those
  roles, and the staff of the activity's lead agency (chủ trì), who supervise it — for that activity only. Any
  other agency's staff get 404.
- The feedback desk has no part in the plan's execution: every dashboard refuses it (403).
- The public progress page: anyone, with only what the public may see (see ``figures.public_progress``).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cchc.accounts.models import Role
from cchc.execution.permissions import leads_activity
from cchc.lib.text import fold
from cchc.orgs.models import Unit
from cchc.plans.models import Activity, Obligation, Plan, PlanStatus
from cchc.reports.models import Period

PROVINCE_ROLES = (Role.COORDINATOR, Role.OBSERVER, Role.ADMIN)
READER_ROLES = (*PROVINCE_ROLES, Role.OFFICER, Role.HEAD)


def sees_province(user) -> bool:
    return user.is_authenticated and user.sees_everything


def get_plan_for_user(user, pk: int) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user).select_related("issuer_unit"), pk=pk)


def plan_periods(plan: Plan) -> list[Period]:
    """The plan's reporting periods, in order (the plan actions create them)."""
    periods = list(Period.objects.filter(plan=plan).order_by("end", "-start"))
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


def get_activity_for_user(user, plan: Plan, number: str) -> Activity:
    """The activity if ``user`` may see it across its agencies: province-wide roles, or its lead's staff."""
    activity = get_object_or_404(Activity.objects.filter(plan=plan), number=number)
    if sees_province(user) or leads_activity(user, activity):
        return activity
    if user.is_authenticated and user.role in (Role.OFFICER, Role.HEAD):
        raise Http404
    raise PermissionDenied


def get_supervised_unit(user, activity: Activity, code: str) -> Unit:
    """An agency named in ``activity``, for its lead's staff (404 for any other unit)."""
    if not leads_activity(user, activity):
        raise Http404
    return get_object_or_404(
        Unit.objects.filter(pk__in=Obligation.objects.filter(activity=activity).values("unit_id")), code=code
    )


def default_plan_for(user) -> Plan | None:
    """The plan an agency's page opens on: the latest active plan the agency has obligations under."""
    plans = Plan.objects.filter(status=PlanStatus.ACTIVE)
    if not sees_province(user):
        plans = plans.filter(activities__obligations__unit_id=user.unit_id).distinct()
    return plans.order_by("-year", "-pk").first()


# --- Public codes -------------------------------------------------------------------------------------------------

# Words a citizen shortens in a plan's address ("cải cách hành chính" → "cchc"), on folded text.
_SHORT = [("cai cach hanh chinh", "cchc"), ("thu tuc hanh chinh", "tthc"), ("cong tac ", "")]
# What the address need not repeat: the year (it is in the address) and whose plan it is.
_TAIL = re.compile(r"\b(nam \d{4}|(cua|tren dia ban|tai) (tinh|thanh pho|huyen|thi xa|xa|phuong))\b.*$")
MAX_CODE_WORDS = 8


def public_code(plan: Plan) -> str:
    """The plan's code in public addresses, as a citizen would name it: its number and symbol when it has a
    number ("94-kh-ubnd"), otherwise its title in a few ASCII words ("tuyen-truyen-cchc"; the year is already in
    the address) — never a bare symbol ("kh-ubnd") or a database id. A sub-plan of an agency adds the agency's
    code, so that it does not take its parent's address."""
    if plan.number:
        return slugify(f"{plan.number}-{plan.symbol}".strip("-"))
    words = fold(plan.title)
    words = re.sub(r"^ke hoach\b", "", words)
    for long, short in _SHORT:
        words = words.replace(long, short)
    words = " ".join(_TAIL.sub("", " ".join(words.split())).split()[:MAX_CODE_WORDS])
    code = slugify(words) or "ke-hoach"
    if plan.parent_id and plan.issuer_unit_id:
        code = f"{code}-{plan.issuer_unit.code}"
    return code


def legacy_code(plan: Plan) -> str:
    """The code of the first public addresses (until issue 14): number-symbol, else the id. Still answered with a
    permanent redirect, since such links were printed and shared."""
    return slugify(f"{plan.number}-{plan.symbol}".strip("-")) or f"kh-{plan.pk}"


def public_name(plan: Plan) -> str:
    """The plan as a citizen names it: "Kế hoạch số 94/KH-UBND"; without a number, its title and year ("Kế hoạch
    tuyên truyền công tác cải cách hành chính năm 2024 của tỉnh Gia Lai"), never "Kế hoạch …/KH-UBND"."""
    if plan.number:
        return _("Kế hoạch số %(reference)s") % {"reference": plan.reference}
    title = " ".join(plan.title.split())
    if fold(title).startswith("ke hoach "):
        title = title[len("kế hoạch ") :]
    # In Vietnamese "Tuyên truyền…" reads on after "Kế hoạch" ("CCHC…" keeps its capitals); in another language the
    # title stays as written, as the plan's data.
    if title[1:2].islower() and (get_language() or "vi").startswith("vi"):
        title = title[:1].lower() + title[1:]
    if str(plan.year) not in title:
        title = _("%(title)s năm %(year)s") % {"title": title, "year": plan.year}
    return _("Kế hoạch %(title)s") % {"title": title}


PUBLIC_STATUSES = (PlanStatus.ACTIVE, PlanStatus.CLOSED)


def public_plans():
    return Plan.objects.filter(status__in=PUBLIC_STATUSES).select_related("issuer_unit")


def find_public_plan(year: int, code: str) -> tuple[Plan, bool]:
    """The public plan of ``year`` at ``code``, and whether ``code`` is its current one (False: an old address,
    to be redirected). 404 when there is none."""
    plans = list(public_plans().filter(year=year).order_by("pk"))
    for plan in plans:
        if public_code(plan) == code:
            return plan, True
    for plan in plans:
        if legacy_code(plan) == code:
            return plan, False
    raise Http404


def get_public_plan(year: int, code: str) -> Plan:
    return find_public_plan(year, code)[0]
