"""Every figure the dashboards show, each computed in a fixed number of queries.

Whatever the number of agencies, activities or results, a dashboard page costs the same queries: the
functions here read whole sets at once (``cchc.reports.completeness`` for who owes a report,
``cchc.execution.progress`` for what was achieved against what was owed) and sum in Python.

The agencies a dashboard counts are those that owe a report for the period (``completeness``), narrowed by
the page's filters (kind of agency, area). The activity figures, the agency table, the spending and the
lists a figure links to all count over that same set, so every number on a page adds up to the others and
to the rows its link opens.

Counting rules, the same as the agencies' own reports:

- a result counts in the period whose data window (e.g. 15/12–14/3 for quarter I) holds its date, and only
  when it is recorded against one of the plan's obligations;
- a deliverable counts when its due date falls in the window; it is met on time, met late, missed (past due
  and not met as of today) or not yet due;
- a report is on time or late by its first submission; returned while it is back with the agency; missing
  once the due date has passed without one; not yet due before that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.execution.models import Deliverable, Result, ResultKind
from cchc.execution.progress import progress_by_kind
from cchc.lib import figcache
from cchc.orgs.models import Unit, UnitKind
from cchc.plans.models import Activity, AgencyRole, Obligation, Plan
from cchc.reports.completeness import AGENCY_GROUPS, GROUP_LABELS, agency_group, completeness, timeliness_of
from cchc.reports.models import Period, Report, ReportStatus

KIND_LABELS = dict(ResultKind.choices)
KIND_ORDER = {value: i for i, value in enumerate(ResultKind.values)}


def today() -> dt.date:
    """The day the dashboards count "as of" (one place, so tests can fix it)."""
    return timezone.localdate()


# --- Report states ------------------------------------------------------------------------------------------


class State:
    """Where an agency's report for a period stands, as the dashboards show it.

    The four of ``cchc.reports.completeness.Timeliness``, with "missing" split in two: before the due date
    an agency that has not sent is not late yet.
    """

    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    MISSING = "missing"
    NOT_DUE = "not_due"
    NOT_EXPECTED = "none"

    ORDER = (ON_TIME, LATE, RETURNED, MISSING, NOT_DUE)
    LABELS = {
        ON_TIME: _("Gửi đúng hạn"),
        LATE: _("Gửi trễ hạn"),
        RETURNED: _("Bị trả lại, chưa gửi lại"),
        MISSING: _("Quá hạn, chưa gửi"),
        NOT_DUE: _("Chưa đến hạn"),
        NOT_EXPECTED: _("Không phải báo cáo"),
    }
    SHORT = {
        ON_TIME: _("Đúng hạn"),
        LATE: _("Trễ hạn"),
        RETURNED: _("Trả lại"),
        MISSING: _("Chưa gửi"),
        NOT_DUE: _("Chưa đến hạn"),
        NOT_EXPECTED: "—",
    }
    # A shape for each state, so that colour is never the only signal (screen, print, PDF).
    ICONS = {ON_TIME: "✓", LATE: "!", RETURNED: "↩", MISSING: "✗", NOT_DUE: "○", NOT_EXPECTED: ""}


def report_state(report: Report | None, period: Period, day: dt.date) -> str:
    timeliness = timeliness_of(report, period)
    if timeliness == State.MISSING and day <= period.due_on:
        return State.NOT_DUE
    return timeliness


# --- Deliverable states -------------------------------------------------------------------------------------


class DeliverableState:
    """How ``cchc.execution.progress`` classes a deliverable due in a window, as of a day."""

    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    MISSED = "missed"
    NOT_YET_DUE = "not_yet_due"
    MET = "met"  # either of the first two, for links

    ORDER = (MET_ON_TIME, MET_LATE, MISSED, NOT_YET_DUE)
    LABELS = {
        MET_ON_TIME: _("Đạt đúng hạn"),
        MET_LATE: _("Đạt trễ hạn"),
        MISSED: _("Quá hạn, chưa đạt"),
        NOT_YET_DUE: _("Chưa đến hạn"),
        MET: _("Đã đạt"),
    }
    ICONS = {MET_ON_TIME: "✓", MET_LATE: "!", MISSED: "✗", NOT_YET_DUE: "○", MET: "✓"}

    @staticmethod
    def of(due_on: dt.date, met_on: dt.date | None, day: dt.date) -> str:
        if met_on is not None and met_on <= day:
            return DeliverableState.MET_ON_TIME if met_on <= due_on else DeliverableState.MET_LATE
        return DeliverableState.MISSED if day > due_on else DeliverableState.NOT_YET_DUE

    @staticmethod
    def condition(state: str, day: dt.date) -> Q | None:
        """The rows of ``state`` as a filter over ``Deliverable`` (the same rule as ``of``)."""
        met = Q(met_on__isnull=False, met_on__lte=day)
        return {
            DeliverableState.MET_ON_TIME: met & Q(met_on__lte=F("due_on")),
            DeliverableState.MET_LATE: met & Q(met_on__gt=F("due_on")),
            DeliverableState.MET: met,
            DeliverableState.MISSED: ~met & Q(due_on__lt=day),
            DeliverableState.NOT_YET_DUE: ~met & Q(due_on__gte=day),
        }.get(state)


# --- Filters: which agencies a page counts --------------------------------------------------------------------

GROUP_CHOICES = [(key, label) for key, label in AGENCY_GROUPS]
GROUP_KINDS = {
    "district": {UnitKind.DISTRICT_COMMITTEE},
    "commune": {UnitKind.COMMUNE_COMMITTEE},
}


@dataclass(frozen=True)
class Filters:
    """Kind of agency (the plan's three groups) and area (a district: itself and its communes)."""

    group: str = ""
    area: Unit | None = None

    def matches(self, unit: Unit) -> bool:
        if self.group and agency_group(unit.kind) != self.group:
            return False
        if self.area is not None and unit.pk != self.area.pk and unit.parent_id != self.area.pk:
            return False
        return True

    @property
    def active(self) -> bool:
        return bool(self.group or self.area)

    def unit_q(self, prefix: str = "unit__") -> Q:
        """The same selection as ``matches``, as a filter over rows that point at a unit through ``prefix``."""
        q = Q()
        local = [UnitKind.DISTRICT_COMMITTEE, UnitKind.COMMUNE_COMMITTEE]
        if self.group == "provincial":
            q &= ~Q(**{f"{prefix}kind__in": local})
        elif self.group in GROUP_KINDS:
            q &= Q(**{f"{prefix}kind__in": list(GROUP_KINDS[self.group])})
        if self.area is not None:
            q &= Q(**{f"{prefix}pk": self.area.pk}) | Q(**{f"{prefix}parent_id": self.area.pk})
        return q

    @property
    def key(self) -> str:
        """What the selection is, for a cache key."""
        return f"{self.group}|{self.area.pk if self.area is not None else ''}"

    def params(self) -> dict[str, str]:
        out = {}
        if self.group:
            out["group"] = self.group
        if self.area is not None:
            out["area"] = self.area.code
        return out

    @property
    def description(self) -> str:
        parts = []
        if self.group:
            parts.append(str(GROUP_LABELS[self.group]))
        if self.area is not None:
            parts.append(str(_("địa bàn %(name)s") % {"name": self.area.name}))
        return "; ".join(parts)


def area_choices(plan: Plan) -> list[Unit]:
    """The areas a page can be narrowed to: the districts (pre-2025) that owe work under the plan or whose
    communes do. One query; none for plans after the 2025 reorganisation, which have no districts."""
    obliged = Obligation.objects.filter(activity__plan=plan).values("unit_id")
    return list(
        Unit.objects.filter(kind=UnitKind.DISTRICT_COMMITTEE)
        .filter(Q(pk__in=obliged) | Q(children__pk__in=obliged))
        .distinct()
        .order_by("search_key")
        .only("id", "code", "name", "context", "kind", "parent_id", "search_key")
    )


# --- One period: agencies, activities, totals -----------------------------------------------------------------


@dataclass
class Counts:
    """Deliverables and results, summed over obligations."""

    obligations: int = 0
    deliverables_due: int = 0
    met_on_time: int = 0
    met_late: int = 0
    missed: int = 0
    not_yet_due: int = 0
    target_quantity: int = 0
    achieved_quantity: Decimal = Decimal(0)
    results: int = 0
    quantity: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    reach: int = 0
    with_results: int = 0  # obligations (so agencies, for one activity) with at least one result

    def add(self, row) -> None:
        self.obligations += 1
        self.deliverables_due += row.deliverables_due
        self.met_on_time += row.met_on_time
        self.met_late += row.met_late
        self.missed += row.missed
        self.not_yet_due += row.not_yet_due
        self.target_quantity += row.target_quantity
        self.achieved_quantity += row.achieved_quantity
        self.results += row.results
        self.quantity += row.quantity
        self.cost += row.cost
        self.reach += row.reach
        self.with_results += 1 if row.results else 0

    def merge(self, other: Counts) -> None:
        for name in (
            "obligations",
            "deliverables_due",
            "met_on_time",
            "met_late",
            "missed",
            "not_yet_due",
            "target_quantity",
            "achieved_quantity",
            "results",
            "quantity",
            "cost",
            "reach",
            "with_results",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def met(self) -> int:
        return self.met_on_time + self.met_late

    @property
    def percent_met(self) -> int | None:
        """Deliverables met of those due, in whole percent (None when nothing was due)."""
        if not self.deliverables_due:
            return None
        return round(100 * self.met / self.deliverables_due)

    def segments(self) -> list[tuple[str, int]]:
        return [
            (DeliverableState.MET_ON_TIME, self.met_on_time),
            (DeliverableState.MET_LATE, self.met_late),
            (DeliverableState.MISSED, self.missed),
            (DeliverableState.NOT_YET_DUE, self.not_yet_due),
        ]


@dataclass
class KindRow:
    kind: str
    results: int
    quantity: Decimal
    cost: Decimal
    reach: int

    @property
    def label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


@dataclass
class ActivityRow:
    activity: Activity
    counts: Counts = field(default_factory=Counts)
    kinds: list[KindRow] = field(default_factory=list)


@dataclass
class AgencyRow:
    unit: Unit
    report: Report | None
    state: str
    counts: Counts = field(default_factory=Counts)

    @property
    def group(self) -> str:
        return agency_group(self.unit.kind)

    @property
    def group_label(self) -> str:
        return str(GROUP_LABELS[self.group])

    @property
    def state_label(self) -> str:
        return str(State.LABELS[self.state])

    @property
    def days_late(self) -> int:
        """Days after the due date of the first submission (late), or so far (missing, returned)."""
        period = self.report.period if self.report is not None else None
        if self.state == State.LATE and self.report is not None:
            return (self.report.first_submitted_on - period.due_on).days
        return 0


@dataclass
class GroupRow:
    key: str
    label: str
    states: dict[str, int]
    counts: Counts

    @property
    def expected(self) -> int:
        return sum(self.states.values())


@dataclass
class Snapshot:
    """One plan, one period, one selection of agencies: everything the overview and agency table show."""

    plan: Plan
    period: Period
    filters: Filters
    day: dt.date
    agencies: list[AgencyRow]
    activities: list[ActivityRow]
    totals: Counts
    states: dict[str, int]
    groups: list[GroupRow]
    kinds: list[KindRow]

    @property
    def expected(self) -> int:
        return len(self.agencies)

    @property
    def submitted(self) -> int:
        return self.states[State.ON_TIME] + self.states[State.LATE]

    @property
    def accepted(self) -> int:
        return sum(1 for row in self.agencies if row.report and row.report.status == ReportStatus.ACCEPTED)

    @property
    def awaiting_review(self) -> int:
        return sum(1 for row in self.agencies if row.report and row.report.status == ReportStatus.SUBMITTED)

    @property
    def overdue(self) -> int:
        return self.states[State.MISSING] + (self.states[State.RETURNED] if self.day > self.period.due_on else 0)

    def state_rows(self) -> list[tuple[str, str, int]]:
        return [(key, str(State.LABELS[key]), self.states[key]) for key in State.ORDER]

    @property
    def unit_ids(self) -> list[int]:
        return [row.unit.pk for row in self.agencies]

    @property
    def result_count(self) -> int:
        """How many results ``progress.results_between(plan, period.start, period.end, unit_ids)`` holds: the
        snapshot summed them by activity and kind, each once."""
        return sum(kind.results for kind in self.kinds)


@dataclass
class NamedUnit:
    """An agency an activity names, shown to the activity's lead: no report (the lead does not see those)."""

    unit: Unit
    report: Report | None = None


def reminded_today(activity: Activity, day: dt.date) -> set[int]:
    """The agencies already reminded about ``activity`` on ``day`` (one query)."""
    from cchc.reports.models import AgencyReminder

    return set(
        AgencyReminder.objects.filter(about=f"activity:{activity.pk}", sent_on=day).values_list("unit_id", flat=True)
    )


def plan_activities(plan: Plan) -> list[Activity]:
    return list(
        Activity.objects.filter(plan=plan)
        .order_by("order", "id")
        .only(
            "id",
            "plan_id",
            "number",
            "title",
            "recurrence_every",
            "recurrence_count",
            "recurrence_unit",
            "funding",
            "counting",
            "order",
        )
    )


def selected_rows(period: Period, filters: Filters, day: dt.date):
    """The agencies that owe a report for ``period`` and pass ``filters``, with their reports. Two queries."""
    state = completeness(period, day)
    return [row for row in state.rows if filters.matches(row.unit)]


def snapshot(plan: Plan, period: Period, filters: Filters | None = None, day: dt.date | None = None) -> Snapshot:
    """The overview of one period. Seven queries whatever the number of agencies and results, none while the
    data has not changed since the last time it was asked for (``cchc.lib.figcache``)."""
    filters = filters or Filters()
    day = day or today()
    return figcache.cached(
        "snapshot", (plan.pk, period.pk, filters.key, day), lambda: _snapshot(plan, period, filters, day)
    )


def _snapshot(plan: Plan, period: Period, filters: Filters, day: dt.date) -> Snapshot:
    rows = selected_rows(period, filters, day)  # 2 queries
    unit_ids = [row.unit.pk for row in rows]
    agencies = {
        row.unit.pk: AgencyRow(unit=row.unit, report=row.report, state=report_state(row.report, period, day))
        for row in rows
    }
    activities = {a.pk: ActivityRow(activity=a) for a in plan_activities(plan)}  # 1 query
    totals = Counts()
    obligations, kinds = progress_by_kind(plan, period.start, period.end, unit_ids=unit_ids, as_of=day)  # 3
    for row in obligations.values():
        agency = agencies.get(row.unit_id)
        if agency is not None:
            agency.counts.add(row)
        activity = activities.get(row.activity_id)
        if activity is not None:
            activity.counts.add(row)
        totals.add(row)
    by_kind: dict[str, KindRow] = {}
    for (activity_id, kind), t in kinds.items():
        activity = activities.get(activity_id)
        if activity is not None:
            activity.kinds.append(KindRow(kind, t.results, t.quantity, t.cost, t.reach))
        k = by_kind.setdefault(kind, KindRow(kind, 0, Decimal(0), Decimal(0), 0))
        k.results += t.results
        k.quantity += t.quantity
        k.cost += t.cost
        k.reach += t.reach
    for activity in activities.values():
        activity.kinds.sort(key=lambda k: KIND_ORDER.get(k.kind, 99))
    states = dict.fromkeys(State.ORDER, 0)
    groups: dict[str, GroupRow] = {}
    for agency in agencies.values():
        states[agency.state] += 1
        group = groups.setdefault(
            agency.group, GroupRow(agency.group, agency.group_label, dict.fromkeys(State.ORDER, 0), Counts())
        )
        group.states[agency.state] += 1
        group.counts.merge(agency.counts)
    order = [key for key, _label in AGENCY_GROUPS]
    return Snapshot(
        plan=plan,
        period=period,
        filters=filters,
        day=day,
        agencies=list(agencies.values()),
        activities=list(activities.values()),
        totals=totals,
        states=states,
        groups=sorted(groups.values(), key=lambda g: order.index(g.key)),
        kinds=sorted(by_kind.values(), key=lambda k: KIND_ORDER.get(k.kind, 99)),
    )


# --- Spending ------------------------------------------------------------------------------------------------

NO_SOURCE = "-"


@dataclass
class SourceRow:
    source: str
    results: int
    cost: Decimal

    @property
    def param(self) -> str:
        return self.source or NO_SOURCE


def spending_by_source(plan: Plan, period: Period, unit_ids: list[int]) -> list[SourceRow]:
    """What the selected agencies spent in the period, by the funding source they gave. One query, none while
    the data has not changed."""
    units = hashlib.sha256(",".join(map(str, sorted(unit_ids))).encode()).hexdigest()
    return figcache.cached("spending", (plan.pk, period.pk, units), lambda: _spending_by_source(plan, period, unit_ids))


def _spending_by_source(plan: Plan, period: Period, unit_ids: list[int]) -> list[SourceRow]:
    rows = (
        Result.objects.filter(obligation__activity__plan=plan, unit_id__in=unit_ids)
        .between(period.start, period.end)
        .order_by()
        .values("funding_source")
        .annotate(n=Count("pk"), cost=Sum("cost"))
    )
    out = [SourceRow(r["funding_source"], r["n"], r["cost"] or Decimal(0)) for r in rows]
    return sorted(out, key=lambda r: (-r.cost, r.source))


# --- Agencies × periods ----------------------------------------------------------------------------------------


@dataclass
class GridCell:
    period: Period
    state: str
    report: Report | None

    @property
    def label(self) -> str:
        return str(State.LABELS[self.state])

    @property
    def short(self) -> str:
        return str(State.SHORT[self.state])

    @property
    def icon(self) -> str:
        return State.ICONS[self.state]

    @property
    def accepted(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.ACCEPTED


@dataclass
class GridRow:
    unit: Unit
    cells: list[GridCell]

    @property
    def group_label(self) -> str:
        return str(GROUP_LABELS[agency_group(self.unit.kind)])


def _valid_at(unit: Unit, day: dt.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or unit.valid_to >= day)


def status_grid(plan: Plan, periods: list[Period], filters: Filters, day: dt.date | None = None) -> list[GridRow]:
    """Every agency of the plan × every period: the state of its report. Two queries.

    An agency owes a report for a period when it has an obligation under the plan and exists at the end of
    the period's data window, or when it wrote one anyway (``cchc.reports.completeness.expected_units``).
    """
    day = day or today()
    return figcache.cached(
        "status_grid",
        (plan.pk, ",".join(str(p.pk) for p in periods), filters.key, day),
        lambda: _status_grid(plan, periods, filters, day),
    )


def _status_grid(plan: Plan, periods: list[Period], filters: Filters, day: dt.date) -> list[GridRow]:
    obliged = Obligation.objects.filter(activity__plan=plan).values("unit_id")
    reports = list(
        Report.objects.filter(period__plan=plan)
        .order_by()
        .only("id", "period_id", "unit_id", "status", "first_submitted_on", "submission_count")
    )
    reporting = {r.unit_id for r in reports}
    by_key = {(r.unit_id, r.period_id): r for r in reports}
    units = (
        Unit.objects.filter(Q(pk__in=obliged) | Q(pk__in=reporting))
        .order_by("kind", "search_key")
        .only("id", "code", "name", "context", "short_name", "kind", "parent_id", "valid_from", "valid_to")
    )
    out = []
    for unit in units:
        if not filters.matches(unit):
            continue
        cells = []
        for period in periods:
            report = by_key.get((unit.pk, period.pk))
            if report is not None:
                report.period = period
            if report is None and not _valid_at(unit, period.end):
                cells.append(GridCell(period, State.NOT_EXPECTED, None))
            else:
                cells.append(GridCell(period, report_state(report, period, day), report))
        out.append(GridRow(unit, cells))
    group_order = [key for key, _label in AGENCY_GROUPS]
    out.sort(key=lambda r: group_order.index(agency_group(r.unit.kind)))  # stable: kind, name within a group
    return out


# --- One agency --------------------------------------------------------------------------------------------------


@dataclass
class ObligationRow:
    activity: Activity
    role: str
    counts: Counts
    kinds: list[KindRow] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return str(AgencyRole(self.role).label)


def agency_obligations(plan: Plan, period: Period, unit: Unit, day: dt.date) -> list[ObligationRow]:
    """The agency's obligations with their progress in the period. Four queries."""
    activities = {a.pk: a for a in plan_activities(plan)}
    rows = {}
    obligations, kinds = progress_by_kind(plan, period.start, period.end, unit_ids=[unit.pk], as_of=day)
    for row in obligations.values():
        counts = Counts()
        counts.add(row)
        rows[row.activity_id] = ObligationRow(activities[row.activity_id], row.role, counts)
    for (activity_id, kind), t in kinds.items():
        if activity_id in rows:
            rows[activity_id].kinds.append(KindRow(kind, t.results, t.quantity, t.cost, t.reach))
    for row in rows.values():
        row.kinds.sort(key=lambda k: KIND_ORDER.get(k.kind, 99))
    return sorted(rows.values(), key=lambda r: (r.activity.order, r.activity.pk))


def agency_deadlines(plan: Plan, unit: Unit, day: dt.date) -> tuple[list[Deliverable], list[Deliverable]]:
    """(due this calendar month and not met, past due and not met) of the agency under the plan. One query."""
    first = day.replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    rows = list(
        Deliverable.objects.filter(obligation__activity__plan=plan, obligation__unit=unit)
        .filter(Q(due_on__gte=first, due_on__lt=next_month) | Q(due_on__lt=day))
        .filter(Q(met_on__isnull=True) | Q(met_on__gt=day))
        .select_related("obligation__activity")
        .order_by("due_on", "obligation__activity__order", "pk")
    )
    due = [d for d in rows if d.due_on >= day]
    late = [d for d in rows if d.due_on < day]
    return due, late


def agency_reports(plan: Plan, periods: list[Period], unit: Unit, day: dt.date) -> list[GridCell]:
    """The agency's report state in every period. One query."""
    reports = {
        r.period_id: r
        for r in Report.objects.filter(period__plan=plan, unit=unit)
        .order_by()
        .defer("results_text", "shortcomings_text", "proposals_text")
    }
    cells = []
    for period in periods:
        report = reports.get(period.pk)
        if report is not None:
            report.period = period
        if report is None and not _valid_at(unit, period.end):
            cells.append(GridCell(period, State.NOT_EXPECTED, None))
        else:
            cells.append(GridCell(period, report_state(report, period, day), report))
    return cells


# --- The public page ---------------------------------------------------------------------------------------------


def accepted_windows(plan: Plan) -> dict[tuple[tuple[dt.date, dt.date], ...], list[int]]:
    """Which days each agency's accepted reports cover, grouped: {(merged windows): [unit ids]}. One query.

    Periods overlap (quarter I lies inside the six months), so each agency's windows are merged; agencies with the
    same coverage (most of them) share one entry, which keeps the filter built from it short."""
    windows: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for unit_id, start, end in (
        Report.objects.filter(period__plan=plan, status=ReportStatus.ACCEPTED)
        .order_by()
        .values_list("unit_id", "period__start", "period__end")
    ):
        windows.setdefault(unit_id, []).append((start, end))
    groups: dict[tuple, list[int]] = {}
    for unit_id, spans in windows.items():
        merged: list[list[dt.date]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1] + dt.timedelta(days=1):
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        groups.setdefault(tuple((a, b) for a, b in merged), []).append(unit_id)
    return groups


def accepted_cover(windows: dict, unit_field: str, day_field: str) -> Q:
    """Rows whose unit has an accepted report covering the row's day (``accepted_windows``); matches nothing
    when no report is accepted yet."""
    q = Q(pk__in=[])
    for spans, unit_ids in windows.items():
        days = Q()
        for start, end in spans:
            days |= Q(**{f"{day_field}__gte": start, f"{day_field}__lte": end})
        q |= Q(**{f"{unit_field}__in": sorted(unit_ids)}) & days
    return q


def public_results(plan: Plan, windows: dict | None = None):
    """Results the public page may count: marked public by their unit, and inside an accepted report."""
    windows = accepted_windows(plan) if windows is None else windows
    return (
        Result.objects.filter(obligation__activity__plan=plan)
        .published()
        .filter(accepted_cover(windows, "unit_id", "occurred_on"))
    )


@dataclass
class PublicActivity:
    activity: Activity
    agencies: int = 0  # obligated agencies
    reporting: int = 0  # agencies with counted public results
    results: int = 0
    reach: int = 0
    cost: Decimal = Decimal(0)
    kinds: list[KindRow] = field(default_factory=list)
    deliverables: Counts = field(default_factory=Counts)


@dataclass
class PublicProgress:
    plan: Plan
    day: dt.date
    activities: list[PublicActivity]
    periods: list[tuple[Period, int]]  # period, accepted reports

    @property
    def totals(self) -> PublicActivity:
        out = PublicActivity(activity=None)
        for a in self.activities:
            out.results += a.results
            out.reach += a.reach
            out.cost += a.cost
            out.deliverables.merge(a.deliverables)
        return out


def public_progress(plan: Plan, day: dt.date | None = None) -> PublicProgress:
    """The plan's progress as the public may see it. Eight queries whatever the number of agencies and results.

    Results count only when their unit marked them public and an accepted report covers them; a deliverable
    counts only when an accepted report of its agency covers its due date. Nothing personal is read.
    """
    day = day or today()
    return figcache.cached("public_progress", (plan.pk, day), lambda: _public_progress(plan, day))


def _public_progress(plan: Plan, day: dt.date) -> PublicProgress:
    activities = {a.pk: PublicActivity(activity=a) for a in plan_activities(plan)}
    for row in Obligation.objects.filter(activity__plan=plan).order_by().values("activity_id").annotate(n=Count("pk")):
        if row["activity_id"] in activities:
            activities[row["activity_id"]].agencies = row["n"]
    windows = accepted_windows(plan)
    counted = public_results(plan, windows).order_by()
    # Per activity and kind in SQL (a hundred rows), and apart how many of each activity's agencies have any: one
    # pass by obligation and kind brought 19,000 rows into Python at 100,000 results and made PostgreSQL sort them
    # on disk (120 ms of SQL and about as much of Python, against about 100 ms of SQL for both and no Python).
    sums = {"n": Count("pk"), "quantity": Sum("quantity"), "cost": Sum("cost"), "reach": Sum("reach")}
    for activity_id, kind, n, quantity, cost, reach in (
        counted.values("obligation__activity_id", "kind")
        .annotate(**sums)
        .values_list("obligation__activity_id", "kind", "n", "quantity", "cost", "reach")
    ):
        a = activities.get(activity_id)
        if a is None:
            continue
        quantity, cost, reach = quantity or Decimal(0), cost or Decimal(0), reach or 0
        a.kinds.append(KindRow(kind, n, quantity, cost, reach))
        a.results += n
        a.reach += reach
        a.cost += cost
    for activity_id, n in (
        counted.values("obligation__activity_id")
        .annotate(n=Count("obligation_id", distinct=True))
        .values_list("obligation__activity_id", "n")
    ):
        if activity_id in activities:
            activities[activity_id].reporting = n
    covered = (
        Deliverable.objects.filter(obligation__activity__plan=plan)
        .filter(accepted_cover(windows, "obligation__unit_id", "due_on"))
        .order_by()
    )
    for activity_id, due_on, met_on in covered.values_list("obligation__activity_id", "due_on", "met_on"):
        a = activities.get(activity_id)
        if a is None:
            continue
        c = a.deliverables
        c.deliverables_due += 1
        state = DeliverableState.of(due_on, met_on, day)
        if state == DeliverableState.MET_ON_TIME:
            c.met_on_time += 1
        elif state == DeliverableState.MET_LATE:
            c.met_late += 1
        elif state == DeliverableState.MISSED:
            c.missed += 1
        else:
            c.not_yet_due += 1
    for a in activities.values():
        a.kinds.sort(key=lambda k: KIND_ORDER.get(k.kind, 99))
    accepted = dict(
        Report.objects.filter(period__plan=plan, status=ReportStatus.ACCEPTED)
        .order_by()
        .values_list("period_id")
        .annotate(n=Count("pk"))
    )
    periods = [(p, accepted.get(p.pk, 0)) for p in Period.objects.filter(plan=plan).order_by("end", "-start")]
    return PublicProgress(plan=plan, day=day, activities=list(activities.values()), periods=periods)


# --- Who has made its own plan (section IV) ---------------------------------------------------------------------


class SubPlanState:
    APPROVED = "approved"
    DRAFT = "draft"
    NONE = "none"
    ORDER = (APPROVED, DRAFT, NONE)
    LABELS = {
        APPROVED: _("Đã phê duyệt kế hoạch"),
        DRAFT: _("Đang dự thảo hoặc chờ phê duyệt"),
        NONE: _("Chưa có kế hoạch"),
    }


@dataclass
class SubPlanRow:
    unit: Unit
    state: str
    subplan_id: int | None = None
    status_label: str = ""
    reminded: bool = False

    @property
    def group_label(self) -> str:
        return str(GROUP_LABELS[agency_group(self.unit.kind)])


def subplan_states(plan: Plan, day: dt.date) -> list[SubPlanRow]:
    """Every agency the plan gives work to, with where its own plan stands. Three queries, none while the data
    has not changed."""
    return figcache.cached("subplan_states", (plan.pk, day), lambda: _subplan_states(plan, day))


def _subplan_states(plan: Plan, day: dt.date) -> list[SubPlanRow]:
    from cchc.execution.models import SubPlan, SubPlanStatus
    from cchc.reports.models import AgencyReminder

    units = list(
        Unit.objects.filter(pk__in=Obligation.objects.filter(activity__plan=plan).values("unit_id"))
        .only("id", "code", "name", "context", "kind", "search_key")
        .order_by("kind", "search_key", "pk")
    )
    subplans = {
        unit_id: (pk, status)
        for unit_id, pk, status in SubPlan.objects.filter(plan=plan).values_list("unit_id", "pk", "status")
    }
    reminded = set(
        AgencyReminder.objects.filter(about=f"subplan:{plan.pk}", sent_on=day).values_list("unit_id", flat=True)
    )
    labels = dict(SubPlanStatus.choices)
    rows = []
    for unit in units:
        pk, status = subplans.get(unit.pk, (None, ""))
        if status == SubPlanStatus.APPROVED:
            state = SubPlanState.APPROVED
        elif status:
            state = SubPlanState.DRAFT
        else:
            state = SubPlanState.NONE
        rows.append(SubPlanRow(unit, state, pk, str(labels.get(status, "")), unit.pk in reminded))
    order = [key for key, _label in AGENCY_GROUPS]
    rows.sort(key=lambda r: order.index(agency_group(r.unit.kind)))
    return rows
