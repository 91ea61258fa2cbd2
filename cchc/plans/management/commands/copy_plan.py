"""``cchc copy_plan PLAN --year YEAR [--json]``: start next year's plan from this one (a draft copy).

Prints the new plan's id, the replacements made (closed units → their successors, groups of the old
registry → groups of the new one) and what the coordinator must look at: proposals among several
successors (flagged) and agencies that could not be mapped. Exit status 1 when nothing was copied.
"""

from __future__ import annotations

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cchc.accounts.models import User
from cchc.plans.models import Plan
from cchc.plans.nextyear import do_copy_plan


class Command(BaseCommand):
    help = (
        "Lập dự thảo kế hoạch năm sau từ kế hoạch này, theo danh mục đơn vị của năm đó. "
        "Copy a plan into a draft for another year, mapped onto that year's registry."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", type=int, help="Mã (id) kế hoạch nguồn. The plan to copy.")
        parser.add_argument("--year", type=int, required=True, help="Năm của kế hoạch mới. The new plan's year.")
        parser.add_argument("--json", action="store_true", help="In JSON. Print JSON.")
        parser.add_argument("--user", help="Tên đăng nhập ghi vào nhật ký. Username to record in the audit log.")

    def handle(self, *args, plan, year, **options):
        source = Plan.objects.filter(pk=plan).first()
        if source is None:
            raise CommandError(f"Không có kế hoạch #{plan}. No such plan.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Không có người dùng “{options['user']}”. No such user.")
        try:
            new, report = do_copy_plan(source, year, actor=actor)
        except ValidationError as err:
            self.stderr.write(" ".join(err.messages))
            sys.exit(1)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(self.style.SUCCESS(f"Đã lập kế hoạch dự thảo #{new.pk} năm {year} từ kế hoạch #{source.pk}."))
        for item in report.replacements:
            self.stdout.write(f"  HĐ {item['activity']}: {item['from']} → {', '.join(item['to'])}")
        for item in report.flags:
            others = ", ".join(item["alternatives"])
            self.stdout.write(
                f"  CẦN RÀ SOÁT HĐ {item['activity']}: đề xuất {item['chosen']} thay cho {item['agency']}"
                f" (có thể chọn: {others})"
            )
        for item in report.unmatched:
            what = item["agency"] or item["role"]
            self.stdout.write(f"  CHƯA ÁNH XẠ HĐ {item['activity']}: {what} ({item['reason']})")
