"""Procedure search on 100,000 procedures: median and 95th-percentile time per query, SQLite and
PostgreSQL, over a realistic query mix that includes the worst cases (very common syllables).

    .venv/bin/python bench/bench_search.py                 # both databases
    .venv/bin/python bench/bench_search.py --db sqlite     # one
    .venv/bin/python bench/bench_search.py --size 20000 --rounds 5
    CCHC_BENCH_PG_SERVER=postgres@127.0.0.1:5433 .venv/bin/python bench/bench_search.py --db postgres

The catalogue is generated from the 2,642 real records in ../shared/data/tthc/ (read, never
copied): the real ones as they are, then variants with other codes and varied names (a
qualifier added, a word dropped, the head of one name joined to the tail of another), so the
vocabulary and the frequency of common syllables stay those of the real catalogue. Rows are
written with the same ``index_rows`` the import uses. The databases are kept between runs, one per
size (var/bench/search-SIZE.sqlite3, PostgreSQL database cchc_bench_search_SIZE), and rebuilt with
--rebuild.

It also reports whether the realistic queries (cchc/procedures/tests/data/search_queries.json)
still find their procedures in the top three at this size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
SHARED = next(
    (path for path in (REPO.parent / "shared", REPO.parent.parent / "shared") if path.exists()), REPO.parent / "shared"
)
SOURCE = SHARED / "data" / "tthc" / "national-portal-2642.jsonl"
QUERIES = REPO / "cchc" / "procedures" / "tests" / "data" / "search_queries.json"
EVERYDAY = REPO / "cchc" / "procedures" / "tests" / "data" / "everyday_queries.json"
VAR = REPO / "var" / "bench"
PG_NAME = os.environ.get("CCHC_BENCH_SEARCH_DB", "cchc_bench_search")  # one name per checkout if several run
GENERATED_PREFIXES = ("8.",)  # codes of the generated variants; no real code starts so

QUALIFIERS = [
    "(thực hiện tại cấp xã)",
    "(thực hiện tại cấp tỉnh)",
    "có yếu tố nước ngoài",
    "đối với tổ chức",
    "đối với cá nhân",
    "trực tuyến một phần",
    "trực tuyến toàn trình",
    "cho doanh nghiệp nhỏ và vừa",
    "tại khu kinh tế",
    "trong khu công nghiệp",
    "lần đầu",
    "cấp lại",
    "điều chỉnh",
    "gia hạn",
    "tại Bộ phận một cửa",
    "đối với hộ gia đình",
    "ở nước ngoài",
]

# Queries no one would type often but that cost the most: the commonest syllables and phrases of
# the catalogue's names, alone, in long strings, with accents, with filters, matching nothing.
WORST = [
    "cap",
    "cấp",
    "dang ky",
    "đăng ký",
    "giay",
    "giấy",
    "thu tuc",
    "thủ tục",
    "cap giay",
    "giay phep",
    "cap giay chung nhan",
    "cấp giấy chứng nhận đăng ký",
    "cap lai giay phep",
    "thay doi",
    "dieu chinh",
    "doi voi",
    "cap giay chung nhan dang ky thay doi bo sung dieu chinh cap lai gia han",
    "cấp đổi cấp lại giấy phép giấy chứng nhận đăng ký",
    "to chuc ca nhan",
    "nha nuoc",
    "the",
    "thẻ",
    "xyzzy khong co",
    "a",
    "1.001193",
    "cap giay phep xay dung",
]
FILTERED = [
    ("dang ky", {"level": "xa"}),
    ("cap giay phep", {"level": "tinh"}),
    ("cap", {"agency": "công an"}),
    ("thuong tru", {"level": "xa"}),
    ("giay phep", {"online_level": "toan_trinh"}),
    ("dang ky", {"field": "Hộ tịch"}),
]


def generate(size: int) -> None:
    """Fill the current database with ``size`` procedures made from the real ones."""
    from django.db import transaction

    from cchc.procedures.fileformats import read_jsonl
    from cchc.procedures.models import (
        Procedure,
        ProcedureIndex,
        ProcedureSnippetSource,
        ProcedureStatus,
        ProcedureText,
    )
    from cchc.procedures.search import body_index_text, index_rows, refresh_search_statistics

    real = read_jsonl(SOURCE).procedures
    body_sources = [data.body_source() for data in real]
    bodies = [body_index_text(body) for body in body_sources]
    rng = random.Random(20260701)
    started = time.perf_counter()
    with transaction.atomic():
        ProcedureIndex.objects.all().delete()
        ProcedureText.objects.all().delete()
        ProcedureSnippetSource.objects.all().delete()
        Procedure.objects.all().delete()
        batch: list = []
        for k in range(size):
            source = k % len(real)
            data = real[source]
            if k >= len(real):
                data = _variant(data, k, rng, real)
            batch.append((data, source))
            if len(batch) == 2000 or k == size - 1:
                procedures = Procedure.objects.bulk_create(
                    [Procedure(**Procedure.values_from(d), status=ProcedureStatus.ACTIVE) for d, _ in batch]
                )
                rows = [
                    index_rows(
                        p.pk, d, ProcedureStatus.ACTIVE, body_source=body_sources[source], body_terms=bodies[source]
                    )
                    for p, (d, source) in zip(procedures, batch, strict=True)
                ]
                ProcedureIndex.objects.bulk_create([name for name, _, _ in rows])
                ProcedureText.objects.bulk_create([text for _, text, _ in rows])
                ProcedureSnippetSource.objects.bulk_create([source for _, _, source in rows])
                batch = []
                print(f"  {k + 1} procedures ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
        refresh_search_statistics()
    print(f"  generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _variant(data, k: int, rng: random.Random, real):
    import dataclasses

    words = data.name.split()
    choice = rng.random()
    if choice < 0.4:
        name = data.name + " " + rng.choice(QUALIFIERS)
    elif choice < 0.7:
        other = real[rng.randrange(len(real))].name.split()
        head = words[: rng.randrange(1, max(2, len(words)))]
        name = " ".join(head + other[rng.randrange(0, max(1, len(other) - 1)) :])
    else:
        if len(words) > 3:
            del words[rng.randrange(1, len(words))]
        name = " ".join(words) + " " + rng.choice(QUALIFIERS)
    return dataclasses.replace(data, code=f"{GENERATED_PREFIXES[0]}{k:06d}", name=name)


def measure(rounds: int) -> dict:
    from django.db import connection

    from cchc.procedures.models import Procedure
    from cchc.procedures.search import Filters, search_procedures

    realistic = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    everyday = json.loads(EVERYDAY.read_text(encoding="utf-8"))["queries"]
    mix = [(q["query"], {}, "realistic") for q in realistic]
    mix += [(q, {}, "worst") for q in WORST]
    mix += [(q, f, "filtered") for q, f in FILTERED]
    # Citizens' words: the lexicon's other forms and, for the mistyped ones, the typo fallback.
    mix += [(q["query"], {}, "everyday") for q in everyday]
    # Steady state, as on a server that answers searches all day: one pass of the mix, not timed, reads the
    # statistics and brings the indexes into memory (make bench runs this after the pages' benchmark, which
    # pushed them out of PostgreSQL's 128 MB of shared buffers: p95 24 ms cold against 17-18 warm).
    for text, filters, _kind in mix:
        warm = search_procedures(text, Filters(**filters))
        warm.load(warm.hits[:20])
    timings: dict[str, list[float]] = {"realistic": [], "worst": [], "filtered": [], "everyday": []}
    slowest: list[tuple[float, str]] = []
    # The machine is shared: the load average says how far the times can be trusted.
    load = [round(os.getloadavg()[0], 2)]
    for _ in range(rounds):
        for text, filters, kind in mix:
            started = time.perf_counter()
            results = search_procedures(text, Filters(**filters))
            results.load(results.hits[:20])  # the first page, as the page and the API show it
            elapsed = (time.perf_counter() - started) * 1000
            timings[kind].append(elapsed)
            slowest.append((elapsed, text + (f" {filters}" if filters else "")))
    load.append(round(os.getloadavg()[0], 2))
    found = found_real = 0
    misses = []
    for query in realistic:
        hits = search_procedures(query["query"]).hits
        by_id = dict(Procedure.objects.filter(pk__in=[h.procedure_id for h in hits]).values_list("pk", "code"))
        ranked = [by_id[h.procedure_id] for h in hits]
        expected = set(query["expected_in_top3"])
        found += expected <= set(ranked[:3])
        # The generated variants are near-copies of real names ("... lần đầu"); among the real
        # records alone, the bounded candidate look-ups must still rank the expected ones first.
        real = [code for code in ranked if not code.startswith(GENERATED_PREFIXES)]
        if expected <= set(real[:3]):
            found_real += 1
        else:
            misses.append(query["query"])
    every = [t for values in timings.values() for t in values]
    worst_by_query: dict[str, float] = {}
    for elapsed, text in slowest:
        worst_by_query[text] = max(worst_by_query.get(text, 0.0), elapsed)
    return {
        "database": connection.vendor,
        "procedures": Procedure.objects.count(),
        "searches": len(every),
        "all": _summary(every),
        **{kind: _summary(values) for kind, values in timings.items()},
        "slowest": sorted(worst_by_query.items(), key=lambda item: -item[1])[:5],
        "load_average": load,
        "realistic_top3": f"{found}/{len(realistic)}",
        "realistic_top3_among_real": f"{found_real}/{len(realistic)}",
        "misses": misses,
    }


def _summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
        "max_ms": round(ordered[-1], 2),
    }


def run_one(db: str, size: int, rounds: int, rebuild: bool) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from cchc.procedures.models import Procedure

    if rebuild or Procedure.objects.count() != size:
        print(f"{db}: generating {size} procedures …", file=sys.stderr)
        generate(size)
    return measure(rounds)


def _database_url(db: str, size: int, server: str | None = None) -> str:
    """One database per size, kept between runs. ``server``: PostgreSQL's user@host:port, by default
    ``CCHC_BENCH_PG_SERVER`` (e.g. a server configured as a province's would be), else the local one."""
    if db == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{VAR / f'search-{size}.sqlite3'}"
    import psycopg

    server = server or os.environ.get("CCHC_BENCH_PG_SERVER", "postgres@127.0.0.1:5432")
    name = f"{PG_NAME}_{size}"
    with psycopg.connect(f"postgresql://{server}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f"CREATE DATABASE {name}")
    return f"postgres://{server}/{name}"


def run(ctx) -> list[dict]:
    """``make bench``: the same measurement at ``CCHC_BENCH_SEARCH_SIZE`` procedures (default
    100,000; each database generated once, about three minutes, and kept) on SQLite (under
    var/bench/) and, when the bench runs on PostgreSQL, on its server too; the p95 of the whole
    mix and of the everyday queries (lexicon and typo fallback) against the 20 ms target."""
    size = int(os.environ.get("CCHC_BENCH_SEARCH_SIZE", "100000"))
    databases = {"sqlite": None}
    if ctx.database_url.startswith("postgres"):
        url = urlsplit(ctx.database_url)  # the bench's own PostgreSQL server
        databases["postgres"] = f"{url.username or 'postgres'}@{url.hostname}:{url.port or 5432}"
    results = []
    for db, server in databases.items():
        result = _child(db, size, rounds=1 if ctx.quick else 3, rebuild=False, server=server)
        results += [
            ctx.timing_result(
                f"search:{result['database']}:{size}:{kind}:{stat}",
                result[kind][f"{stat}_ms"] / 1000,
                # Issue 16's bound on the whole mix, and issue 20's on citizens' words (lexicon, typos).
                target_seconds=0.02 if stat == "p95" and kind in ("all", "everyday") else None,
                procedures=result["procedures"],
                realistic_top3=result["realistic_top3_among_real"],
                load_average=result["load_average"],
            )
            for kind in ("all", "realistic", "worst", "filtered", "everyday")
            for stat in ("median", "p95")
        ]
    return results


def _child(db: str, size: int, *, rounds: int, rebuild: bool, server: str | None = None) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cchc.settings", "DATABASE_URL": _database_url(db, size, server)}
    command = [sys.executable, __file__, "--child", "--db", db, "--size", str(size), "--rounds", str(rounds)]
    output = subprocess.run(
        command + (["--rebuild"] if rebuild else []),
        env=env,
        capture_output=True,  # noqa: S603
        text=True,
        cwd=REPO,
    )
    sys.stderr.write(output.stderr)
    if output.returncode:
        raise RuntimeError(f"{db}: the search benchmark failed (see above)")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="times the query mix is run")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not SOURCE.exists():
        sys.exit(f"real records not found at {SOURCE}")
    if args.child:
        print(json.dumps(run_one(args.db, args.size, args.rounds, args.rebuild), ensure_ascii=False))
        return
    results = []
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        try:
            results.append(_child(db, args.size, rounds=args.rounds, rebuild=args.rebuild))
        except RuntimeError as error:
            sys.exit(str(error))
    header = f"{'database':<12}{'procedures':>11}{'searches':>10}  {'kind':<10}"
    header += f"{'median ms':>10}{'p95 ms':>9}{'max ms':>9}"
    print(header)
    for result in results:
        for kind in ("all", "realistic", "worst", "filtered", "everyday"):
            row = result[kind]
            print(
                f"{result['database']:<12}{result['procedures']:>11}{result['searches']:>10}  {kind:<10}"
                f"{row['median_ms']:>10}{row['p95_ms']:>9}{row['max_ms']:>9}"
            )
        print(
            f"{'':<12}realistic queries in top 3: {result['realistic_top3']} of all results; "
            f"{result['realistic_top3_among_real']} among the real records (generated variants skipped)"
            + (f" — missed: {'; '.join(result['misses'])}" if result["misses"] else "")
        )
        print(f"{'':<12}slowest: " + "; ".join(f"{text!r} {ms:.1f} ms" for text, ms in result["slowest"]))
        print(f"{'':<12}load average (1 min) before and after the searches: {result['load_average']}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
