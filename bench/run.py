#!/usr/bin/env python3
"""``make bench``: every benchmark of the project on a generated province-scale data set.

    .venv/bin/python bench/run.py [--size default|all] [--only NAME] [--database-url URL]

1. Two databases are built from scratch: "small" (a province cut down to 10 agencies, 3 districts, 20
   communes) and "default" (one province of the 2024 size; ``--size all``: the 34 provinces), with
   ``cchc migrate`` and ``cchc generate_load_data``. PostgreSQL (``cchc_bench``, ``cchc_bench_small``)
   when it answers on 127.0.0.1:5432 or ``--database-url`` names one; SQLite files under var/bench/ else.
2. gunicorn serves the default data set on a loopback port with deploy/gunicorn.conf.py.
3. Every ``bench/bench_*.py`` module's ``run(ctx)`` is called (see bench/harness.py) and the results are
   written to bench/results.json with a description of the machine.

Everything runs on 127.0.0.1, every load loop is bounded in time, and the whole run takes a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH_DIR))

from harness import Context, load_module, load_tool  # noqa: E402

BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench"
SIZES = {
    "small": ["--departments", "10", "--districts", "3", "--communes", "20", "--results-per-obligation", "1"],
    "default": [],
    "all": ["--provinces", "34"],
    # --quick (CI): big enough beside "small" to show a query count that grows with data, built in seconds.
    "quick": ["--departments", "20", "--districts", "5", "--communes", "60", "--results-per-obligation", "2"],
}
LOCAL_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def pg_reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001
        return False


def database_urls(base: str | None) -> tuple[str, str]:
    """(default, small) database URLs, created empty."""
    if base is None and pg_reachable(LOCAL_PG):
        base = LOCAL_PG
    if base and base.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(base)
        admin = urlunsplit(parts._replace(path="/postgres"))
        urls = []
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            for name in ("cchc_bench", "cchc_bench_small"):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
                urls.append(urlunsplit(parts._replace(path=f"/{name}")))
        return urls[0], urls[1]
    VAR.mkdir(parents=True, exist_ok=True)
    urls = []
    for name in ("bench.sqlite3", "bench-small.sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"{name}{suffix}").unlink(missing_ok=True)
        urls.append(f"sqlite:///{VAR / name}")
    return urls[0], urls[1]


def cchc(env: dict, *args: str, timeout: int = 1800) -> str:
    result = subprocess.run(
        [str(BIN / "cchc"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,  # noqa: S603
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"cchc {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def build(env: dict, size: str) -> dict:
    began = time.perf_counter()
    cchc(env, "migrate", "--noinput", "-v", "0")
    summary = json.loads(cchc(env, "generate_load_data", "--json", *SIZES[size]).strip().splitlines()[-1])
    summary["seconds"] = round(time.perf_counter() - began, 1)
    return summary


BENCH_REDIS = "redis://127.0.0.1:6379/15"


def bench_redis() -> str | None:
    """Redis as production runs with it (sessions read through it, the figure cache on), emptied first: its
    own database number, so nothing else on the machine is touched. None when no Redis answers."""
    try:
        import redis

        client = redis.Redis.from_url(BENCH_REDIS, socket_connect_timeout=2)
        client.flushdb()
    except Exception:  # noqa: BLE001 - no Redis here: the bench runs with the per-process cache
        return None
    return BENCH_REDIS


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def server_memory(master: int) -> dict:
    """Resident memory of gunicorn's master and of each worker (MiB), read from /proc after the load."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:  # the parent pid
                workers.append(_rss_mib(int(stat.parent.name)))
        except (OSError, ValueError, IndexError):
            continue  # a process that ended while we looked
    try:
        return {"master_mib": _rss_mib(master), "workers_mib": sorted(workers)}
    except OSError:
        return {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_version(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    version = connection.cursor().connection.info.server_version  # 150020 → 15.20
    return f"PostgreSQL {version // 10000}.{version % 10000}"


def machine(database_url: str, workers: int, threads: int) -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem = 0
    import django
    from django.db import connection

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,  # noqa: S607
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "hostname": socket.gethostname(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": _database_version(connection),
        "database_url": urlsplit(database_url)._replace(netloc=urlsplit(database_url).hostname or "").geturl(),
        "server": f"gunicorn gthread, {workers} workers × {threads} threads (deploy/gunicorn.conf.py)",
        "load_generator": load_tool(),
        "load_average_at_start": os.getloadavg(),
        "cache": "Redis (sessions cached_db, figure cache on)" if os.environ.get("REDIS_URL") else "per process",
        "commit": commit,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", choices=["default", "all", "quick"], default="default")
    parser.add_argument("--only", help="run only bench modules whose name contains this")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--duration", type=float, default=1.0, help="seconds per load round")
    parser.add_argument(
        "--rounds", type=int, default=10, help="alternating rounds of page and trivial view; the median ratio counts"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.json")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CI's smoke run: small data, one short round; fails when a page answers anything but 200 "
        "or a query count grows with data (speed is not judged)",
    )
    args = parser.parse_args()
    if args.quick:
        args.size, args.duration, args.rounds, args.concurrency = "quick", 0.3, 1, 2
        os.environ.setdefault("CCHC_BENCH_SEARCH_SIZE", "2000")
        if args.out == BENCH_DIR / "results.json":
            args.out = VAR / "results-quick.json"  # bench/results.json (not tracked) keeps the last full run
    started = time.perf_counter()

    default_url, small_url = database_urls(args.database_url)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CCHC_", "GUNICORN_", "DJANGO_")) and k not in {"REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    env.update(
        {
            "CCHC_VAR_DIR": str(VAR),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "CCHC_LOG_FORMAT": "text",
            "LOG_LEVEL": "WARNING",
            "AXES_FAILURE_LIMIT": "1000",
            "DB_CONN_MAX_AGE": "60",  # as deploy/cchc.env.example: no new connection per request
            "DJANGO_SETTINGS_MODULE": "cchc.settings",
        }
    )
    redis_url = bench_redis()
    if redis_url:
        env["REDIS_URL"] = redis_url
    log(f"cache: {'Redis ' + redis_url if redis_url else 'per process (no Redis answered): no figure cache'}")
    log(f"building the small data set ({small_url.split('@')[-1]})")
    small = build({**env, "DATABASE_URL": small_url}, "small")
    log(f"building the {args.size} data set ({default_url.split('@')[-1]})")
    default = build({**env, "DATABASE_URL": default_url}, args.size)
    log(f"data sets ready: {default['steps']}")

    os.environ.update({**env, "DATABASE_URL": default_url})
    import django

    django.setup()

    workers, threads = os.cpu_count() or 2, 2
    port = free_port()
    server_env = {
        **env,
        "DATABASE_URL": default_url,
        "CCHC_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_ACCESSLOG": "none",
        "GUNICORN_MAX_REQUESTS": "0",  # no worker recycling in the middle of a measurement
        "GUNICORN_LOGLEVEL": "warning",
    }
    server_log = open(VAR / "gunicorn.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),  # noqa: S603
            "cchc.wsgi",
        ],
        env=server_env,
        cwd=ROOT,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    results: list[dict] = []
    memory: dict = {}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("gunicorn exited; see var/bench/gunicorn.log") from None
                time.sleep(0.2)
        ctx = Context(
            base_url=f"http://127.0.0.1:{port}",
            database_url=default_url,
            small_database_url=small_url,
            datasets={"small": small, "default": default},
            duration=args.duration,
            rounds=args.rounds,
            concurrency=args.concurrency,
            password=default["password"],
            quick=args.quick,
        )
        info = machine(default_url, workers, threads)
        modules = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
        if args.only:
            modules = [m for m in modules if args.only in m]
        for name in modules:
            log(f"{name} ...")
            began = time.perf_counter()
            try:
                module = load_module(name)
                if not hasattr(module, "run"):
                    # A standalone script (its own main(), run by hand on a kept data set), not a suite member.
                    log(f"{name}: standalone script, not part of the suite — skipped")
                    continue
                produced = module.run(ctx)
                for result in produced:
                    result.setdefault("module", name)
                results += produced
            except Exception as err:  # noqa: BLE001 - one broken benchmark must not hide the others
                traceback.print_exc()
                results.append(
                    {
                        "name": name,
                        "module": name,
                        "value": None,
                        "unit": None,
                        "ratio_to_trivial": None,
                        "queries": None,
                        "target": "runs",
                        "met": False,
                        "error": f"{type(err).__name__}: {err}",
                    }
                )
            log(f"{name}: {time.perf_counter() - began:.0f} s")
        if ctx.trivial_samples:
            import statistics

            results.insert(
                0,
                {
                    "name": "trivial:/healthz",
                    "module": "harness",
                    "value": round(statistics.median(ctx.trivial_samples), 1),
                    "unit": "req/s",
                    "ratio_to_trivial": 1.0,
                    "queries": 0,
                    "target": None,
                    "met": None,
                },
            )
        memory = server_memory(server.pid)
        log(f"gunicorn resident memory after the run: {memory}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()

    report = {
        "machine": info,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - started, 1),
        "settings": {
            "duration_s": args.duration,
            "rounds": args.rounds,
            "concurrency": args.concurrency,
            "size": args.size,
        },
        "datasets": {"small": small["steps"], args.size: default["steps"]},
        "server_memory": memory,
        "results": results,
    }
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print()
    print(f"{'name':<40} {'value':>10} {'unit':<6} {'ratio':>6} {'queries':>11} {'server':>8} {'cold':>8}  met")
    for r in results:
        ratio = "" if r.get("ratio_to_trivial") is None else f"{r['ratio_to_trivial']:.2f}"
        queries = "" if r.get("queries") is None else str(r["queries"])
        if r.get("queries_small") is not None:
            queries = f"{r['queries_small']}→{queries}"
        value = "" if r.get("value") is None else f"{r['value']:.1f}"
        server = "" if r.get("server_ms") is None else f"{r['server_ms']:.1f}"
        cold = "" if r.get("cold_ms") is None else f"{r['cold_ms']:.1f}"
        print(
            f"{r['name']:<40} {value:>10} {r.get('unit') or '':<6} {ratio:>6} {queries:>11} {server:>8} {cold:>8}"
            f"  {r.get('met')}"
        )
    log(f"wrote {args.out} in {report['duration_s']:.0f} s")
    shutil.rmtree(VAR / "media", ignore_errors=True)
    missed = [r["name"] for r in results if r.get("met") is False]
    if missed:
        log(f"targets missed: {', '.join(missed)}")
    broken = [r["name"] for r in results if r.get("error")]
    return 1 if broken or ((args.strict or args.quick) and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
