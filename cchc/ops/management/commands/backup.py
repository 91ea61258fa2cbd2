"""cchc backup [-o DIR] [--keep N]: the database and every uploaded file, in one verified archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cchc.ops.backup import BackupError, create_backup, describe, prune_backups, verify_archive


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp đã tải lên vào một tệp .tar có danh mục kiểm tra. "
        "Back up the database and uploaded files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output-dir", type=Path, default=None, help="Thư mục chứa bản sao lưu (mặc định CCHC_BACKUP_DIR)."
        )
        parser.add_argument(
            "--keep", type=int, default=0, help="Chỉ giữ N bản sao lưu mới nhất trong thư mục (0: giữ tất cả)."
        )
        parser.add_argument("--no-verify", action="store_true", help="Không đọc lại bản sao lưu sau khi ghi.")

    def handle(self, *args, **options):
        out_dir = options["output_dir"] or settings.CCHC_BACKUP_DIR
        log = self.stdout.write if options["verbosity"] > 0 else (lambda _: None)
        try:
            report = create_backup(out_dir, log=log)
            if not options["no_verify"]:
                checked = verify_archive(report.path)
                if not checked.ok:
                    raise CommandError("Bản sao lưu vừa ghi bị lỗi: " + "; ".join(checked.problems))
        except BackupError as err:
            raise CommandError(str(err)) from err
        if options["keep"]:
            for old in prune_backups(out_dir, options["keep"]):
                log(f"Đã xóa bản sao lưu cũ {old.name}")
        log(describe(report.manifest))
        self.stdout.write(str(report.path))
