import json

from django.core.management.base import BaseCommand, CommandError

from cchc.orgs.management.commands.load_units import parse_day
from cchc.orgs.models import Unit, UnitKind
from cchc.orgs.structure import province_slug


class Command(BaseCommand):
    help = "Liệt kê các đơn vị có hiệu lực tại một ngày. List the units valid on a date."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, type=parse_day)
        parser.add_argument("--kind", choices=[k.value for k in UnitKind])
        parser.add_argument("--province", help='Chỉ đơn vị của tỉnh này, vd. "Gia Lai"')
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, as_of, kind, **options):
        units = Unit.objects.valid_on(as_of).select_related("parent").order_by("code")
        if kind:
            units = units.filter(kind=kind)
        if options.get("province"):
            units = units.filter(province=province_slug(options["province"]))
        rows = [
            {
                "code": u.code,
                "name": u.name,
                "short_name": u.short_name,
                "kind": u.kind,
                "parent": u.parent.code if u.parent else None,
                "admin_code": u.admin_code,
                "province": u.province,
                "valid_from": u.valid_from.isoformat() if u.valid_from else None,
                "valid_to": u.valid_to.isoformat() if u.valid_to else None,
            }
            for u in units
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        if not rows:
            raise CommandError("Không có đơn vị nào có hiệu lực vào ngày này.")
        for r in rows:
            self.stdout.write(f"{r['code']:<24} {r['kind']:<22} {r['name']}")
