"""The audit log as CSV or JSON for the security officer (``cchc export_audit`` and the export page).

Times are UTC in ISO 8601 with a ``Z``; personal data was masked when the rows were written.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.lib.xlsx import csv_cell

FIELDS = ["id", "at_utc", "actor", "action", "object_type", "object_id", "object", "unit", "ip_address", "details"]
FORMATS = ("csv", "json")


def day_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``start`` to the end of ``end``, both local calendar days (TIME_ZONE)."""
    tz = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rows(entries: Iterable[AuditEntry]) -> Iterator[dict]:
    for e in entries:
        yield {
            "id": e.pk,
            "at_utc": _utc(e.at),
            "actor": e.actor_label,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object": e.object_repr,
            "unit": e.unit.code if e.unit_id else "",
            "ip_address": e.ip_address or "",
            "details": e.details,
        }


def entries_between(start: dt.date, end: dt.date):
    low, high = day_range(start, end)
    return AuditEntry.objects.between(low, high).select_related("unit").order_by("at", "id")


def write(stream: TextIO, entries, fmt: str) -> int:
    """Write ``entries`` to ``stream``; return how many were written."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows(entries.iterator(chunk_size=2000)):
            row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
            # A cell starting with = + - @ is a formula in Excel: neutralise it (CSV injection).
            writer.writerow({key: csv_cell(value) for key, value in row.items()})
            count += 1
    elif fmt == "json":
        stream.write("[")
        for row in rows(entries.iterator(chunk_size=2000)):
            stream.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False, sort_keys=True))
            count += 1
        stream.write("\n]\n")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return count
