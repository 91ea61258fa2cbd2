"""Consolidating one quarter for the whole 2024 province, and writing it out.

Builds a fresh database (SQLite in a temporary directory unless DATABASE_URL is set): Gia Lai's 2024
registry (every department, 17 districts, 218 communes), its 2024 plan, 50 results in quarter I for
every obliged agency, and a submitted and accepted report for each. Then it times, median of N runs:

- ``consolidate()`` of 2024-Q1 — and the number of SQL queries, for a third of the agencies and for all;
- the consolidated Word document and Excel workbook;
- python-docx (``table.cell(r, c)``, ``add_row().cells``) against ``cchc.lib.docwriter``, tables of growing size.

    .venv/bin/python bench/bench_consolidation.py [--runs 7]
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
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["CCHC_VAR_DIR"] = tempfile.mkdtemp(prefix="cchc-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

RESULTS_PER_AGENCY = 50


def median_of(fn, runs: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def build() -> tuple:
    import json

    from cchc.accounts.models import Role, User
    from cchc.execution.models import Result, ResultKind
    from cchc.orgs.actions import do_load_units
    from cchc.plans.actions import do_create_plan
    from cchc.plans.management.commands.load_demo import PLAN_FILE
    from cchc.plans.models import Obligation, PlanStatus
    from cchc.reports.actions import do_ensure_periods
    from cchc.reports.figures import figures_for_units
    from cchc.reports.models import Report, ReportOutcome, ReportStatus, ReportVersion

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
        Result.objects.bulk_create([
            Result(unit_id=unit_id, obligation_id=rng.choice(pks), kind=rng.choice(kinds), title=f"Kết quả {i}",
                   occurred_on=period.start + dt.timedelta(days=rng.randint(0, span)),
                   quantity=Decimal(rng.randint(1, 20)), quantity_unit=rng.choice(["tin, bài", "buổi", "lớp"]),
                   reach=rng.randint(0, 500), cost=Decimal(rng.randint(0, 50) * 100_000))
            for unit_id, pks in obligations.items() for i in range(RESULTS_PER_AGENCY)], batch_size=1000)
        unit_ids = sorted(obligations)
        now = timezone.now()
        reports = Report.objects.bulk_create([
            Report(period=period, unit_id=u, status=ReportStatus.ACCEPTED, results_text="Kết quả quý I.",
                   shortcomings_text="Kinh phí còn hạn chế.", proposals_text="Đề nghị tập huấn.",
                   submission_count=1, first_submitted_on=period.due_on, submitted_at=now, reviewed_at=now,
                   reviewed_by=coordinator) for u in unit_ids])
        figures = figures_for_units(plan, unit_ids, period.start, period.end)
        versions = ReportVersion.objects.bulk_create([
            ReportVersion(report=r, number=1, figures=figures[r.unit_id][0], items=figures[r.unit_id][1],
                          narratives=r.narratives(), submitted_at=now, outcome=ReportOutcome.ACCEPTED,
                          reviewed_at=now, reviewed_by=coordinator) for r in reports])
        for report, version in zip(reports, versions, strict=True):
            report.current_version = version
        Report.objects.bulk_update(reports, ["current_version"])
    return plan, period, reports


def docx_tables(runs: int) -> None:
    """The same table three ways: python-docx addressing cells by ``table.cell(r, c)`` (each call walks
    the whole grid: quadratic), python-docx ``add_row().cells`` (rows built once and reused: linear but
    heavy), and cchc.lib.docwriter (the table written as XML text and parsed once)."""
    from docx import Document

    from cchc.lib import docwriter as dw

    print(f"\nA table of n rows × 8 columns, whole .docx built (median of {runs} runs; python-docx fewer):")
    print(f"  {'rows':>6}  {'docx table.cell(r, c)':>22}  {'docx add_row().cells':>21}  {'cchc.lib.docwriter':>19}")
    for n in (25, 50, 100, 250, 1000, 2000, 13_250):
        rows = [[str(i), f"UBND xã số {i}", "Đã tiếp nhận", "15/03/2024", "Đúng hạn", "50", "1.234", "12.500.000"]
                for i in range(n)]

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
            return dw.render(dw.OfficialDocument(issuing_body="Sở Nội vụ", doc_type="Báo cáo", summary="Bảng",
                                                 body=[dw.Table(columns, rows)]))

        cells = f"{median_of(by_cell, 1)[0]:>20.2f} s" if n <= 100 else f"{'(too slow)':>22}"
        by_rows = f"{median_of(by_row, max(1, runs // 3))[0]:>19.2f} s" if n <= 2000 else f"{'(not run)':>21}"
        print(f"  {n:>6}  {cells}  {by_rows}  {median_of(ours, runs)[0]:>17.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from cchc.reports.consolidation import consolidate
    from cchc.reports.exports import export_province
    from cchc.reports.models import Report, ReportStatus

    started = time.perf_counter()
    plan, period, reports = build()
    print(f"Database: {connection.vendor}. Built the 2024 province in {time.perf_counter() - started:.1f} s: "
          f"{len(reports)} agencies with reports, {len(reports) * RESULTS_PER_AGENCY} results in {period.code}.")

    # Queries must not grow with the number of agencies: count with a third accepted, then all.
    third = [r.pk for r in reports[len(reports) // 3:]]
    Report.objects.filter(pk__in=third).update(status=ReportStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as few:
        partial = consolidate(period)
    Report.objects.filter(pk__in=third).update(status=ReportStatus.ACCEPTED)
    with CaptureQueriesContext(connection) as many:
        data = consolidate(period)
    print(f"SQL queries: {len(few)} with {partial['counts']['counted']} agencies counted, "
          f"{len(many)} with {data['counts']['counted']}.")

    seconds, data = median_of(lambda: consolidate(period), args.runs)
    print(f"consolidate({period.code}): median {seconds * 1000:.0f} ms over {args.runs} runs — "
          f"{data['counts']['counted']}/{data['counts']['expected']} agencies, {data['totals']['results']:,} results, "
          f"{data['totals']['cost']:,} đồng.")
    for fmt in ("docx", "xlsx"):
        seconds, export = median_of(lambda fmt=fmt: export_province(period, fmt), args.runs)
        print(f"export_province({fmt}): median {seconds * 1000:.0f} ms, {len(export.content):,} bytes.")
    docx_tables(args.runs)


if __name__ == "__main__":
    main()
