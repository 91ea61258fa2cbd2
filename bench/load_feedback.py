"""Load test of feedback submission: gunicorn + PostgreSQL on loopback, N concurrent submitters for T seconds.

    .venv/bin/python bench/load_feedback.py [--clients 50] [--seconds 30] [--workers 4] [--threads 4]

It creates its own database (``cchc_feedback_load`` by default, dropped and re-created), migrates it, starts
gunicorn on a free 127.0.0.1 port with the rate limit raised (``FEEDBACK_RATE_LIMIT=1000000000/h``: in
production the limit is per client address, and every simulated client here shares 127.0.0.1), and runs the
submitters against ``POST /api/v1/feedback`` with a fresh ``Idempotency-Key`` each. One submission in ten is sent
a second time with the same key, as a client that lost the response would. Then it checks, in the database, that
every accepted submission is stored exactly once with a unique code, that each retry returned the same code, and
that no request failed with a server error; it prints throughput and latency percentiles. Not part of the tests.
Traffic goes only to 127.0.0.1; every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only
MAX_REQUESTS_PER_CLIENT = 100_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def redis_reachable(url: str) -> bool:
    host_port = url.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    if host not in {"127.0.0.1", "localhost"}:
        raise SystemExit("--redis-url must be on loopback")
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError:
        return False
    return True


def recreate_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def payload(client: int, n: int) -> dict:
    return {
        "kind": random.choice(["phan_anh", "kien_nghi"]),
        "subject": f"Phản ánh thử tải {client}-{n}: thủ tục đăng ký hộ kinh doanh",
        "content": "Hồ sơ yêu cầu bản sao chứng thực giấy tờ đã có trên Cơ sở dữ liệu quốc gia về dân cư. " * 3,
        "procedure_code": "1.001612",
        "sender": {
            "name": f"Người thử {client}",
            "address": "Phường Tây Sơn, Gia Lai",
            "email": f"thu{client}.{n}@example.vn",
        },
    }


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.accepted: dict[str, str] = {}  # Idempotency-Key -> code (201)
        self.retries_ok = 0
        self.retry_mismatches: list[str] = []
        self.failures: list[str] = []

    def record(self, latency: float, status: int) -> None:
        with self.lock:
            self.latencies.append(latency)
            self.statuses[status] += 1


def submitter(client: int, port: int, deadline: float, results: Results) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        for n in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            key = f"load-{uuid.uuid4().hex}"
            body = json.dumps(payload(client, n), ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json", "Idempotency-Key": key}
            sends = 2 if random.random() < 0.1 else 1
            first_code = None
            for attempt in range(sends):
                started = time.perf_counter()
                try:
                    conn.request("POST", "/api/v1/feedback", body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException) as err:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                    with results.lock:
                        results.failures.append(f"{type(err).__name__}: {err}")
                    break
                results.record(time.perf_counter() - started, response.status)
                if response.status >= 500:
                    with results.lock:
                        results.failures.append(f"{response.status}: {data[:200]!r}")
                    break
                code = json.loads(data).get("code") if response.status in (200, 201) else None
                if attempt == 0:
                    if response.status != 201:
                        with results.lock:
                            results.failures.append(f"first send {response.status}: {data[:200]!r}")
                        break
                    first_code = code
                    with results.lock:
                        results.accepted[key] = code
                else:
                    with results.lock:
                        if response.status == 200 and code == first_code:
                            results.retries_ok += 1
                        else:
                            results.retry_mismatches.append(f"{key}: {response.status} {code} != {first_code}")
    finally:
        conn.close()


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def verify(db_url: str, results: Results) -> list[str]:
    problems = []
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT code, submission_token FROM feedback_feedback").fetchall()
    codes = Counter(code for code, _token in rows)
    tokens = Counter(token for _code, token in rows)
    stored_by_token = {token: code for code, token in rows}
    if any(n > 1 for n in codes.values()):
        problems.append("duplicate codes in the database")
    if any(n > 1 for n in tokens.values()):
        problems.append("a submission token stored twice")
    for key, code in results.accepted.items():
        if stored_by_token.get(f"api:{key}") != code:
            problems.append(f"accepted {key} ({code}) is not stored under its code")
    if len(rows) != len(results.accepted):
        problems.append(f"{len(rows)} rows stored for {len(results.accepted)} accepted submissions")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--database", default="cchc_feedback_load")
    parser.add_argument(
        "--admin-url", default=os.environ.get("LOAD_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="cache shared by the gunicorn workers, as in production ('' for per-process memory)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    if not re.fullmatch(r"[a-z0-9_]{1,60}", args.database):
        parser.error("--database: lower-case letters, digits and _ only")
    db_url = args.admin_url.rsplit("/", 1)[0] + f"/{args.database}"
    recreate_database(args.admin_url, args.database)
    var_dir = tempfile.mkdtemp(prefix="cchc-load-")
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "CCHC_VAR_DIR": var_dir,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": HOST,
        "FEEDBACK_RATE_LIMIT": "1000000000/h",  # every simulated client shares 127.0.0.1
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DB_CONN_MAX_AGE": "60",
    }
    if args.redis_url and redis_reachable(args.redis_url):
        env["REDIS_URL"] = args.redis_url
    subprocess.run(
        [str(BIN / "cchc"), "migrate", "--noinput", "-v", "0"],  # noqa: S603 - our own command
        env=env,
        cwd=ROOT,
        check=True,
    )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(BIN / "gunicorn"),
            "cchc.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            "--backlog",
            "256",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(port, server)
        results = Results()
        started = time.monotonic()
        deadline = started + args.seconds
        threads = [
            threading.Thread(target=submitter, args=(i, port, deadline, results), daemon=True)
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.seconds + 60)
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()

    problems = verify(db_url, results)
    if not args.keep:
        with psycopg.connect(args.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    requests = len(results.latencies)
    server_errors = sum(n for status, n in results.statuses.items() if status >= 500)
    ms = [x * 1000 for x in results.latencies] or [0.0]
    print(
        f"clients={args.clients} seconds={elapsed:.1f} gunicorn={args.workers}x{args.threads} (gthread) "
        f"database=PostgreSQL cache={'Redis' if 'REDIS_URL' in env else 'per-process memory'}"
    )
    print(
        f"requests={requests} statuses={dict(sorted(results.statuses.items()))} server_errors={server_errors} "
        f"transport_failures={len([f for f in results.failures if not f[:3].isdigit()])}"
    )
    print(
        f"accepted submissions={len(results.accepted)} retries answered with the same code={results.retries_ok} "
        f"retry mismatches={len(results.retry_mismatches)}"
    )
    print(f"throughput={requests / elapsed:.1f} req/s ({len(results.accepted) / elapsed:.1f} submissions/s)")
    print(
        f"latency ms: median={statistics.median(ms):.1f} p95={percentile(ms, 95):.1f} "
        f"p99={percentile(ms, 99):.1f} max={max(ms):.1f}"
    )
    for problem in [*problems, *results.retry_mismatches[:5], *results.failures[:5]]:
        print("PROBLEM:", problem)
    ok = not problems and not results.retry_mismatches and not results.failures and server_errors == 0
    print("OK: every accepted submission stored exactly once with a unique code, no server error" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
