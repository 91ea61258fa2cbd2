"""Load the demo province: the registry, Gia Lai's 2024 plan and one persona per role."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from cchc.accounts.models import Role, User
from cchc.orgs.actions import do_load_units
from cchc.orgs.models import Unit
from cchc.plans.actions import do_create_plan
from cchc.plans.models import Plan, PlanStatus
from cchc.procedures.actions import load_demo_procedures
from cchc.reports.demo import load_demo_reports

PLAN_FILE = Path(__file__).resolve().parents[3] / "plans" / "data" / "gia-lai-2024.plan.json"
DEMO_PASSWORD = "cchc-demo"  # noqa: S105 - the documented demo password, demo database only
DEMO_COMMUNE = "UBND xã Ia Khai"

PERSONAS = [
    # username, role, unit code (None: province-wide), full name, position
    ("admin", Role.ADMIN, None, "Quản trị hệ thống", "Chuyên viên CNTT"),
    ("coordinator", Role.COORDINATOR, "so-noi-vu", "Nguyễn Thị Hồng", "Chuyên viên phòng CCHC, Sở Nội vụ"),
    ("observer", Role.OBSERVER, "ubnd-tinh", "Trần Văn Bình", "Phó Chủ tịch UBND tỉnh"),
    ("desk", Role.DESK, "vp-ubnd", "Lê Thị Mai", "Chuyên viên Văn phòng UBND tỉnh"),
    ("officer", Role.OFFICER, "so-tttt", "Phạm Minh Tuấn", "Đầu mối CCHC, Sở Thông tin và Truyền thông"),
    ("head", Role.HEAD, "so-tttt", "Hoàng Văn Nam", "Giám đốc Sở Thông tin và Truyền thông"),
    ("commune-officer", Role.OFFICER, None, "Rơ Châm H'Lan", "Công chức Văn phòng - Thống kê"),
]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (tỉnh Gia Lai, kế hoạch 2024, tài khoản mẫu). Load the demo province."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when a plan already exists.")

    def handle(self, *args, **options):
        if options["if_empty"] and Plan.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu; bỏ qua nạp dữ liệu mẫu.")
            self._print_logins()
            return
        with transaction.atomic():
            do_load_units("Gia Lai", dt.date(2024, 1, 1))
            do_load_units("Gia Lai", dt.date(2025, 7, 1))
            plan = Plan.objects.filter(year=2024, symbol="KH-UBND").first()
            if plan is None:
                document = json.loads(PLAN_FILE.read_text(encoding="utf-8"))
                plan = do_create_plan(document, status=PlanStatus.ACTIVE)
            self._create_personas()
            # After the personas, so the returned report's notice reaches `officer` and `head`.
            load_demo_reports(plan)
            load_demo_procedures()
        self.stdout.write(self.style.SUCCESS("Đã nạp tỉnh Gia Lai, kế hoạch 2024 và các tài khoản mẫu."))
        self._print_logins()

    def _create_personas(self):
        commune = Unit.objects.filter(name=DEMO_COMMUNE).first() or Unit.objects.filter(
            kind="commune_committee", valid_to__isnull=False).order_by("name").first()
        for username, role, code, full_name, position in PERSONAS:
            unit = commune if username == "commune-officer" else (Unit.objects.get(code=code) if code else None)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"role": role, "unit": unit, "full_name": full_name, "position": position,
                          "is_staff": role == Role.ADMIN, "is_superuser": role == Role.ADMIN},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])

    def _print_logins(self):
        self.stdout.write("\nTài khoản mẫu (mật khẩu: cchc-demo) — http://127.0.0.1:8000/accounts/login/")
        for username, role, *_ in PERSONAS:
            self.stdout.write(f"  {username:<16} {Role(role).label}")
        self.stdout.write("")
