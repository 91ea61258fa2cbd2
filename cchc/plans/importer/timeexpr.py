"""Vietnamese time expressions → a period {start, end} and a recurrence {every, count, unit}.

Every explicit piece of time in the text (a date, a month or month range, a quarter, a half-year) is
turned into a span, and the period is the union of the spans: "Quý I, Quý II năm 2024" → January to
June, "Từ tháng 4 đến tháng 9" → April to September. Only when no explicit piece is found do the
whole-year words ("Thường xuyên", "Cả năm", "Hằng tháng") apply, and event-driven phrases ("Theo kế
hoạch", "Khi có yêu cầu") give no period at all.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .textutil import fold_aligned

ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
UNITS = {"tuan": "week", "thang": "month", "quy": "quarter", "nam": "year"}

_YEAR = r"(?:19|20)\d\d"
_SEP = r"\s*(?:,|-|–|—|va|den|toi|\+|;)\s*"
_QUARTER_RE = re.compile(
    rf"\bquy\s*(?P<list>(?:iv|i{{1,3}}|[1-4])\b(?:{_SEP}(?:quy\s*)?(?:iv|i{{1,3}}|[1-4])\b)*)"
    rf"(?:\s*(?:/|nam|-)\s*(?P<year>{_YEAR}))?"
)
_MONTH_RE = re.compile(
    rf"\bthang\s*(?P<list>(?:0?[1-9]|1[0-2])\b(?!\s*/\s*\d{{1,2}}\s*/)(?:{_SEP}(?:thang\s*)?(?:0?[1-9]|1[0-2])\b)*)"
    rf"(?:\s*(?:/|nam|-)\s*(?P<year>{_YEAR}))?"
)
_DATE_RE = re.compile(rf"\b(?P<d>[0-3]?\d)\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<y>{_YEAR})\b")
_WORD_DATE_RE = re.compile(rf"\bngay\s*(?P<d>[0-3]?\d)\s*thang\s*(?P<m>[01]?\d)(?:\s*nam\s*(?P<y>{_YEAR}))?")
_SHORT_DATE_RE = re.compile(r"\bngay\s*(?P<d>[0-3]?\d)\s*/\s*(?P<m>[01]?\d)\b(?!\s*/)")
_HALF_RE = re.compile(
    rf"\b(?:6|sau)\s*thang\s*(?P<which>dau|cuoi)\s*(?:nam)?(?:\s*(?P<year>{_YEAR}))?"
    rf"|\bnua\s*(?P<which2>dau|cuoi)\s*nam(?:\s*(?P<year2>{_YEAR}))?"
)
_BEFORE_RE = re.compile(r"\b(?:truoc|cham nhat|han chot|hoan thanh truoc|khong muon hon)\b")
_WHOLE_YEAR_RE = re.compile(
    r"\b(?:thuong xuyen|ca nam|trong nam|quanh nam|lien tuc|hang (?:tuan|thang|quy|nam)|hang nam|dinh ky"
    r"|moi (?:tuan|thang|quy)|nam\s*(?:19|20)\d\d)\b"
)
_EVENT_RE = re.compile(
    r"\b(?:theo ke hoach|khi co|theo yeu cau|theo chi dao|theo tien do|theo quy dinh|phat sinh|dot xuat"
    r"|theo lich|khi duoc|tuy theo|theo thong bao|theo huong dan)\b"
)
_EVERY_RE = re.compile(
    r"\b(?:hang|moi|dinh ky hang|dinh ky)\s+(?P<unit>tuan|thang|quy|nam)\b"
    # "trước ngày 15 của tháng cuối quý", "cuối mỗi tháng" (not "cuối tháng 6", "6 tháng cuối năm")
    r"|\b(?:thang\s+)?cuoi\s+(?:moi\s+(?P<end>thang|quy|nam)|(?P<end2>thang|quy))\b(?!\s*\d)"
)
# "Định kỳ 6 tháng (một lần)", "6 tháng/lần", "mỗi 6 tháng", "hằng nửa năm": every half year.
_HALF_EVERY_RE = re.compile(
    r"\b(?:dinh ky|moi|hang)\s+(?:(?:6|06|sau)\s*thang|nua nam)\b"
    r"|\b(?:6|06|sau)\s*thang\s*(?:/\s*(?:mot|01|1)?\s*lan|(?:mot|01|1)\s+lan)\b"
)
_COUNT_PER_RE = re.compile(
    r"\b(?P<count>\d{1,3}|mot|hai|ba|bon|sau|bay|tam|chin|muoi)\s+(?P<what>[^/\d()]{1,30}?)\s*/\s*"
    r"(?:(?P<n>\d{1,2})\s*)?(?P<unit>tuan|thang|quy|nam)\b"
)
# What is counted: the usual units of a communication plan, longest first; any other single word only
# right after the period word ("mỗi quý 01 lần").
_KNOWN_UNITS = sorted(
    (
        "tin, bai",
        "tin bai",
        "tin/bai",
        "chuyen muc",
        "chuyen trang",
        "chuyen de",
        "ban tin",
        "phong su",
        "chuong trinh",
        "tieu pham",
        "hoi nghi",
        "lop",
        "buoi",
        "cuoc",
        "lan",
        "so",
        "ky",
        "tin",
        "bai",
        "video",
        "clip",
        "to roi",
        "to gap",
        "pa no",
        "an pham",
        "cuon",
        "phien",
        "dot",
        "bao cao",
        "hoi thi",
        "cuoc thi",
        "tap",
        "trang",
    ),
    key=len,
    reverse=True,
)
_NUMBER = r"\d{1,3}|mot|hai|ba|bon|sau|bay|tam|chin|muoi"
_COUNT_UNIT_RE = re.compile(rf"\b(?P<count>{_NUMBER})\s+(?P<what>{'|'.join(map(re.escape, _KNOWN_UNITS))})\b")
_COUNT_NEAR_RE = re.compile(rf"\b(?P<count>{_NUMBER})\s+(?P<what>[a-z]{{1,12}}(?:,\s*[a-z]{{1,6}})?)")
_NOT_UNITS = {"thang", "quy", "nam", "tuan", "ngay", "gio", "cua", "va"}
# "6 tháng đầu năm" is a period; "mỗi tháng 02 bản tin" does not mean February.
_PER_BEFORE_RE = re.compile(r"\b(?:moi|hang|dinh ky)\s*$")


@dataclass(frozen=True)
class TimeReading:
    period: dict[str, str] | None
    recurrence: dict | None
    understood: bool  # False when the text named a time we could not read: flag it for review


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _year_near(folded: str, pos: int, default: int) -> int:
    """The year a bare "Quý II" or "tháng 3" belongs to: the next year named after it, else before it."""
    later = re.search(rf"\b({_YEAR})\b", folded[pos:])
    if later:
        return int(later.group(1))
    earlier = re.findall(rf"\b({_YEAR})\b", folded[:pos])
    return int(earlier[-1]) if earlier else default


def _numbers(listing: str, table: dict[str, int] | None = None) -> list[int]:
    tokens = re.findall(r"iv|i{1,3}|\d{1,2}", listing)
    return [table[t] if table else int(t) for t in tokens if (table is None or t in table)]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _explicit_spans(folded: str, year: int) -> list[tuple[date, date]]:
    spans: list[tuple[date, date]] = []
    taken = [False] * len(folded)

    def claim(m: re.Match) -> bool:
        if any(taken[m.start() : m.end()]):
            return False
        taken[m.start() : m.end()] = [True] * (m.end() - m.start())
        return True

    for m in _DATE_RE.finditer(folded):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d and claim(m):
            spans.append(_before_or_at(folded, m.start(), d, year))
    for m in _WORD_DATE_RE.finditer(folded):
        d = _safe_date(int(m["y"] or year), int(m["m"]), int(m["d"]))
        if d and claim(m):
            spans.append(_before_or_at(folded, m.start(), d, year))
    for m in _SHORT_DATE_RE.finditer(folded):
        d = _safe_date(_year_near(folded, m.end(), year), int(m["m"]), int(m["d"]))
        if d and claim(m):
            spans.append(_before_or_at(folded, m.start(), d, year))
    for m in _HALF_RE.finditer(folded):
        if claim(m):
            y = int(m["year"] or m["year2"] or _year_near(folded, m.end(), year))
            first = (m["which"] or m["which2"]) == "dau"
            spans.append((date(y, 1, 1), date(y, 6, 30)) if first else (date(y, 7, 1), date(y, 12, 31)))
    for m in _QUARTER_RE.finditer(folded):
        if claim(m):
            y = int(m["year"]) if m["year"] else _year_near(folded, m.end(), year)
            for q in _numbers(m["list"], ROMAN_QUARTERS):
                spans.append((date(y, 3 * q - 2, 1), _month_span(y, 3 * q)[1]))
    for m in _MONTH_RE.finditer(folded):
        if _PER_BEFORE_RE.search(folded[max(0, m.start() - 12) : m.start()]):
            continue
        if claim(m):
            y = int(m["year"]) if m["year"] else _year_near(folded, m.end(), year)
            months = _numbers(m["list"])
            if _BEFORE_RE.search(folded[max(0, m.start() - 20) : m.start()]) and len(months) == 1:
                # "trước tháng 6" is due by the end of May
                end = _month_span(y, months[0])[0].toordinal() - 1
                spans.append((date(year, 1, 1), date.fromordinal(end)))
                continue
            spans.extend(_month_span(y, mo) for mo in months)
    return spans


def _before_or_at(folded: str, pos: int, d: date, year: int) -> tuple[date, date]:
    """ "trước ngày 15/6/2025" runs from the start of the plan year; a bare date is that one day."""
    if _BEFORE_RE.search(folded[max(0, pos - 25) : pos]):
        return (date(year, 1, 1), d) if d.year >= year else (d, d)
    return d, d


def parse_recurrence(text: str | None) -> dict | None:
    """ "01 chuyên mục/01 tháng" → every month, 1 "chuyên mục"; "Hằng quý" → every quarter, 1;
    "mỗi quý ít nhất 03 tin, bài" → every quarter, 3 "tin, bài"; "Định kỳ 6 tháng" → every half year."""
    if not text:
        return None
    folded = fold_aligned(text)
    m = _COUNT_PER_RE.search(folded)
    if m:
        unit = text[m.start("what") : m.end("what")].strip(" ,")
        every = _every_of(m["unit"], int(m["n"]) if m["n"] else 1)
        return {"every": every, "count": _count(m["count"]), "unit": unit or None}
    m = _HALF_EVERY_RE.search(folded)
    every = "half_year" if m else None
    if m is None:
        m = _EVERY_RE.search(folded)
        if m is None:
            return None
        every = UNITS[m["unit"] or m["end"] or m["end2"]]
    count, unit = 1, None
    near = _count_unit(folded, m)
    if near:
        count = _count(near["count"])
        unit = text[near.start("what") : near.end("what")].strip(" ,")
    return {"every": every, "count": count, "unit": unit}


def _every_of(unit: str, n: int) -> str:
    """ "/6 tháng" is every half year, "/3 tháng" every quarter, "/12 tháng" every year."""
    if unit == "thang":
        return {3: "quarter", 6: "half_year", 12: "year"}.get(n, "month")
    return UNITS[unit]


def _count_unit(folded: str, every: re.Match) -> re.Match | None:
    """The count of what recurs: a known unit anywhere ("ít nhất 03 tin, bài"), else a word right
    next to the period word ("mỗi quý 01 lần", "02 lượt hằng tháng")."""
    for m in _COUNT_UNIT_RE.finditer(folded):
        if not (every.start() <= m.start() < every.end()):
            return m
    for m in [_COUNT_NEAR_RE.search(folded, every.end(), every.end() + 25), _count_before(folded, every.start())]:
        if m and m["what"].split(",")[0] not in _NOT_UNITS:
            return m
    return None


def _count_before(folded: str, pos: int) -> re.Match | None:
    window_start = max(0, pos - 25)
    found = None
    for m in _COUNT_NEAR_RE.finditer(folded, window_start, pos):
        found = m
    return found


def _count(token: str) -> int:
    return int(token) if token.isdigit() else NUMBER_WORDS.get(token, 1)


def parse_time(text: str | None, year: int) -> TimeReading:
    """Read a schedule text ("c) Thời gian thực hiện: ...") for a plan of ``year``."""
    if not text or not text.strip():
        return TimeReading(None, None, True)
    folded = fold_aligned(text)
    recurrence = parse_recurrence(text)
    spans = _explicit_spans(folded, year)
    if spans:
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        return TimeReading(_iso(start, end), recurrence, True)
    if _WHOLE_YEAR_RE.search(folded) or recurrence:
        named = re.search(rf"\bnam\s*({_YEAR})\b", folded) or re.search(rf"\b({_YEAR})\b", folded)
        y = int(named.group(1)) if named else year
        return TimeReading(_iso(date(y, 1, 1), date(y, 12, 31)), recurrence, True)
    if _EVENT_RE.search(folded):
        return TimeReading(None, None, True)
    return TimeReading(None, None, False)


def _iso(start: date, end: date) -> dict[str, str]:
    return {"start": start.isoformat(), "end": end.isoformat()}
