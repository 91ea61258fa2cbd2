"""Load the demo reporting cycle (run after ``cchc load_demo``)."""

import time

from django.core.management.base import BaseCommand

from cchc.reports.demo import do_load_demo_reports


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu kết quả và báo cáo quý I, 6 tháng năm 2024 (sau cchc load_demo)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        summary = do_load_demo_reports()
        if "skipped" in summary:
            self.stdout.write(f"Bỏ qua: {summary['skipped']}.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {summary['results']} kết quả và {summary['reports']} báo cáo "
                f"({', '.join(summary['periods'])}) "
                f"trong {time.perf_counter() - started:.1f} giây."
            )
        )
