"""``cchc purge_audit --older-than-months 12``: the retention purge, run monthly by the scheduler."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from cchc.audit.actions import do_purge_audit
from cchc.audit.models import AuditEntry
from cchc.lib.months import months_before


class Command(BaseCommand):
    help = "Delete audit entries older than N months (N may not be below AUDIT_RETENTION_MONTHS)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-months", type=int, default=settings.AUDIT_RETENTION_MONTHS)
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, older_than_months: int, dry_run: bool = False, **options):
        minimum = settings.AUDIT_RETENTION_MONTHS
        if older_than_months < minimum:
            raise CommandError(
                f"the audit log is kept at least {minimum} months; "
                f"--older-than-months {older_than_months} would delete entries still required"
            )
        cutoff = months_before(timezone.now(), older_than_months)
        if dry_run:
            count = AuditEntry.objects.filter(at__lt=cutoff).count()
            self.stdout.write(f"{count} entries older than {cutoff:%Y-%m-%d %H:%M %Z} would be deleted")
            return
        try:
            count = do_purge_audit(cutoff, months=older_than_months)
        except DatabaseError as err:
            # PostgreSQL refuses the purge to the application's own role (migration 0003).
            raise CommandError(
                f"the database refused the purge ({err}); run it with the owner role's DATABASE_URL, "
                "see docs/security.md, 'Two database roles'"
            ) from None
        self.stdout.write(f"{count} entries older than {cutoff:%Y-%m-%d %H:%M %Z} deleted")
