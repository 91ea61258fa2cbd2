"""Send due-date and overdue reminders (e-mail + in-app notice), at most once per report and stage."""

from __future__ import annotations

import datetime as dt
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from cchc.reports.reminders import do_send_reminders


class Command(BaseCommand):
    help = ("Nhắc hạn gửi báo cáo: trước hạn (số ngày làm việc theo lịch của kế hoạch) và khi quá hạn. Mỗi báo cáo "
            "chỉ được nhắc một lần cho mỗi mốc, kể cả khi lệnh chạy hai lần hoặc trên hai máy cùng lúc.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Chạy liên tục (tiến trình nền).")
        parser.add_argument("--interval", type=int, default=3600, help="Số giây giữa hai lượt khi --loop (3600).")
        parser.add_argument("--today", help="Coi hôm nay là ngày này (YYYY-MM-DD), để thử.")

    def handle(self, *args, loop=False, interval=3600, today=None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"Ngày “{today}” không hợp lệ; dùng dạng YYYY-MM-DD.") from None
        if interval < 10:
            raise CommandError("--interval phải từ 10 giây trở lên.")
        stop = {"now": False}

        def _stop(signum, frame):
            stop["now"] = True

        if loop:
            signal.signal(signal.SIGTERM, _stop)
            signal.signal(signal.SIGINT, _stop)
        while True:
            summary = do_send_reminders(day)
            self.stdout.write(f"Đã nhắc {summary.claimed} báo cáo ({summary.notices} thông báo, {summary.emails} "
                              f"e-mail); bỏ qua {summary.skipped} đã nhắc trước đó"
                              + (f"; {len(summary.errors)} lỗi gửi e-mail" if summary.errors else "") + ".")
            if not loop:
                return
            close_old_connections()  # a long-running sender must not hold a stale connection between runs
            slept = 0
            while slept < interval and not stop["now"]:
                time.sleep(1)
                slept += 1
            if stop["now"]:
                self.stdout.write("Dừng.")
                return
