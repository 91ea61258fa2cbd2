"""cchc generate_load_data: a province-scale data set for benchmarks, in an empty database."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.ops.loaddata import LOAD_PASSWORD, Options, generate
from cchc.orgs.models import Unit


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu thử tải quy mô tỉnh (mặc định: một tỉnh cỡ năm 2024) vào một cơ sở dữ liệu trống. "
        "Generate a province-scale load-test data set into an empty database."
    )

    def add_arguments(self, parser):
        defaults = Options()
        parser.add_argument(
            "--provinces", type=int, default=defaults.provinces, help="Số tỉnh (1..34; 34 là cả nước sau 01/7/2025)."
        )
        parser.add_argument(
            "--departments",
            type=int,
            default=defaults.departments,
            help="Sở, ban, ngành và cơ quan cấp tỉnh mỗi tỉnh (mặc định cả danh sách mẫu 2024).",
        )
        parser.add_argument("--districts", type=int, default=defaults.districts, help="Huyện mỗi tỉnh.")
        parser.add_argument("--communes", type=int, default=defaults.communes, help="Xã mỗi tỉnh.")
        parser.add_argument("--results-per-obligation", type=int, default=defaults.results_per_obligation)
        parser.add_argument("--year", type=int, default=defaults.year)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--json", action="store_true", help="In tóm tắt dạng JSON.")

    def handle(self, *args, **options):
        if Unit.objects.exists():
            raise CommandError(
                "Cơ sở dữ liệu đã có đơn vị. Dữ liệu thử tải chỉ được sinh vào một cơ sở dữ liệu trống "
                "(không bao giờ vào cơ sở dữ liệu thật)."
            )
        opts = Options(**{k: options[k] for k in vars(Options()) if k in options})
        if not 1 <= opts.provinces <= 34:
            raise CommandError("--provinces phải từ 1 đến 34.")
        log = (lambda _: None) if options["json"] or options["verbosity"] == 0 else self.stdout.write
        with transaction.atomic():
            summary = generate(opts, log=log)
        summary["password"] = LOAD_PASSWORD
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(self.style.SUCCESS(f"Xong. Mật khẩu mọi tài khoản thử: {LOAD_PASSWORD}"))
