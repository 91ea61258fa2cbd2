"""``cchc close_plan PLAN``: close an active plan once its year report is issued (read-only from then on).

cchc close_plan 12 [--user NAME]
cchc close_plan 12 --force --user admin    without the year report (an administrator; audited)
"""

from __future__ import annotations

import sys

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand

from cchc.plans.actions import do_close_plan
from cchc.plans.management.lookups import get_actor, get_plan

NOT_DONE = 1


class Command(BaseCommand):
    help = "Kết thúc kế hoạch sau khi báo cáo năm đã ban hành. Close a plan once its year report is issued."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="Mã số (id) của kế hoạch. The plan's id.")
        parser.add_argument("--user", help="Tên đăng nhập ghi vào nhật ký. Username to record in the audit log.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kết thúc dù chưa có báo cáo năm (chỉ quản trị hệ thống). Close without the year report (admin).",
        )

    def handle(self, *args, **options):
        plan = get_plan(options["plan"])
        actor = get_actor(options["user"])
        try:
            plan = do_close_plan(plan, actor=actor, expected_version=plan.version, override=options["force"])
        except PermissionDenied:
            self.stderr.write("Chỉ quản trị hệ thống mới được kết thúc kế hoạch khi chưa có báo cáo năm (--user).")
            sys.exit(NOT_DONE)
        except ValidationError as err:
            self.stderr.write(" ".join(err.messages))
            sys.exit(NOT_DONE)
        self.stdout.write(self.style.SUCCESS(f"Đã kết thúc kế hoạch #{plan.pk} “{plan.title}”."))
