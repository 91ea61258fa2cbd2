#!/usr/bin/env python3
"""Where one page spends its time: cProfile over Django's test client, on the data set ``make bench`` built.

    .venv/bin/python bench/profile_page.py USERNAME PATH [--requests N] [--sort tottime|cumtime] [--top N]
                                           [--queries] [--time-only]
    .venv/bin/python bench/profile_page.py gia-lai-coordinator /units/
    .venv/bin/python bench/profile_page.py - /                       # "-": a visitor not signed in

It signs the user in without the form (``force_login``) and marks the session as having passed the second
factor with a device named "profile" it creates for that user if needed: run it only against a benchmark
database (default ``cchc_bench`` on the local PostgreSQL, with Redis db 15, as ``make bench`` leaves them).
Persistent database connections are on (``DB_CONN_MAX_AGE=60``) as in deploy/cchc.env.example, so the times
do not include a new connection per request. It prints the page's size, its SQL queries, the wall time per
request without the profiler, then the profile's top lines.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("username", help='an account of the benchmark data set, or "-" for a visitor')
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--queries", action="store_true", help="print each SQL query of one request")
    parser.add_argument("--time-only", action="store_true", help="no profile: the time per request only")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cchc_bench")
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cchc.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    if args.username != "-":
        user = User.objects.get(username=args.username)
        client.force_login(user)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="profile", defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    response = client.get(args.path)
    if response.status_code != 200:
        raise SystemExit(f"{args.path} answered {response.status_code} {response.get('Location', '')}")
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path)
    print(f"{len(response.content)} bytes, {len(queries.captured_queries)} queries")
    if args.queries:
        for query in queries.captured_queries:
            print(f"  {query['time']} s  {query['sql'][:300]}")
    began = time.perf_counter()
    for _ in range(args.requests):
        client.get(args.path)
    print(f"{(time.perf_counter() - began) * 1000 / args.requests:.2f} ms a request (no profiler)")
    if not args.time_only:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            client.get(args.path)
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
