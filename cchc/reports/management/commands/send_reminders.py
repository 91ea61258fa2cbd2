"""Send due-date and overdue reminders (e-mail + in-app notice), at most once per report and stage."""

from __future__ import annotations

import datetime as dt
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cchc.reports.reminders import do_send_reminders


class Command(BaseCommand):
    help = (
        "Nhắc hạn gửi báo cáo: trước hạn (số ngày làm việc theo lịch của kế hoạch) và khi quá hạn. Mỗi báo cáo "
        "chỉ được nhắc một lần cho mỗi mốc, kể cả khi lệnh chạy hai lần hoặc trên hai máy cùng lúc."
    )

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
            self._report(summary)
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

    def _report(self, summary) -> None:
        """The run in a few lines: what was sent, then every agency that could not be reached, by name."""
        line = _(
            "Đã nhắc %(claimed)d báo cáo (%(notices)d thông báo, %(emails)d e-mail); bỏ qua %(skipped)d đã nhắc "
            "trước đó"
        ) % {
            "claimed": summary.claimed,
            "notices": summary.notices,
            "emails": summary.emails,
            "skipped": summary.skipped,
        }
        if summary.errors:
            line += _("; %(n)d lỗi gửi e-mail") % {"n": len(summary.errors)}
        self.stdout.write(line + ".")
        self._list(
            summary.unreachable,
            ngettext(
                "Không nhắc được %(n)d đơn vị vì đơn vị chưa có tài khoản cán bộ đầu mối hay thủ trưởng:",
                "Không nhắc được %(n)d đơn vị vì đơn vị chưa có tài khoản cán bộ đầu mối hay thủ trưởng:",
                len(summary.unreachable),
            ),
        )
        self._list(
            summary.without_email,
            ngettext(
                "%(n)d đơn vị chỉ nhận thông báo trong hệ thống vì tài khoản không có địa chỉ e-mail:",
                "%(n)d đơn vị chỉ nhận thông báo trong hệ thống vì tài khoản không có địa chỉ e-mail:",
                len(summary.without_email),
            ),
        )

    def _list(self, units, heading: str) -> None:
        if units:
            self.stdout.write(heading % {"n": len(units)})
            for unit in units:
                self.stdout.write(f"  - {unit.name} ({unit.code})")
