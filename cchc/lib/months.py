"""Calendar-month arithmetic for retention periods ("kept 12 months")."""

from __future__ import annotations

import calendar
import datetime as dt


def months_before(moment: dt.datetime | dt.date, months: int):
    """The same day (and time) ``months`` earlier; a day the month lacks becomes its last day (31/3 → 28/2)."""
    year, month0 = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month = month0 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
