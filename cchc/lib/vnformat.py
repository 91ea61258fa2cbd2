"""Numbers and dates written the Vietnamese way: "1.234.567", "2,5", "ngày 05 tháng 02 năm 2024"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation


def vn_number(value) -> str:
    """Thousands separated by dots, decimals by a comma: 1234567 → "1.234.567", 2.5 → "2,5"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if number < 0 else ""
    text = format(abs(number).normalize(), "f")
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    fraction = fraction.rstrip("0")
    return f"{sign}{out},{fraction}" if fraction else f"{sign}{out}"


def vn_long_date(day: dt.date | None, year: int | None = None) -> str:
    """ "ngày 05 tháng 02 năm 2024" as Nghị định 30/2020/NĐ-CP writes it: a zero before days under 10
    and before months 1 and 2; blanks to be filled by hand when there is no date yet."""
    if day is None:
        return f"ngày      tháng      năm {year or ''}".rstrip()
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_short_date(day: dt.date | str | None) -> str:
    if not day:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")
