"""The cost of citizens' words: the same searches with the lexicon off and on, and the everyday
queries (lexicon + typo fallback), on the kept 100,000-procedure SQLite database of
bench_search.py (run that first). Reports CPU time (``time.process_time``: SQLite runs in the
process, so this is the search's own work, much less disturbed by a loaded machine than wall time)
and wall time, median and 95th percentile.

    DATABASE_URL=sqlite:///$PWD/var/bench/search-100000.sqlite3 DJANGO_SETTINGS_MODULE=cchc.settings \
        .venv/bin/python bench/bench_search_lexicon.py --rounds 2
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "cchc" / "procedures" / "tests" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "bench"))
    import django

    django.setup()
    import bench_search

    from cchc.procedures.lexicon import Lexicon, shipped
    from cchc.procedures.search import Filters, search_procedures

    real = [q["query"] for q in json.loads((DATA / "search_queries.json").read_text(encoding="utf-8"))["queries"]]
    every = [q["query"] for q in json.loads((DATA / "everyday_queries.json").read_text(encoding="utf-8"))["queries"]]
    mix = [(q, {}) for q in real + bench_search.WORST] + list(bench_search.FILTERED)
    search_procedures("khởi động")  # statistics loaded once, as in a server

    def run(queries, words) -> list[tuple[float, float]]:
        timings = []
        for text, filters in queries:
            cpu, wall = time.process_time(), time.perf_counter()
            results = search_procedures(text, Filters(**filters), words=words)
            results.load(results.hits[:20])
            timings.append(((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000))
        return timings

    def show(name: str, timings: list[tuple[float, float]]) -> None:
        def p95(values):
            return sorted(values)[min(len(values) - 1, int(len(values) * 0.95))]

        cpu, wall = [t[0] for t in timings], [t[1] for t in timings]
        print(
            f"{name:30} {len(timings):4} searches  cpu median {statistics.median(cpu):6.1f} p95 {p95(cpu):6.1f}"
            f"  | wall median {statistics.median(wall):6.1f} p95 {p95(wall):6.1f} ms"
        )

    for _ in range(args.rounds):
        show("catalogue mix, lexicon off", run(mix, Lexicon({})))
        show("catalogue mix, lexicon on", run(mix, shipped()))
        show("everyday, lexicon + typo", run([(q, {}) for q in every], shipped()))


if __name__ == "__main__":
    main()
