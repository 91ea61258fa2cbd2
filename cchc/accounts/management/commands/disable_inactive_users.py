"""``cchc disable_inactive_users [--days 45] [--dry-run]``: run daily by the scheduler."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from cchc.accounts.actions import do_disable_inactive_users


class Command(BaseCommand):
    help = "Disable accounts with no log-in for N days (default INACTIVE_ACCOUNT_DAYS, 45); each one is audited."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.INACTIVE_ACCOUNT_DAYS)
        parser.add_argument("--dry-run", action="store_true", help="list the accounts, change nothing")

    def handle(self, *args, days: int, dry_run: bool = False, **options):
        users = do_disable_inactive_users(days=days, dry_run=dry_run)
        verb = "would be disabled" if dry_run else "disabled"
        for user in users:
            last = user.last_login or user.date_joined
            self.stdout.write(f"{user.username}\t{last:%Y-%m-%d}\t{verb}")
        self.stdout.write(f"{len(users)} account(s) {verb}")
