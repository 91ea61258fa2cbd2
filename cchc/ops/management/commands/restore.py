"""cchc restore FILE: replace the database and restore the files of a backup, then verify them."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.ops.backup import BackupError, describe, restore_backup, verify_archive


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp từ một bản sao lưu (thay thế toàn bộ dữ liệu hiện có), rồi đối "
        "chiếu số dòng từng bảng và mã băm từng tệp. Restore a backup made by 'cchc backup'."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Không hỏi xác nhận."
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="Chỉ kiểm tra bản sao lưu (mã băm), không khôi phục."
        )

    def handle(self, *args, **options):
        path = options["file"]
        log = self.stdout.write if options["verbosity"] > 0 else (lambda _: None)
        try:
            if options["verify_only"]:
                report = verify_archive(path, log=log)
                if not report.ok:
                    raise CommandError("Bản sao lưu bị hỏng: " + "; ".join(report.problems))
                self.stdout.write(self.style.SUCCESS("Bản sao lưu nguyên vẹn: " + describe(report.manifest)))
                return
            if options["interactive"]:
                answer = input(f"Khôi phục {path} sẽ THAY THẾ toàn bộ cơ sở dữ liệu hiện tại. Gõ 'yes' để tiếp tục: ")
                if answer.strip().lower() != "yes":
                    raise CommandError("Đã hủy; không có gì thay đổi.")
            report = restore_backup(path, log=log)
        except BackupError as err:
            raise CommandError(str(err)) from err
        if not report.ok:
            raise CommandError("Khôi phục xong nhưng dữ liệu không khớp bản sao lưu: " + "; ".join(report.problems))
        self.stdout.write(self.style.SUCCESS("Đã khôi phục và đối chiếu khớp: " + describe(report.manifest)))
