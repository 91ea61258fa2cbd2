"""Who owes a report for a period, and who sent it on time, late, had it returned, or is missing.

Two queries whatever the number of agencies: the expected units, and the period's reports.

Timeliness is judged by the *first* submission: an agency that sent its report by the due date and
had it returned for corrections sent on time; the correction cycle is shown separately (returned).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.lib import figcache
from cchc.orgs.models import Unit, UnitKind
from cchc.plans.models import Obligation
from cchc.reports.models import Period, Report, ReportStatus


class Timeliness:
    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    MISSING = "missing"

    LABELS = {
        ON_TIME: _("Gửi đúng hạn"),
        LATE: _("Gửi trễ hạn"),
        RETURNED: _("Bị trả lại, chưa gửi lại"),
        MISSING: _("Chưa gửi"),
    }
    ORDER = (ON_TIME, LATE, RETURNED, MISSING)


# Consolidation and completeness group agencies the way the plan names them.
AGENCY_GROUPS = (
    ("provincial", _("Sở, ban, ngành và cơ quan cấp tỉnh")),
    ("district", _("UBND cấp huyện")),
    ("commune", _("UBND cấp xã")),
)
GROUP_LABELS = dict(AGENCY_GROUPS)


def agency_group(kind: str) -> str:
    if kind == UnitKind.DISTRICT_COMMITTEE:
        return "district"
    if kind == UnitKind.COMMUNE_COMMITTEE:
        return "commune"
    return "provincial"  # departments, sector agencies, press, service centres and the like


def expected_units(period: Period):
    """Units that owe a report: obliged under the plan and in existence at the end of the data window,
    plus any unit that has a report for the period anyway (a unit closed since, for instance)."""
    obliged = Obligation.objects.filter(activity__plan_id=period.plan_id).values("unit_id")
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=period.end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.end)
    )
    reporting = Report.objects.filter(period=period).values("unit_id")
    return Unit.objects.filter((Q(pk__in=obliged) & valid) | Q(pk__in=reporting))


def timeliness_of(report: Report | None, period: Period) -> str:
    if report is None or report.status == ReportStatus.DRAFT:
        return Timeliness.MISSING
    if report.status in (ReportStatus.RETURNED, ReportStatus.REVISED):
        return Timeliness.RETURNED
    return Timeliness.ON_TIME if report.first_submitted_on <= period.due_on else Timeliness.LATE


@dataclass
class Row:
    unit: Unit
    report: Report | None
    timeliness: str
    overdue: bool

    @property
    def group(self) -> str:
        return agency_group(self.unit.kind)

    @property
    def timeliness_label(self) -> str:
        return Timeliness.LABELS[self.timeliness]

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else _("Chưa lập")


@dataclass
class Completeness:
    period: Period
    today: dt.date
    rows: list[Row] = field(default_factory=list)

    def count(self, timeliness: str) -> int:
        return sum(1 for row in self.rows if row.timeliness == timeliness)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return self.count(Timeliness.ON_TIME) + self.count(Timeliness.LATE)

    @property
    def accepted(self) -> int:
        return sum(1 for row in self.rows if row.report and row.report.status == ReportStatus.ACCEPTED)

    @property
    def awaiting_review(self) -> int:
        return sum(1 for row in self.rows if row.report and row.report.status == ReportStatus.SUBMITTED)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    def counts(self) -> dict[str, int]:
        return {key: self.count(key) for key in Timeliness.ORDER}

    def summary(self) -> list[tuple[str, str, int]]:
        return [(key, Timeliness.LABELS[key], self.count(key)) for key in Timeliness.ORDER]

    def by_group(self) -> list[dict]:
        out = []
        for key, label in AGENCY_GROUPS:
            rows = [row for row in self.rows if row.group == key]
            if rows:
                out.append(
                    {
                        "key": key,
                        "label": label,
                        "expected": len(rows),
                        **{t: sum(1 for r in rows if r.timeliness == t) for t in Timeliness.ORDER},
                    }
                )
        return out


def completeness(period: Period, today: dt.date | None = None, *, with_narratives: bool = False) -> Completeness:
    """Every expected unit of ``period`` with its report (or None) and where it stands on ``today``: computed
    once until the data changes (``cchc.lib.figcache``)."""
    today = today or timezone.localdate()
    return figcache.cached(
        "completeness", (period.pk, today, with_narratives), lambda: _completeness(period, today, with_narratives)
    )


def _completeness(period: Period, today: dt.date, with_narratives: bool) -> Completeness:
    units = (
        expected_units(period)
        .order_by("kind", "name")
        .only("id", "code", "name", "context", "short_name", "kind", "parent_id")
    )
    reports = Report.objects.filter(period=period)
    if not with_narratives:
        reports = reports.defer("results_text", "shortcomings_text", "proposals_text")
    by_unit = {report.unit_id: report for report in reports}
    result = Completeness(period=period, today=today)
    for unit in units:
        report = by_unit.get(unit.pk)
        if report is not None:
            report.period = period  # saves a query per row when templates show the report
        timeliness = timeliness_of(report, period)
        overdue = timeliness in (Timeliness.MISSING, Timeliness.RETURNED) and today > period.due_on
        result.rows.append(Row(unit=unit, report=report, timeliness=timeliness, overdue=overdue))
    return result
