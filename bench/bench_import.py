"""Benchmark (not a test): parse the seed plan N times and print the median time.

    .venv/bin/python bench/bench_import.py [N] [FILE]

FILE defaults to ../shared/plans/gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md beside the repository.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "plans" / "gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md"


def main() -> None:
    sys.path.insert(0, str(REPO))  # run from anywhere, without installing the project
    from cchc.plans.importer import parse_plan

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    path = Path(sys.argv[2]) if len(sys.argv) > 2 else SEED
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
