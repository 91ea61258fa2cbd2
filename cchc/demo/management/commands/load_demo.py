"""Load the demo province: the registry, Gia Lai's 2024 plan (active) and 2026 plan (draft copied from it),
and one persona per role — for the 2024 plan's units, and for units of the two-tier province of 2026."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from cchc.accounts.models import Role, User
from cchc.demo.plans import load_demo_plans
from cchc.demo.portal import load_demo_portal
from cchc.orgs.actions import do_load_units
from cchc.orgs.models import Succession, Unit
from cchc.plans.models import Plan
from cchc.procedures.actions import load_demo_procedures
from cchc.reports.demo import do_load_demo_reports

# A hand-made cchc.plan/1 fixture of the 2024 plan, for tests and benchmarks; the demo itself imports the
# seed document (cchc.demo.plans).
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
    # Units of the two-tier province (from 1 July 2025), for the 2026 plan: the department that took over
    # Sở Thông tin và Truyền thông's digital work, and the commune formed from the demo commune.
    ("officer-khcn", Role.OFFICER, "so-khcn", "Đinh Thị Lan", "Đầu mối CCHC, Sở Khoa học và Công nghệ"),
    ("commune-officer-2026", Role.OFFICER, None, "Ksor H'Bia", "Công chức Văn phòng HĐND và UBND xã"),
]
# Personas whose unit is the demo commune, before and after the reform.
COMMUNE_PERSONAS = {"commune-officer": False, "commune-officer-2026": True}


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (tỉnh Gia Lai, kế hoạch 2024, dự thảo 2026, tài khoản mẫu). Load the demo province."

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
            self._create_personas()
            plan, _draft = load_demo_plans(coordinator=User.objects.filter(username="coordinator").first())
            # After the personas, so the returned report's notice reaches `officer` and `head`.
            do_load_demo_reports(plan)
            load_demo_procedures()
            # After the procedures and the personas: feedback names procedures, and personas answer it.
            load_demo_portal()
        self.stdout.write(
            self.style.SUCCESS("Đã nạp tỉnh Gia Lai, kế hoạch 2024, dự thảo kế hoạch 2026 và các tài khoản mẫu.")
        )
        self._print_logins()

    def _create_personas(self):
        commune = (
            Unit.objects.filter(name=DEMO_COMMUNE).first()
            or Unit.objects.filter(kind="commune_committee", valid_to__isnull=False).order_by("name").first()
        )
        successor = Succession.objects.filter(predecessor=commune).select_related("successor").first()
        communes = {False: commune, True: successor.successor if successor else None}
        for username, role, code, full_name, position in PERSONAS:
            if username in COMMUNE_PERSONAS:
                unit = communes[COMMUNE_PERSONAS[username]]
            else:
                unit = Unit.objects.get(code=code) if code else None
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "role": role,
                    "unit": unit,
                    "full_name": full_name,
                    "position": position,
                    "is_staff": role == Role.ADMIN,
                    "is_superuser": role == Role.ADMIN,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])

    def _print_logins(self):
        self.stdout.write("\nTài khoản mẫu (mật khẩu: cchc-demo) — http://127.0.0.1:8000/accounts/login/")
        for username, role, *_ in PERSONAS:
            self.stdout.write(f"  {username:<22} {Role(role).label}")
        self.stdout.write("")
