import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from cchc.orgs.actions import do_load_units
from cchc.orgs.structure import UnknownProvince


def parse_day(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày không hợp lệ: {text!r} (dùng YYYY-MM-DD hoặc dd/mm/yyyy)")


class Command(BaseCommand):
    help = "Nạp cơ cấu đơn vị của một tỉnh tại một ngày (idempotent). Load a province's units as of a date."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="Gia Lai")
        parser.add_argument("--as-of", required=True, type=parse_day)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, province, as_of, **options):
        try:
            report = do_load_units(province, as_of)
        except UnknownProvince as err:
            raise CommandError(str(err)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            d = report.as_dict()
            self.stdout.write(
                f"{province} @ {as_of:%d/%m/%Y}: {d['created']} tạo mới, {d['updated']} cập nhật, "
                f"{d['closed']} đóng, {d['unchanged']} không đổi, {d['succession_links']} liên kết kế thừa"
            )
