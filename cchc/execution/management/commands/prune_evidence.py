"""Remove evidence files that no evidence row refers to.

An action that fails removes the files it stored; a file can still be left behind when a caller's own
outer transaction rolls back after the action succeeded, or after a crash between storing and committing.
Files younger than ``--older-than-hours`` are left alone: an upload may be committing right now.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from cchc.audit.actions import record
from cchc.execution.models import Evidence

ROOT = "evidence"


def _walk(path: str):
    dirs, files = default_storage.listdir(path)
    for name in files:
        yield f"{path}/{name}"
    for name in dirs:
        yield from _walk(f"{path}/{name}")


class Command(BaseCommand):
    help = "Xóa các tệp minh chứng không còn gắn với kết quả nào (--dry-run: chỉ liệt kê)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--older-than-hours", type=float, default=24.0)

    def handle(self, *args, dry_run=False, older_than_hours=24.0, **options):
        if not default_storage.exists(ROOT):
            self.stdout.write("Không có tệp minh chứng nào.")
            return
        known = set(Evidence.objects.exclude(file="").values_list("file", flat=True))
        cutoff = timezone.now() - timedelta(hours=older_than_hours)
        orphans = [
            name for name in _walk(ROOT) if name not in known and default_storage.get_modified_time(name) < cutoff
        ]
        for name in orphans:
            self.stdout.write(("(thử) " if dry_run else "") + name)
            if not dry_run:
                default_storage.delete(name)
        if orphans and not dry_run:
            record("execution.prune_evidence", None, files=len(orphans))
        self.stdout.write(
            f"{len(orphans)} tệp không còn gắn với kết quả nào" + (" (chưa xóa)." if dry_run else " đã được xóa.")
        )
