"""Reporting periods of the CCHC reporting regime, computed without the database.

The regime counts data from the 15th of the month before a period to the 14th of its last month
(quarter I: 15/12 of the previous year – 14/3; six months: 15/12 – 14/6; quarter III: 15/6 – 14/9;
year: 15/12 – 14/12). Agencies report on the 15th of the period's last month; the province
(Sở Nội vụ) reports to the Provincial People's Committee by the 20th. Plans may change the cut-off
day and both due days, and may ask for quarter II, quarter IV and monthly reports as well.

Periods are named ``2024-Q1``, ``2024-H1``, ``2024-Q3``, ``2024-Y`` and, where a plan asks for them,
``2024-Q2``, ``2024-Q4``, ``2024-M05``.

A due date that falls on a weekend or a public holiday moves to the next working day: this is the
rule of Article 148(5) of the Civil Code 2015 ("khi ngày cuối cùng của thời hạn là ngày nghỉ cuối
tuần hoặc ngày nghỉ lễ thì thời hạn kết thúc tại thời điểm kết thúc ngày làm việc tiếp theo ngày nghỉ
đó"). A plan can switch the move off; the screen then only warns (see ``DueDate.note``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.lib.workdays import holiday_name, is_working_day

DEFAULT_CUTOFF_DAY = 14
DEFAULT_DUE_DAY = 15
DEFAULT_PROVINCE_DUE_DAY = 20

# The reports the regime always asks for, and the ones a plan may add.
DEFAULT_KINDS = ("Q1", "H1", "Q3", "Y")
OPTIONAL_KINDS = ("Q2", "Q4", "M")  # "M" stands for the twelve monthly periods M01..M12

# kind -> (first month, last month) of the data window (the first month's data start in the month before).
_SPANS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "Y": (1, 12)}
_ROMAN = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV"}
_CODE = re.compile(r"^(?P<year>\d{4})-(?P<kind>Q[1-4]|H1|Y|M(?:0[1-9]|1[0-2]))$")
_WEEKDAYS = [
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
]


class PeriodError(ValueError):
    """A period code or rule that cannot be used; the message is in Vietnamese for the user."""


@dataclass(frozen=True)
class Rules:
    """How one plan's periods are cut. Validated on construction."""

    cutoff_day: int = DEFAULT_CUTOFF_DAY
    due_day: int = DEFAULT_DUE_DAY
    province_due_day: int = DEFAULT_PROVINCE_DUE_DAY
    extra_kinds: tuple[str, ...] = ()
    shift_to_working_day: bool = True

    def __post_init__(self):
        for name, value in (
            ("ngày chốt số liệu", self.cutoff_day),
            ("ngày hạn báo cáo của đơn vị", self.due_day),
            ("ngày hạn báo cáo của tỉnh", self.province_due_day),
        ):
            if not 1 <= value <= 31:
                raise PeriodError(f"{name.capitalize()} phải từ 1 đến 31 (đang là {value}).")
        unknown = set(self.extra_kinds) - set(OPTIONAL_KINDS)
        if unknown:
            raise PeriodError(f"Loại kỳ báo cáo không hợp lệ: {', '.join(sorted(unknown))}.")

    @property
    def kinds(self) -> tuple[str, ...]:
        kinds = list(DEFAULT_KINDS)
        for kind in ("Q2", "Q4"):
            if kind in self.extra_kinds:
                kinds.append(kind)
        if "M" in self.extra_kinds:
            kinds += [f"M{m:02d}" for m in range(1, 13)]
        return tuple(kinds)


@dataclass(frozen=True)
class DueDate:
    """A due date as the rules set it, and the day it really falls due."""

    nominal: dt.date
    effective: dt.date

    @property
    def moved(self) -> bool:
        return self.effective != self.nominal

    @property
    def on_non_working_day(self) -> bool:
        return not is_working_day(self.nominal)

    @property
    def note(self) -> str:
        """What the screen says when the nominal date is not a working day ("" when it is)."""
        if not self.on_non_working_day:
            return ""
        why = holiday_name(self.nominal) or _WEEKDAYS[self.nominal.weekday()]
        values = {
            "nominal": f"{self.nominal:%d/%m/%Y}",
            "why": why,
            "weekday": _WEEKDAYS[self.effective.weekday()],
            "effective": f"{self.effective:%d/%m/%Y}",
        }
        if self.moved:
            return (
                _(
                    "Ngày %(nominal)s là ngày nghỉ (%(why)s); hạn chuyển sang %(weekday)s %(effective)s "
                    "(ngày làm việc tiếp theo)."
                )
                % values
            )
        return _("Ngày %(nominal)s là ngày nghỉ (%(why)s); hạn không được chuyển theo cấu hình của kế hoạch.") % values


@dataclass(frozen=True)
class PeriodSpec:
    year: int
    kind: str
    start: dt.date
    end: dt.date
    due: DueDate
    province_due: DueDate

    @property
    def code(self) -> str:
        return f"{self.year}-{self.kind}"

    @property
    def label(self) -> str:
        return period_label(self.year, self.kind)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def period_label(year: int, kind: str) -> str:
    """ "Quý I năm 2024", "6 tháng đầu năm 2024", "Năm 2024", "Tháng 5 năm 2024" (in the active language;
    official documents are written with Vietnamese active)."""
    if kind in _ROMAN:
        return _("Quý %(number)s năm %(year)s") % {"number": _ROMAN[kind], "year": year}
    if kind == "H1":
        return _("6 tháng đầu năm %(year)s") % {"year": year}
    if kind == "Y":
        return _("Năm %(year)s") % {"year": year}
    if kind.startswith("M"):
        return _("Tháng %(month)s năm %(year)s") % {"month": int(kind[1:]), "year": year}
    raise PeriodError(f"Loại kỳ báo cáo không hợp lệ: {kind}.")


def parse_code(code: str) -> tuple[int, str]:
    """``"2024-Q1"`` → ``(2024, "Q1")``; a clear Vietnamese error otherwise."""
    match = _CODE.match((code or "").strip().upper())
    if match is None:
        raise PeriodError(
            f"Mã kỳ báo cáo “{code}” không hợp lệ. Dùng dạng 2024-Q1, 2024-H1, 2024-Q3, 2024-Y "
            "(hoặc 2024-Q2, 2024-Q4, 2024-M05 nếu kế hoạch có các kỳ này)."
        )
    return int(match["year"]), match["kind"]


def _month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _day_in(year: int, month: int, day: int) -> dt.date:
    """The ``day``-th of a month, clamped to its last day (a cut-off of 31 means "end of month")."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _span(kind: str) -> tuple[int, int]:
    if kind.startswith("M"):
        month = int(kind[1:])
        return month, month
    return _SPANS[kind]


def _due_after(end: dt.date, day: int) -> dt.date:
    """The first ``day``-th of a month strictly after the end of the data window."""
    candidate = _day_in(end.year, end.month, day)
    if candidate > end:
        return candidate
    year, month = _month_shift(end.year, end.month, 1)
    return _day_in(year, month, day)


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def due_date(nominal: dt.date, shift: bool) -> DueDate:
    return DueDate(nominal, next_working_day(nominal) if shift else nominal)


def compute_period(year: int, kind: str, rules: Rules | None = None) -> PeriodSpec:
    rules = rules or Rules()
    first, last = _span(kind)
    end = _day_in(year, last, rules.cutoff_day)
    before_year, before_month = _month_shift(year, first, -1)
    start = _day_in(before_year, before_month, rules.cutoff_day) + dt.timedelta(days=1)
    return PeriodSpec(
        year=year,
        kind=kind,
        start=start,
        end=end,
        due=due_date(_due_after(end, rules.due_day), rules.shift_to_working_day),
        province_due=due_date(_due_after(end, rules.province_due_day), rules.shift_to_working_day),
    )


def periods_for_year(year: int, rules: Rules | None = None) -> list[PeriodSpec]:
    """Every period a plan of ``year`` reports on, in the order they fall due (shorter first on a tie)."""
    rules = rules or Rules()
    specs = [compute_period(year, kind, rules) for kind in rules.kinds]
    return sorted(specs, key=lambda s: (s.end, -s.start.toordinal()))


def period_for_code(code: str, rules: Rules | None = None) -> PeriodSpec:
    rules = rules or Rules()
    year, kind = parse_code(code)
    if kind not in rules.kinds:
        raise PeriodError(f"Kế hoạch không có kỳ báo cáo {code} ({period_label(year, kind)}).")
    return compute_period(year, kind, rules)
