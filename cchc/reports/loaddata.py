"""Reports in bulk for generated data sets (benchmarks, ``cchc generate_load_data``): never a real province's.

``load_reports`` writes a period's reports with their frozen figures in a handful of queries, by the same
drafting code the application uses (``figures_for_units``), without audit entries.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from cchc.plans.models import Obligation
from cchc.reports.actions import default_signers, do_ensure_periods
from cchc.reports.figures import figures_for_units
from cchc.reports.models import Period, Report, ReportOutcome, ReportStatus, ReportVersion

NARRATIVES = {
    "results_text": "Đã triển khai các hình thức tuyên truyền theo kế hoạch.",
    "shortcomings_text": "Kinh phí cho tuyên truyền còn hạn chế.",
    "proposals_text": "Đề nghị tập huấn nghiệp vụ cho công chức đầu mối.",
}


def load_reports(period: Period, outcomes: dict[int, str], *, reviewer=None) -> int:
    """Reports of ``period`` for the units in ``outcomes`` (unit id → "accepted" | "submitted" | "draft"),
    sent on the due date; accepted ones reviewed by ``reviewer`` the next day."""
    from cchc.orgs.models import Unit

    units = Unit.objects.filter(pk__in=outcomes).only("id", "kind", "name")
    signers = default_signers(units)
    sent = timezone.make_aware(dt.datetime.combine(period.due_on, dt.time(9)))
    reviewed = sent + dt.timedelta(days=1)
    reports = []
    for unit in units:
        status = outcomes[unit.pk]
        report = Report(period=period, unit=unit, status=status, **NARRATIVES, **signers[unit.pk])
        if status != ReportStatus.DRAFT:
            report.submission_count, report.first_submitted_on, report.submitted_at = 1, period.due_on, sent
        if status == ReportStatus.ACCEPTED:
            report.reviewed_at, report.reviewed_by = reviewed, reviewer
        reports.append(report)
    Report.objects.bulk_create(reports, batch_size=1000)
    sent_reports = [r for r in reports if r.status != ReportStatus.DRAFT]
    figures = figures_for_units(period.plan, [r.unit_id for r in sent_reports], period.start, period.end)
    versions = ReportVersion.objects.bulk_create(
        [
            ReportVersion(
                report=r,
                number=1,
                figures=figures[r.unit_id][0],
                items=figures[r.unit_id][1],
                narratives=r.narratives(),
                submitted_at=sent,
                outcome=ReportOutcome.ACCEPTED if r.status == ReportStatus.ACCEPTED else "",
                reviewed_at=reviewed if r.status == ReportStatus.ACCEPTED else None,
                reviewed_by=reviewer if r.status == ReportStatus.ACCEPTED else None,
            )
            for r in sent_reports
        ],
        batch_size=500,
    )
    for report, version in zip(sent_reports, versions, strict=True):
        report.current_version = version
    Report.objects.bulk_update(sent_reports, ["current_version"], batch_size=1000)
    return len(reports)


def step_reports(ctx) -> dict:
    """``cchc.ops.loaddata`` step: every plan's periods, and quarter I reported by most agencies —
    85% accepted, 5% waiting for review, 5% drafts, 5% missing."""
    from cchc.accounts.models import Role, User

    rng = random.Random(getattr(getattr(ctx, "options", None), "seed", 2024))
    total = 0
    for data in ctx.provinces:
        if data.plan is None:
            continue
        q1 = next(p for p in do_ensure_periods(data.plan) if p.kind == "Q1")
        reviewer = User.objects.filter(role=Role.COORDINATOR, unit=data.committee).first()
        unit_ids = sorted(set(Obligation.objects.filter(activity__plan=data.plan).values_list("unit_id", flat=True)))
        outcomes = {}
        for unit_id in unit_ids:
            roll = rng.random()
            if roll < 0.05:
                continue
            outcomes[unit_id] = (
                ReportStatus.DRAFT if roll < 0.10 else ReportStatus.SUBMITTED if roll < 0.15 else ReportStatus.ACCEPTED
            )
        total += load_reports(q1, outcomes, reviewer=reviewer)
    return {"reports": total}
