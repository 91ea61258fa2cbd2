"""Consolidating one quarter for the whole 2024 province, and writing it out.

Standalone (``.venv/bin/python bench/bench_consolidation.py [--runs 7]``): builds a fresh database (SQLite in a
temporary directory unless DATABASE_URL is set) with Gia Lai's 2024 registry (every department, 17 districts, 218
communes), its 2024 plan, 50 results in quarter I for every obliged agency and a submitted, accepted report for
each; then times, median of N runs:

- ``consolidate()`` of 2024-Q1 — and its SQL queries, with a third of the agencies counted and with all;
- the consolidated Word document and Excel workbook;
- python-docx (``table.cell(r, c)``, ``add_row().cells``) against ``cchc.lib.docwriter``, tables of growing size.

Under ``make bench`` (``run(ctx)``): the same timings on the generated data set (whose quarter I reports come from
``cchc.reports.loaddata.step_reports``), and the report pages' throughput and query counts (``pages()``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_PER_AGENCY = 50


def median_of(fn, runs: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def build() -> tuple:
    """The standalone data set: the real 2024 registry and plan, 50 results per agency, every report accepted."""
    import json

    from django.core.management import call_command
    from django.db import transaction

    from cchc.accounts.models import Role, User
    from cchc.demo.management.commands.load_demo import PLAN_FILE
    from cchc.execution.models import Result, ResultKind
    from cchc.orgs.actions import do_load_units
    from cchc.plans.actions import do_create_plan
    from cchc.plans.models import Obligation, PlanStatus
    from cchc.reports.actions import do_ensure_periods
    from cchc.reports.loaddata import load_reports
    from cchc.reports.models import Report

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        do_load_units("Gia Lai", dt.date(2024, 1, 1))
        plan = do_create_plan(json.loads(PLAN_FILE.read_text(encoding="utf-8")), status=PlanStatus.ACTIVE)
        coordinator = User.objects.create(username="bench-coordinator", role=Role.COORDINATOR)
        period = next(p for p in do_ensure_periods(plan) if p.code == "2024-Q1")
        obligations: dict[int, list[int]] = {}
        for unit_id, pk in Obligation.objects.filter(activity__plan=plan).values_list("unit_id", "pk"):
            obligations.setdefault(unit_id, []).append(pk)
        rng = random.Random(1)
        kinds = ResultKind.values
        span = (period.end - period.start).days
        Result.objects.bulk_create(
            [
                Result(
                    unit_id=unit_id,
                    obligation_id=rng.choice(pks),
                    kind=rng.choice(kinds),
                    title=f"Kết quả {i}",
                    occurred_on=period.start + dt.timedelta(days=rng.randint(0, span)),
                    quantity=Decimal(rng.randint(1, 20)),
                    quantity_unit=rng.choice(["tin, bài", "buổi", "lớp"]),
                    reach=rng.randint(0, 500),
                    cost=Decimal(rng.randint(0, 50) * 100_000),
                )
                for unit_id, pks in obligations.items()
                for i in range(RESULTS_PER_AGENCY)
            ],
            batch_size=1000,
        )
        load_reports(period, dict.fromkeys(obligations, "accepted"), reviewer=coordinator)
    return plan, period, list(Report.objects.filter(period=period).order_by("pk"))


def _default_plan():
    from django.conf import settings

    from cchc.orgs.structure import province_slug
    from cchc.plans.models import Plan

    return Plan.objects.filter(issuer_unit__province=province_slug(settings.CCHC_PROVINCE)).order_by("pk").first()


def pages() -> list[dict]:
    """Report pages on the generated data set (see bench/harness.py): queries must not grow with it."""
    from cchc.orgs.structure import province_slug
    from cchc.reports.models import Report

    plan = _default_plan()
    slug = province_slug(plan.issuer_unit.province)
    q1 = plan.periods.get(kind="Q1")
    officer = f"{slug}-x0001-officer"
    own = Report.objects.filter(period=q1, unit__users__username=officer).first()
    coordinator = f"{slug}-coordinator"
    base = f"/reports/plans/{plan.pk}/{q1.code}/"
    listed = [
        {"name": "page:reports", "path": "/reports/", "user": coordinator, "public": False},
        {"name": "page:report_period", "path": base, "user": coordinator, "public": False},
        {"name": "page:report_completeness", "path": base + "completeness/", "user": coordinator, "public": False},
        {"name": "page:report_province", "path": base + "province/", "user": coordinator, "public": False},
    ]
    if own is not None:
        listed.append({"name": "page:report_detail", "path": f"/reports/{own.pk}/", "user": officer, "public": False})
    return listed


def run(ctx) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.reports.consolidation import consolidate
    from cchc.reports.exports import export_province

    period = _default_plan().periods.get(kind="Q1")
    with CaptureQueriesContext(connection) as queries:
        data = consolidate(period)
    seconds = ctx.timeit(lambda: consolidate(period), repeat=7)
    results = [
        ctx.timing_result(
            "reports:consolidate_q1",
            seconds,
            target_seconds=1.0,
            queries=len(queries),
            agencies=data["counts"]["expected"],
            counted=data["counts"]["counted"],
            results=data["totals"]["results"],
        )
    ]
    for fmt in ("docx", "xlsx"):
        seconds = ctx.timeit(lambda fmt=fmt: export_province(period, fmt), repeat=5)
        results.append(ctx.timing_result(f"reports:export_province_{fmt}", seconds, target_seconds=2.0))
    small = ctx.query_counts("bench_consolidation:pages", "small")
    default = ctx.query_counts("bench_consolidation:pages", "default")
    cookies: dict[str, str] = {}
    for page in pages():
        if page["user"] not in cookies:
            cookies[page["user"]] = ctx.login(page["user"])
        measured = ctx.throughput(page["path"], cookies[page["user"]])
        results.append(
            ctx.page_result(
                page["name"],
                page["path"],
                measured,
                default[page["name"]]["queries"],
                small.get(page["name"], {}).get("queries"),
                public=False,
            )
        )
    return results


def docx_tables(runs: int) -> None:
    """The same table three ways: python-docx addressing cells by ``table.cell(r, c)`` (each call walks
    the whole grid: quadratic), python-docx ``add_row().cells`` (rows built once and reused: linear but
    heavy), and cchc.lib.docwriter (the table written as XML text and parsed once)."""
    from docx import Document

    from cchc.lib import docwriter as dw

    print(f"\nA table of n rows × 8 columns, whole .docx built (median of {runs} runs; python-docx fewer):")
    print(f"  {'rows':>6}  {'docx table.cell(r, c)':>22}  {'docx add_row().cells':>21}  {'cchc.lib.docwriter':>19}")
    for n in (25, 50, 100, 250, 1000, 2000, 13_250):
        rows = [
            [str(i), f"UBND xã số {i}", "Đã tiếp nhận", "15/03/2024", "Đúng hạn", "50", "1.234", "12.500.000"]
            for i in range(n)
        ]

        def by_cell(rows=rows):
            document = Document()
            table = document.add_table(rows=len(rows) + 1, cols=8)
            for r, row in enumerate(rows, start=1):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
            return document

        def by_row(rows=rows):
            document = Document()
            table = document.add_table(rows=1, cols=8)
            for row in rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
            return document

        def ours(rows=rows):
            columns = [dw.Column(str(i), 165 / 8) for i in range(8)]
            return dw.render(
                dw.OfficialDocument(
                    issuing_body="Sở Nội vụ", doc_type="Báo cáo", summary="Bảng", body=[dw.Table(columns, rows)]
                )
            )

        cells = f"{median_of(by_cell, 1)[0]:>20.2f} s" if n <= 100 else f"{'(too slow)':>22}"
        by_rows = f"{median_of(by_row, max(1, runs // 3))[0]:>19.2f} s" if n <= 2000 else f"{'(not run)':>21}"
        print(f"  {n:>6}  {cells}  {by_rows}  {median_of(ours, runs)[0]:>17.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if "DATABASE_URL" not in os.environ:
        os.environ["CCHC_VAR_DIR"] = tempfile.mkdtemp(prefix="cchc-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.reports.consolidation import consolidate
    from cchc.reports.exports import export_province
    from cchc.reports.models import Report, ReportStatus

    started = time.perf_counter()
    _plan, period, reports = build()
    print(
        f"Database: {connection.vendor}. Built the 2024 province in {time.perf_counter() - started:.1f} s: "
        f"{len(reports)} agencies with reports, {len(reports) * RESULTS_PER_AGENCY} results in {period.code}."
    )

    # Queries must not grow with the number of agencies: count with a third accepted, then all.
    third = [r.pk for r in reports[len(reports) // 3 :]]
    Report.objects.filter(pk__in=third).update(status=ReportStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as few:
        partial = consolidate(period)
    Report.objects.filter(pk__in=third).update(status=ReportStatus.ACCEPTED)
    with CaptureQueriesContext(connection) as many:
        data = consolidate(period)
    print(
        f"SQL queries: {len(few)} with {partial['counts']['counted']} agencies counted, "
        f"{len(many)} with {data['counts']['counted']}."
    )

    seconds, data = median_of(lambda: consolidate(period), args.runs)
    print(
        f"consolidate({period.code}): median {seconds * 1000:.0f} ms over {args.runs} runs — "
        f"{data['counts']['counted']}/{data['counts']['expected']} agencies, {data['totals']['results']:,} results, "
        f"{data['totals']['cost']:,} đồng."
    )
    for fmt in ("docx", "xlsx"):
        seconds, export = median_of(lambda fmt=fmt: export_province(period, fmt), args.runs)
        print(f"export_province({fmt}): median {seconds * 1000:.0f} ms, {len(export.content):,} bytes.")
    docx_tables(args.runs)


if __name__ == "__main__":
    main()
