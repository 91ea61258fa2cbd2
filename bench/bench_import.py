"""Benchmark (not a test): importing a plan document.

    .venv/bin/python bench/bench_import.py [N] [FILE]     parse FILE N times, print the median

FILE defaults to ../shared/plans/gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md beside the repository (the
test plan cchc/plans/tests/plans/lam-dong-2025-table.md when ../shared is absent).

Under ``make bench`` (bench/run.py) ``run(ctx)`` measures, on the generated province:
- ``import:parse`` — reading and understanding the document (no database), target well under a second;
- ``import:review`` — what an upload costs: parse, match every agency against the registry of the plan's
  year, store the original (rolled back afterwards);
- ``import:save`` — what confirming costs: the plan, its activities and every obligation (rolled back).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "plans" / "gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md"
FALLBACK = REPO / "cchc" / "plans" / "tests" / "plans" / "lam-dong-2025-table.md"


def document() -> Path:
    return SEED if SEED.exists() else FALLBACK


def run(ctx) -> list[dict]:
    from django.db import transaction

    from cchc.plans.actions import do_create_plan, do_start_import
    from cchc.plans.importer import parse_plan
    from cchc.plans.models import Obligation

    path = document()
    data = path.read_bytes()
    parse = ctx.timeit(lambda: parse_plan(data, path.name), repeat=21)
    sizes: dict[str, int] = {}

    class Rollback(Exception):
        pass

    def review() -> None:
        try:
            with transaction.atomic():
                session = do_start_import(data, path.name)
                session.original.delete(save=False)
                raise Rollback
        except Rollback:
            pass

    def save() -> None:
        # The plan itself, without the duplicate check: the data set may already hold this plan.
        document = parse_plan(data, path.name)
        try:
            with transaction.atomic():
                plan = do_create_plan(document)
                sizes["obligations"] = Obligation.objects.filter(activity__plan=plan).count()
                sizes["activities"] = plan.activities.count()
                raise Rollback
        except Rollback:
            pass

    return [
        ctx.timing_result("import:parse", parse, target_seconds=1.0, document=path.name),
        ctx.timing_result("import:review", ctx.timeit(review, repeat=5), target_seconds=2.0, document=path.name),
        ctx.timing_result("import:save", ctx.timeit(save, repeat=5), target_seconds=5.0, document=path.name, **sizes),
    ]


def main() -> None:
    sys.path.insert(0, str(REPO))  # run from anywhere, without installing the project
    from cchc.plans.importer import parse_plan

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    path = Path(sys.argv[2]) if len(sys.argv) > 2 else document()
    data = path.read_bytes()
    parse_plan(data, path.name)  # warm-up: imports and regex compilation are not what we measure
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_plan(data, path.name)
        timings.append((time.perf_counter() - start) * 1000)
    print(
        f"{path.name}: median {statistics.median(timings):.1f} ms, min {min(timings):.1f} ms, "
        f"max {max(timings):.1f} ms over {runs} runs"
    )


if __name__ == "__main__":
    main()
