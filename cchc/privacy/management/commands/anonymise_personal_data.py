"""``cchc anonymise_personal_data [--dry-run]``: apply every registered retention period (daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from cchc.privacy.retention import cutoff_for, registered


class Command(BaseCommand):
    help = "Anonymise personal data kept past its retention period (see cchc.privacy.retention)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, dry_run: bool = False, **options):
        now = timezone.now()
        retentions = registered()
        if not retentions:
            self.stdout.write("no retention period registered")
        for retention in retentions:
            cutoff = cutoff_for(retention, now)
            count = retention.anonymise(cutoff, actor=None, dry_run=dry_run)
            verb = "would be anonymised" if dry_run else "anonymised"
            self.stdout.write(f"{retention.name}: {count} record(s) before {cutoff:%Y-%m-%d} {verb}")
