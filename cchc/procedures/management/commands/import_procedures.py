"""cchc import_procedures FILE [--full] [--dry-run] [--json]"""

import json

from django.core.management.base import BaseCommand, CommandError

from cchc.procedures.actions import ImportRefused, do_import_procedures_file


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp .jsonl, .csv hoặc .xlsx (xem IMPORT_FORMAT.md): thêm mới, "
        "cập nhật theo mã thủ tục; tệp có lỗi thì không nhập gì. Import the procedure catalogue."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--full",
            action="store_true",
            help="Tệp là toàn bộ danh mục: thủ tục đang áp dụng mà không có trong tệp được đánh dấu đã bãi bỏ.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ báo cáo, không thay đổi gì.")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def handle(self, *args, **options):
        try:
            report = do_import_procedures_file(options["file"], full=options["full"], dry_run=options["dry_run"])
        except ImportRefused as refused:
            if options["json"]:
                errors = [{"row": e.row, "field": e.field, "message": e.message} for e in refused.errors]
                self.stdout.write(json.dumps({"ok": False, "errors": errors}, ensure_ascii=False, indent=2))
            else:
                for error in refused.errors:
                    where = f"dòng {error.row}" if error.row else "tệp"
                    column = f", cột {error.field}" if error.field else ""
                    self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(f"Tệp có {len(refused.errors)} lỗi: không nhập thủ tục nào.") from None
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {options['file']}") from None
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, **report.as_dict()}, ensure_ascii=False, indent=2))
            return
        counts = report.counts()
        prefix = "Chạy thử (không thay đổi gì): " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}đọc {counts['read']} thủ tục — thêm mới {counts['added']}, cập nhật {counts['changed']}, "
            f"áp dụng lại {counts['restored']}, không đổi {counts['unchanged']}, bãi bỏ {counts['withdrawn']}."
        )
        for label, codes in (("Bãi bỏ", report.withdrawn), ("Áp dụng lại", report.restored)):
            if codes:
                self.stdout.write(f"{label}: {', '.join(codes[:50])}{' …' if len(codes) > 50 else ''}")
