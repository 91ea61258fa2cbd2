"""``cchc export_audit --from 2025-01-01 --to 2025-03-31 --format csv [--output FILE]``."""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from cchc.audit.actions import do_export_audit
from cchc.audit.export import FORMATS


def _date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"{value!r} is not a date (YYYY-MM-DD or dd/mm/yyyy)")


class Command(BaseCommand):
    help = "Export the audit log between two local calendar days (inclusive), times in UTC."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD or dd/mm/yyyy")
        parser.add_argument("--to", dest="end", required=True, help="last day (inclusive)")
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, start, end, format, output=None, **options):
        first, last = _date(start), _date(end)
        if last < first:
            raise CommandError("--to is before --from")
        if output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                count = do_export_audit(stream, first, last, format, via="command")
        else:
            count = do_export_audit(self.stdout, first, last, format, via="command")
        sys.stderr.write(f"{count} entries exported\n")
