"""What people searched: one counter row per query and day (``SearchQueryDay``), and what the
coordinators read from them — the most frequent queries, those that found nothing, those after
which nobody opened a procedure.

Counting is not an action of a person (nothing to audit, no personal data: the text and the day,
never the address, the account or the session); it is the one write a public search makes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from cchc.procedures.lexicon import fold_phrase
from cchc.procedures.models import SearchQueryDay

MAX_TEXT = 200
REPORT_DAYS = 90  # the coordinators' lists cover this many days
REPORT_ROWS = 50


def log_search(text: str, found: int) -> None:
    """Count one search of ``text`` that found ``found`` procedures."""
    text = " ".join(text.split())[:MAX_TEXT]
    folded = fold_phrase(text)[:MAX_TEXT]
    if not folded:
        return
    today = timezone.localdate()
    empty = 1 if found == 0 else 0
    updated = SearchQueryDay.objects.filter(day=today, folded=folded).update(
        searches=F("searches") + 1, empty=F("empty") + empty, text=text
    )
    if not updated:
        try:
            with transaction.atomic():
                SearchQueryDay.objects.create(day=today, folded=folded, text=text, searches=1, empty=empty)
        except IntegrityError:  # another request counted the same query first
            SearchQueryDay.objects.filter(day=today, folded=folded).update(
                searches=F("searches") + 1, empty=F("empty") + empty
            )


def log_click(text: str) -> None:
    """Count a procedure opened from the results of ``text`` (today's row of that query)."""
    folded = fold_phrase(" ".join(text.split())[:MAX_TEXT])[:MAX_TEXT]
    if folded:
        SearchQueryDay.objects.filter(day=timezone.localdate(), folded=folded).update(clicks=F("clicks") + 1)


@dataclass
class QueryStat:
    folded: str
    text: str
    searches: int
    empty: int
    clicks: int


def _since(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days - 1)


def query_report(kind: str, *, days: int = REPORT_DAYS, rows: int = REPORT_ROWS) -> list[QueryStat]:
    """``kind``: "frequent" (most searched), "empty" (found nothing), "no_click" (found
    something, but nobody opened a procedure) — over the last ``days`` days, most searched first.
    Two queries."""
    totals = (
        SearchQueryDay.objects.filter(day__gte=_since(days))
        .values("folded")
        .annotate(searches_=Sum("searches"), empty_=Sum("empty"), clicks_=Sum("clicks"))
    )
    if kind == "empty":
        totals = totals.filter(empty_=F("searches_"))
    elif kind == "no_click":
        totals = totals.filter(Q(clicks_=0) & ~Q(empty_=F("searches_")))
    totals = totals.order_by("-searches_", "folded")[:rows]
    stats = [
        QueryStat(folded=row["folded"], text="", searches=row["searches_"], empty=row["empty_"], clicks=row["clicks_"])
        for row in totals
    ]
    # The text as last typed, for the rows shown (one more query).
    texts = dict(
        SearchQueryDay.objects.filter(folded__in=[s.folded for s in stats], day__gte=_since(days))
        .order_by("day")
        .values_list("folded", "text")
    )
    for stat in stats:
        stat.text = texts.get(stat.folded, stat.folded)
    return stats
