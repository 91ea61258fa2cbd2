"""Test data for reports: results made directly with the ORM (the execution UI is another app's)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from cchc.accounts.models import Role
from cchc.execution.models import Result, ResultKind
from cchc.plans.models import Obligation
from cchc.reports.actions import do_save_report, do_start_report, do_submit_report
from cchc.reports.models import Period
from cchc.testing import make_user

_seq = itertools.count(1)
Q1_DAY = dt.date(2024, 2, 1)


def q1(plan, code: str = "2024-Q1") -> Period:
    """The plan's period ``code``: created with the plan by its action (no page or test prepares it)."""
    return Period.objects.get(plan=plan, code=code)


def obligation(plan, unit, number: str = "1") -> Obligation | None:
    return Obligation.objects.filter(activity__plan=plan, activity__number=number, unit=unit).first()


def make_result(unit, *, plan=None, number: str | None = "1", occurred_on: dt.date = Q1_DAY, **overrides) -> Result:
    """A result of ``unit``, against its obligation under activity ``number`` of ``plan`` (None: none)."""
    data = {
        "unit": unit,
        "kind": ResultKind.NEWS_ARTICLE,
        "title": f"Tin CCHC số {next(_seq)}",
        "occurred_on": occurred_on,
        "quantity": Decimal(1),
        "quantity_unit": "tin, bài",
        "reach": 100,
        "cost": Decimal(0),
    }
    if plan is not None and number is not None:
        data["obligation"] = obligation(plan, unit, number)
    data.update(overrides)
    return Result.objects.create(**data)


def make_head(unit, username: str | None = None):
    return make_user(username, role=Role.HEAD, unit=unit, full_name=f"Thủ trưởng {unit.name}")


def on(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def submitted(period, unit, head, *, text: str = "Đã thực hiện đầy đủ.", day: dt.date | None = None):
    """The unit's report for ``period``, written and submitted by ``head`` (on the due date by default)."""
    report = do_start_report(period, unit, actor=head)
    report = do_save_report(report, {"results_text": text}, expected_version=report.version, actor=head)
    return do_submit_report(report, actor=head, now=on(day or period.due_on))
