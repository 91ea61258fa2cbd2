"""cchc search_procedures "QUERY" [--limit N] [--json] [--field ...] [--level ...]"""

import json

from django.core.management.base import BaseCommand

from cchc.procedures.search import Filters, search_procedures


class Command(BaseCommand):
    help = "Tìm thủ tục hành chính (không phân biệt dấu). Search the procedure catalogue, best first."

    def add_arguments(self, parser):
        parser.add_argument("query")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="In danh sách JSON, tốt nhất trước.")
        parser.add_argument("--field", default="", help="Lĩnh vực")
        parser.add_argument("--level", default="", help="Cấp thực hiện: bo, tinh, huyen, xa, khac")
        parser.add_argument("--agency", default="", help="Cơ quan thực hiện (một phần tên)")
        parser.add_argument("--online-level", default="", help="toan_trinh hoặc mot_phan")
        parser.add_argument("--include-withdrawn", action="store_true", help="Cả thủ tục đã bãi bỏ")

    def handle(self, *args, **options):
        filters = Filters(
            field=options["field"],
            level=options["level"],
            agency=options["agency"],
            online_level=options["online_level"],
            include_withdrawn=options["include_withdrawn"],
        )
        results = search_procedures(options["query"], filters, limit=max(1, options["limit"]))
        hits = results.load(results.hits)
        rows = [
            {
                "code": hit.procedure.code,
                "name": hit.procedure.name,
                "score": round(hit.score, 4) if hit.score != float("inf") else None,
                "field": hit.procedure.field,
                "levels": hit.procedure.levels,
                "status": hit.procedure.status,
            }
            for hit in hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("Không tìm thấy thủ tục nào.")
        for number, row in enumerate(rows, start=1):
            self.stdout.write(f"{number:>3}. {row['code']:<12} {row['name']}")
