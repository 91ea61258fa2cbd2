"""When recurring work falls due: the calendar slots of an activity's recurrence, without a database.

The rule (documented for agencies on the deliverables page):

- An activity with a recurrence ("01 chuyên mục/01 tháng", "Hằng quý", "Định kỳ 6 tháng", "01 lần/năm",
  "02 tin/tuần") produces one deliverable per calendar month, quarter, half-year, year or ISO week (Monday to
  Sunday) that overlaps the activity's period; an activity without a period runs the whole plan year.
- A slot runs from the later of its calendar start and the activity's start to the earlier of its calendar
  end and the activity's end. Its **due date is the last day of the slot**: the end of the month, quarter,
  year or week, or the activity's end when that comes first. Due dates are calendar days, not moved off
  weekends or holidays: an agency that airs its March episode on Sunday 31/03 has met it on time.
- The target of each slot is the recurrence's count (1 when the plan gives none), in the recurrence's unit.
- Each slot has a stable key (``2024-M03``, ``2024-Q2``, ``2024-H1``, ``2024-Y``, ``2024-W05``) so that re-generating
  after the activity changes keeps the deliverables (and the results recorded against them) that still apply.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Slot:
    key: str
    label: str
    start: dt.date
    end: dt.date

    @property
    def due_on(self) -> dt.date:
        return self.end


def _month_slots(start: dt.date, end: dt.date):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        yield f"{year}-M{month:02d}", _("Tháng %(month)s/%(year)s") % {"month": month, "year": year}, first, last
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _quarter_slots(start: dt.date, end: dt.date):
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while (year, quarter) <= (end.year, (end.month - 1) // 3 + 1):
        first = dt.date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        last = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        yield f"{year}-Q{quarter}", _("Quý %(number)s/%(year)s") % {"number": ROMAN[quarter], "year": year}, first, last
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _half_year_slots(start: dt.date, end: dt.date):
    for year in range(start.year, end.year + 1):
        yield f"{year}-H1", f"6 tháng đầu năm {year}", dt.date(year, 1, 1), dt.date(year, 6, 30)
        yield f"{year}-H2", f"6 tháng cuối năm {year}", dt.date(year, 7, 1), dt.date(year, 12, 31)


def _year_slots(start: dt.date, end: dt.date):
    for year in range(start.year, end.year + 1):
        yield f"{year}-Y", _("Năm %(year)s") % {"year": year}, dt.date(year, 1, 1), dt.date(year, 12, 31)


def _week_slots(start: dt.date, end: dt.date):
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        iso_year, week, _weekday = monday.isocalendar()
        sunday = monday + dt.timedelta(days=6)
        yield f"{iso_year}-W{week:02d}", _("Tuần %(week)s/%(year)s") % {"week": week, "year": iso_year}, monday, sunday
        monday += dt.timedelta(days=7)


GENERATORS = {
    "month": _month_slots,
    "quarter": _quarter_slots,
    "half_year": _half_year_slots,
    "year": _year_slots,
    "week": _week_slots,
}


def slots(every: str, start: dt.date, end: dt.date) -> list[Slot]:
    """The slots of a recurrence ``every`` (month, quarter, half_year, year, week) over ``start``..``end``, clipped."""
    if every not in GENERATORS:
        raise ValueError(f"unknown recurrence {every!r}")
    if end < start:
        return []
    return [
        Slot(key, label, max(first, start), min(last, end))
        for key, label, first, last in GENERATORS[every](start, end)
        if first <= end and last >= start
    ]


def slot_for(day: dt.date, schedule: list[Slot]) -> Slot | None:
    """The slot whose dates contain ``day`` (a result is counted in the period it happened in)."""
    for slot in schedule:
        if slot.start <= day <= slot.end:
            return slot
    return None
