"""``cchc activate_plan PLAN``: run the activation check and activate a draft plan.

    cchc activate_plan 12                      refused (exit 1) while the check finds anything, listed
    cchc activate_plan 12 --accept-warnings    warnings accepted on purpose; errors still refuse
    cchc activate_plan 12 --user coordinator --json

Activating creates the obligations and deliverables, records version 1 and tells every agency
concerned once (in the app and by e-mail), exactly as the "Kích hoạt" button does.
"""

from __future__ import annotations

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db.models import Count

from cchc.plans.actions import ActivationRefused, do_activate_plan
from cchc.plans.checks import check_plan
from cchc.plans.management.lookups import get_actor, get_plan
from cchc.plans.models import Obligation

NOT_DONE = 1


class Command(BaseCommand):
    help = "Kiểm tra và kích hoạt một kế hoạch dự thảo. Check and activate a draft plan."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="Mã số (id) của kế hoạch. The plan's id.")
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="Chấp nhận mọi cảnh báo của bước kiểm tra (lỗi vẫn chặn). Accept every warning; errors still refuse.",
        )
        parser.add_argument("--user", help="Tên đăng nhập ghi vào nhật ký. Username to record in the audit log.")
        parser.add_argument("--json", action="store_true", help="In JSON. Print JSON.")

    def handle(self, *args, **options):
        plan = get_plan(options["plan"])
        actor = get_actor(options["user"])
        accept = ["*"] if options["accept_warnings"] else []
        try:
            plan = do_activate_plan(plan, actor=actor, expected_version=plan.version, accept=accept)
        except ActivationRefused as err:
            self._out(options, {"plan": plan.pk, "activated": False, "problems": [p.as_dict() for p in err.problems]})
            if not options["json"]:
                self.stderr.write(err.message)
                for problem in err.problems:
                    self.stderr.write(f"  [{problem.level}] {problem.code}: {problem.message}")
                if any(not p.is_error for p in err.problems):
                    self.stderr.write("Sửa các vấn đề, hoặc chạy lại với --accept-warnings để chấp nhận các cảnh báo.")
            sys.exit(NOT_DONE)
        except ValidationError as err:
            self.stderr.write(" ".join(err.messages))
            sys.exit(NOT_DONE)
        obligations = Obligation.objects.filter(activity__plan=plan)
        summary = {
            "plan": plan.pk,
            "activated": True,
            "status": plan.status,
            "obligations": obligations.count(),
            "units": obligations.values("unit").distinct().count(),
            "deliverables": obligations.aggregate(n=Count("deliverables"))["n"],
            "accepted_warnings": plan.accepted_warnings,
            "warnings_left": [p.as_dict() for p in check_plan(plan) if p.code not in plan.accepted_warnings],
        }
        if options["json"]:
            self._out(options, summary)
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã kích hoạt kế hoạch #{plan.pk} “{plan.title}”: {summary['obligations']} nghĩa vụ của "
                f"{summary['units']} đơn vị, {summary['deliverables']} sản phẩm định kỳ; "
                f"{len(plan.accepted_warnings)} cảnh báo đã chấp nhận."
            )
        )

    def _out(self, options, data: dict) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
