import json

from django.core.management.base import BaseCommand
from django.urls import reverse

from cchc.orgs.management.commands.load_units import parse_day
from cchc.plans.actions import do_inherit_obligations


class Command(BaseCommand):
    help = (
        "Chuyển nhiệm vụ đang thực hiện của đơn vị cũ sang đơn vị kế thừa sau sắp xếp. "
        "Give successors the running obligations of the units they replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, type=parse_day)
        parser.add_argument("--json", action="store_true", help="In JSON. Print JSON.")

    def handle(self, *args, as_of, **options):
        report = do_inherit_obligations(as_of)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{report.created} nhiệm vụ được chuyển cho đơn vị kế thừa, {report.strengthened} nhiệm vụ được nâng "
            f"vai trò, {report.released} nhiệm vụ của đơn vị đã giải thể không còn phải thực hiện."
        )
        if report.choices:
            self.stdout.write(
                f"{report.choices} nhiệm vụ có nhiều đơn vị kế thừa: đã giao cho đơn vị đề xuất, chờ điều phối viên "
                f"xác nhận tại {reverse('plans:successor_choices')}."
            )
        for name, activity in report.unmatched:
            self.stdout.write(f"  Không có đơn vị kế thừa: {name} (hoạt động #{activity}).")
