"""``cchc send_feedback_reminders [--today DATE] [--dry-run]``: run daily (cron or the task runner)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cchc.feedback.reminders import send_feedback_reminders


class Command(BaseCommand):
    help = "E-mail the officers responsible for feedback near or past its deadline (each reminder once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to compute deadlines against (YYYY-MM-DD); default today")
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent, send and record nothing")

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}") from None
        run = send_feedback_reminders(day, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for reminder in run.sent:
            self.stdout.write(
                f"{verb} {reminder.kind} {reminder.feedback.code} ({reminder.stage}, due "
                f"{reminder.due_on:%d/%m/%Y}) to {reminder.scope}"
            )
        for scope in run.without_recipients:
            self.stderr.write(f"nobody with an e-mail address to remind for {scope}")
        for scope in run.failed_scopes:
            self.stderr.write(f"mail to {scope} failed; will retry on the next run")
        self.stdout.write(f"{len(run.sent)} reminder(s) {verb}")
        if run.failed_scopes:
            raise CommandError("some reminders could not be sent")
