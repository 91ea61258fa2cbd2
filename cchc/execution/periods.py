"""Calendar periods for filtering lists ("2024-Q1", "2024-M03", "2024-Y"), built on the deliverable slots.

These are plain calendar periods. The reporting periods of the CCHC regime (quarter I = 15/12 – 14/3 ...)
belong to the reports app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cchc.execution.schedule import Slot, slots


def calendar_periods(years: Iterable[int]) -> list[Slot]:
    out: list[Slot] = []
    for year in sorted(set(years), reverse=True):
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        out += slots("year", first, last) + slots("quarter", first, last) + slots("month", first, last)
    return out


def parse_period(code: str) -> Slot | None:
    """The calendar period named ``code``, or None when it names none."""
    try:
        year = int(code[:4])
    except (TypeError, ValueError):
        return None
    if not 2000 <= year <= 2100:
        return None
    for slot in calendar_periods([year]):
        if slot.key == code:
            return slot
    return None
