"""Export an agency's report or the province's consolidated report as Word or Excel."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.lib.periods import PeriodError, parse_code
from cchc.orgs.models import Unit
from cchc.plans.models import Plan
from cchc.reports.actions import do_ensure_periods
from cchc.reports.exports import export_agency, export_province
from cchc.reports.models import Period, Report


class Command(BaseCommand):
    help = (
        "Xuất báo cáo ra Word (.docx) hoặc Excel (.xlsx): báo cáo của một đơn vị (--agency) hoặc báo cáo "
        "tổng hợp của tỉnh. Ví dụ: cchc export_report --period 2024-Q1 --format docx -o bao-cao.docx"
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="Mã (ID) kế hoạch; bỏ qua được khi chỉ một kế hoạch có kỳ này.")
        parser.add_argument("--period", required=True, help="Kỳ báo cáo: 2024-Q1, 2024-H1, 2024-Q3, 2024-Y, ...")
        parser.add_argument("--agency", help="Mã đơn vị (ví dụ so-tttt); bỏ trống để xuất báo cáo tổng hợp.")
        parser.add_argument("--format", dest="fmt", choices=["docx", "xlsx"], default="docx")
        parser.add_argument("-o", "--output", required=True, help="Tệp kết quả.")

    def handle(self, *args, plan=None, period=None, agency=None, fmt="docx", output=None, **options):
        try:
            year, _kind = parse_code(period)
        except PeriodError as err:
            raise CommandError(str(err)) from None
        code = period.strip().upper()
        chosen = self._period(plan, year, code)
        if agency:
            unit = Unit.objects.filter(code=agency).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã “{agency}”. Xem danh sách: cchc units --as-of {year}-01-01")
            report = (
                Report.objects.filter(period=chosen, unit=unit)
                .select_related("period__plan", "unit__parent", "current_version")
                .first()
            )
            if report is None:
                raise CommandError(f"{unit.name} chưa lập báo cáo {chosen.label} ({chosen.code}).")
            export = export_agency(report, fmt)
        else:
            export = export_province(chosen, fmt)
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"Thư mục “{path.parent}” không tồn tại.")
        path.write_bytes(export.content)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {path} ({len(export.content):,} byte)."))

    def _period(self, plan_id: int | None, year: int, code: str) -> Period:
        plans = Plan.objects.filter(year=year)
        if plan_id is not None:
            plans = Plan.objects.filter(pk=plan_id)
            if not plans.exists():
                raise CommandError(f"Không có kế hoạch mã {plan_id}.")
        for plan in plans:
            if not Period.objects.filter(plan=plan).exists():
                do_ensure_periods(plan)
        matches = list(Period.objects.filter(plan__in=plans, code=code).select_related("plan").order_by("plan_id"))
        if not matches:
            where = f"kế hoạch mã {plan_id}" if plan_id is not None else f"các kế hoạch năm {year}"
            raise CommandError(f"Không có kỳ báo cáo {code} trong {where}.")
        if len(matches) > 1:
            listing = "; ".join(f"--plan {p.plan_id} ({p.plan.title[:60]})" for p in matches)
            raise CommandError(f"Có {len(matches)} kế hoạch có kỳ {code}; hãy chỉ rõ bằng --plan: {listing}.")
        return matches[0]
