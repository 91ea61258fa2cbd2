"""Satisfaction averages for the dashboards: by agency, optionally by month, quarter or year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from cchc.feedback.models import CRITERIA, SatisfactionRating

_TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}
CRITERION_NAMES = [name for name, _label in CRITERIA]


@dataclass(frozen=True)
class SatisfactionAverage:
    unit_id: int
    unit_code: str
    unit_name: str
    period_start: dt.date | None  # the first day of the month/quarter/year; None when not split by period
    count: int
    overall: float | None
    criteria: dict[str, float | None]  # access, procedure, officials, result, feedback_handling (None: unrated)


def satisfaction_averages(
    start: dt.date, end: dt.date, *, units=None, period: str | None = None, source: str | None = None
) -> list[SatisfactionAverage]:
    """Average scores (1–5) of the ratings given from ``start`` to ``end`` inclusive, per agency and, with
    ``period`` ("month", "quarter" or "year"), per period. ``units`` narrows to some agencies (ids or a
    queryset); ``source`` to ratings after feedback ("feedback") or at one-stop desks ("one_stop").
    One query, whatever the number of ratings."""
    ratings = SatisfactionRating.objects.between(start, end)
    if units is not None:
        ratings = ratings.filter(unit__in=units)
    if source:
        ratings = ratings.filter(source=source)
    keys = ["unit_id", "unit__code", "unit__name"]
    if period is not None:
        if period not in _TRUNC:
            raise ValueError(f"period must be one of {sorted(_TRUNC)}")
        ratings = ratings.annotate(period_start=_TRUNC[period]("rated_on"))
        keys.append("period_start")
    rows = (
        ratings.values(*keys)
        .annotate(n=Count("id"), avg_overall=Avg("overall"), **{f"avg_{name}": Avg(name) for name in CRITERION_NAMES})
        .order_by(*(["period_start"] if period else []), "unit__name", "unit_id")
    )
    return [
        SatisfactionAverage(
            unit_id=row["unit_id"],
            unit_code=row["unit__code"],
            unit_name=row["unit__name"],
            period_start=_as_date(row.get("period_start")),
            count=row["n"],
            overall=_round(row["avg_overall"]),
            criteria={name: _round(row[f"avg_{name}"]) for name in CRITERION_NAMES},
        )
        for row in rows
    ]


def _round(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value
