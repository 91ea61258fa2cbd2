"""Benchmark: what every agency of the 2024 province achieved in quarter I (cchc.execution.progress).

Builds, in a throwaway SQLite database (or the PostgreSQL database named by BENCH_DATABASE_URL), the whole
2024 registry of Gia Lai (departments, 17 districts, 218 communes), the province's 2024 plan with its
deliverables, and 50 results per obligated agency; then times ``progress_by_kind`` over the
quarter I data window and prints medians and query counts.

    .venv/bin/python bench/execution_progress.py [--results-per-unit 50] [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results-per-unit", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="cchc-bench-")
    os.environ["CCHC_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.execution.actions import do_generate_deliverables
    from cchc.execution.models import Result, ResultKind
    from cchc.execution.progress import progress_by_kind
    from cchc.orgs.actions import do_load_units
    from cchc.plans.actions import do_create_plan
    from cchc.plans.models import Obligation, PlanStatus

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    do_load_units("Gia Lai", dt.date(2024, 1, 1))
    document = json.loads((ROOT / "cchc/plans/data/gia-lai-2024.plan.json").read_text(encoding="utf-8"))
    plan = do_create_plan(document, status=PlanStatus.ACTIVE)
    do_generate_deliverables(plan)
    obligations = list(Obligation.objects.filter(activity__plan=plan).order_by("unit_id", "activity__order"))
    by_unit: dict[int, list] = {}
    for o in obligations:
        by_unit.setdefault(o.unit_id, []).append(o)
    kinds = ResultKind.values
    rows = []
    for unit_id, owned in by_unit.items():
        for i in range(args.results_per_unit):
            o = owned[i % len(owned)]
            rows.append(
                Result(
                    unit_id=unit_id,
                    obligation=o,
                    kind=kinds[i % len(kinds)],
                    title=f"Kết quả {i}",
                    occurred_on=dt.date(2024, 1, 1) + dt.timedelta(days=(i * 7) % 180),
                    quantity=Decimal(1 + i % 3),
                    cost=Decimal(100_000 * (i % 5)),
                    reach=20 + i,
                )
            )
    Result.objects.bulk_create(rows, batch_size=2000)
    print(
        f"setup: {len(by_unit)} agencies, {len(obligations)} obligations, {len(rows)} results "
        f"in {time.perf_counter() - started:.1f}s ({connection.vendor})"
    )

    start, end = dt.date(2023, 12, 15), dt.date(2024, 3, 14)
    timings, queries = [], 0
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as captured:
            t = time.perf_counter()
            per_obligation, per_kind = progress_by_kind(plan, start, end, as_of=dt.date(2024, 3, 20))
            timings.append(time.perf_counter() - t)
        queries = len(captured)
    print(
        f"progress_by_kind, quarter I, whole province: median {statistics.median(timings) * 1000:.0f} ms "
        f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f}) over {args.runs} runs, {queries} queries; "
        f"{len(per_obligation)} obligation rows, {len(per_kind)} (activity, kind) rows"
    )
    gen = []
    for _ in range(3):
        t = time.perf_counter()
        do_generate_deliverables(plan)
        gen.append(time.perf_counter() - t)
    print(f"do_generate_deliverables (re-run, nothing to change): median {statistics.median(gen) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
