"""Remove evidence files that no evidence row refers to.

An action that fails removes the files it stored; a file can still be left behind when a caller's own
outer transaction rolls back after the action succeeded, or after a crash between storing and committing.
Files younger than ``--older-than-hours`` are left alone: an upload may be committing right now.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from cchc.execution.actions import do_prune_evidence, orphan_evidence_files


class Command(BaseCommand):
    help = "Xóa các tệp minh chứng không còn gắn với kết quả nào (--dry-run: chỉ liệt kê)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--older-than-hours", type=float, default=24.0)

    def handle(self, *args, dry_run=False, older_than_hours=24.0, **options):
        orphans = orphan_evidence_files(timezone.now() - timedelta(hours=older_than_hours))
        for name in orphans:
            self.stdout.write(("(thử) " if dry_run else "") + name)
        if not dry_run:
            do_prune_evidence(orphans)
        self.stdout.write(
            f"{len(orphans)} tệp không còn gắn với kết quả nào" + (" (chưa xóa)." if dry_run else " đã được xóa.")
        )
