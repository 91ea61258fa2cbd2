"""What each role finds on its home page (``/home/``): its own work, most urgent first.

Every list is a bounded query (``LIMIT``), so the page costs the same number of queries whatever the number
of reports, tasks or feedback items (``tests/test_home.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Min, Q, Value, When

from cchc.execution.models import Deliverable
from cchc.feedback.models import OPEN_STATUSES, Feedback, due_soon_limit, urgency_of
from cchc.plans.models import Obligation, Plan, PlanStatus
from cchc.reports.completeness import Timeliness, completeness
from cchc.reports.models import EDITABLE_STATUSES, Period, Report, ReportStatus

# How many rows a home list shows before "see all".
LIST_LIMIT = 15
# Periods whose due date passed less than this long ago still show their late agencies on the coordinator's home.
LATE_WINDOW = dt.timedelta(days=120)
# A period shows once its due date is this close: the year's report is not "waiting" in March.
DUE_WINDOW = dt.timedelta(days=30)
# Periods of the coordinator's "due and late" list: enough for a quarter, a half-year and the year.
PERIOD_LIMIT = 4

UNIT_FIELDS = ("unit__id", "unit__code", "unit__name", "unit__short_name", "unit__kind", "unit__context")


@dataclass
class PeriodState:
    period: Period
    expected: int
    submitted: int
    missing: int
    returned: int
    waiting: int
    late: bool  # the due date has passed


def review_queue(limit: int = LIST_LIMIT) -> tuple[list[Report], int]:
    """Reports sent and waiting for the coordinator's review, the longest waiting first."""
    waiting = Report.objects.filter(status=ReportStatus.SUBMITTED)
    rows = list(
        waiting.select_related("unit", "period", "period__plan")
        .only(
            "id",
            "version",
            "status",
            "submitted_at",
            "submission_count",
            "period__id",
            "period__code",
            "period__kind",
            "period__start",
            "period__end",
            "period__due_on",
            "period__plan__id",
            "period__plan__title",
            *UNIT_FIELDS,
        )
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")[:limit]
    )
    return rows, (waiting.count() if len(rows) == limit else len(rows))


def periods_due(day: dt.date) -> list[PeriodState]:
    """Periods of active plans due within a month or late not long ago, with who has not sent."""
    periods = (
        Period.objects.filter(
            plan__status=PlanStatus.ACTIVE, due_on__lte=day + DUE_WINDOW, due_on__gte=day - LATE_WINDOW
        )
        .select_related("plan")
        .order_by("due_on", "pk")[:PERIOD_LIMIT]
    )
    out = []
    for period in periods:
        state = completeness(period, day)
        counts = state.counts()
        out.append(
            PeriodState(
                period=period,
                expected=state.expected,
                submitted=state.submitted,
                missing=counts[Timeliness.MISSING],
                returned=counts[Timeliness.RETURNED],
                waiting=state.awaiting_review,
                late=day > period.due_on,
            )
        )
    return out


def draft_plans(user, limit: int = LIST_LIMIT) -> list[Plan]:
    return list(Plan.objects.visible_to(user).filter(status=PlanStatus.DRAFT).order_by("-year", "-pk")[:limit])


def agency_reports(unit_id: int, limit: int = LIST_LIMIT) -> list[Report]:
    """The agency's reports still with it: returned ones first (with the reason), then by due date."""
    return list(
        Report.objects.filter(unit_id=unit_id, status__in=EDITABLE_STATUSES)
        .select_related("period", "period__plan")
        .only(
            "id",
            "status",
            "return_reason",
            "reviewed_at",
            "period__id",
            "period__code",
            "period__kind",
            "period__start",
            "period__end",
            "period__due_on",
            "period__plan__id",
            "period__plan__title",
        )
        .annotate(
            returned_first=Case(
                When(status__in=(ReportStatus.RETURNED, ReportStatus.REVISED), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("returned_first", "period__due_on", "pk")[:limit]
    )


def periods_not_started(unit_id: int, day: dt.date, limit: int = LIST_LIMIT) -> list[Period]:
    """Periods of active plans the agency owes a report for, due within a month or late, with no report yet."""
    return list(
        Period.objects.filter(
            plan__status=PlanStatus.ACTIVE,
            plan__activities__obligations__unit_id=unit_id,
            due_on__lte=day + DUE_WINDOW,
            due_on__gte=day - LATE_WINDOW,
        )
        .exclude(reports__unit_id=unit_id)
        .select_related("plan")
        .distinct()
        .order_by("due_on", "pk")[:limit]
    )


def agency_tasks(user, day: dt.date, limit: int = LIST_LIMIT) -> tuple[list[Obligation], int]:
    """The agency's tasks under active plans, each with its next unmet deadline; overdue ones first."""
    unmet = Q(deliverables__met_on__isnull=True)
    tasks = (
        Obligation.objects.visible_to(user)
        .filter(unit_id=user.unit_id, required=True, activity__plan__status=PlanStatus.ACTIVE)
        .select_related("activity", "activity__plan")
        .only(
            "id",
            "role",
            "activity__id",
            "activity__number",
            "activity__title",
            "activity__period_start",
            "activity__period_end",
            "activity__plan__id",
            "activity__plan__year",
            "activity__plan__number",
            "activity__plan__symbol",
            "activity__plan__title",
        )
        .annotate(
            next_due=Min("deliverables__due_on", filter=unmet & Q(deliverables__due_on__gte=day)),
            oldest_overdue=Min("deliverables__due_on", filter=unmet & Q(deliverables__due_on__lt=day)),
            overdue_count=Count("deliverables", filter=unmet & Q(deliverables__due_on__lt=day)),
        )
        .annotate(
            overdue_first=Case(When(overdue_count__gt=0, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by(
            "overdue_first",
            F("oldest_overdue").asc(nulls_last=True),
            F("next_due").asc(nulls_last=True),
            "activity__plan_id",
            "activity__order",
            "pk",
        )
    )
    rows = list(tasks[:limit])
    return rows, (tasks.count() if len(rows) == limit else len(rows))


def overdue_deliverables(user, day: dt.date) -> int:
    return Deliverable.objects.visible_to(user).filter(obligation__unit_id=user.unit_id).overdue(day).count()


def feedback_inbox(user, day: dt.date, limit: int = LIST_LIMIT) -> tuple[list[Feedback], dict]:
    """Open feedback items, the nearest deadline first, with the counts the desk's header shows."""
    visible = Feedback.objects.visible_to(user)
    open_q = Q(status__in=OPEN_STATUSES)
    counts = visible.aggregate(
        open=Count("id", filter=open_q),
        overdue=Count("id", filter=open_q & Q(due_on__lt=day)),
        due_soon=Count("id", filter=open_q & Q(due_on__gte=day, due_on__lte=due_soon_limit(day))),
    )
    items = list(
        visible.filter(open_q)
        .select_related("assigned_unit")
        .only(
            "id",
            "code",
            "subject",
            "status",
            "due_on",
            "received_at",
            "assigned_unit__id",
            "assigned_unit__code",
            "assigned_unit__name",
            "assigned_unit__short_name",
            "assigned_unit__kind",
            "assigned_unit__context",
        )
        .order_by(F("due_on").asc(nulls_last=True), "received_at", "pk")[:limit]
    )
    for item in items:
        item.urgency_now = urgency_of(item.due_on, day)
    return items, counts
