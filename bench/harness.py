"""What every benchmark module gets: a running server, a trivial view beside it, query counting, timing.

A module ``bench/bench_<thing>.py`` exposes ``run(ctx: Context) -> list[dict]``; each dict is one
result: ``{"name", "value", "unit", "ratio_to_trivial", "queries", "target", "met", ...}``. Helpers:

- ``ctx.throughput(path, cookie=...)``: requests per second on the gunicorn serving the generated data
  set, measured in alternating rounds with the trivial view (``/healthz``, no database) of the same
  server, so the ratio says what the page costs whatever else the machine is doing.
- ``ctx.query_counts("bench_pages:pages", size)``: SQL queries of each page on the "small" and the
  "default" data set, counted in a separate process per data set (Django's test client, second request),
  with the page's server time there (``server_ms`` warm, ``cold_ms`` after the cache was emptied).
- ``ctx.login(username)``: a session cookie from the real log-in form.
- ``ctx.timeit(fn)``: median seconds of a function run in this process (Django is set up on the
  default data set), for imports, consolidation and other work without a page.
- ``ctx.page_result(...)``/``ctx.timing_result(...)``: result dicts in the shape results.json expects.

Loops are bounded (duration × rounds) and only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
TRIVIAL_PATH = "/healthz"
PUBLIC_TARGET = 0.5
SIGNED_IN_TARGET = 0.2


@dataclass
class Load:
    rps: float
    requests: int
    errors: int  # non-2xx answers or failed requests


def _ab(url: str, concurrency: int, seconds: float, cookie: str | None) -> Load:
    args = [
        shutil.which("ab") or "ab",
        "-q",
        "-k",
        "-l",
        "-c",
        str(concurrency),
        "-t",
        # ab reads -t with atoi(): "0.3" would be 0, which means no time limit at all and a run of the
        # ten million requests of -n. Whole seconds, at least one.
        str(max(1, math.ceil(seconds))),
        "-n",
        "10000000",
        "-s",
        "30",
    ]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*args, url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,  # noqa: S603
        check=False,
    ).stdout
    rps = re.search(r"Requests per second:\s+([\d.]+)", out)
    done = re.search(r"Complete requests:\s+(\d+)", out)
    if not rps or not done:
        raise RuntimeError(f"ab gave no result for {url}: {out[-500:]}")
    failed = re.search(r"Failed requests:\s+(\d+)", out)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    errors = (int(failed.group(1)) if failed else 0) + (int(non2xx.group(1)) if non2xx else 0)
    return Load(rps=float(rps.group(1)), requests=int(done.group(1)), errors=errors)


def _python_load(url: str, concurrency: int, seconds: float, cookie: str | None) -> Load:
    """Keep-alive HTTP/1.1 clients in threads: the fallback when ApacheBench is not installed."""
    host_port, _, path = url.removeprefix("http://").partition("/")
    host, _, port = host_port.partition(":")
    headers = {"Cookie": cookie} if cookie else {}
    counts = [0] * concurrency
    errors = [0] * concurrency
    deadline = time.perf_counter() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.perf_counter() < deadline:
            try:
                conn.request("GET", "/" + path, headers=headers)
                response = conn.getresponse()
                response.read()
                if 200 <= response.status < 300:
                    counts[i] += 1
                else:
                    errors[i] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
        conn.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    return Load(rps=sum(counts) / elapsed, requests=sum(counts), errors=sum(errors))


def load_tool() -> str:
    return "ab" if shutil.which("ab") else "python"


@dataclass
class Context:
    base_url: str
    database_url: str
    small_database_url: str
    datasets: dict
    duration: float = 1.0
    rounds: int = 10
    concurrency: int = 8
    password: str = ""
    quick: bool = False  # CI's smoke run: every page must answer 200 and keep its query count flat
    trivial_samples: list[float] = field(default_factory=list)
    _query_cache: dict = field(default_factory=dict)
    _sessions: dict = field(default_factory=dict)
    _totp_secrets: dict = field(default_factory=dict)
    _last_steps: dict = field(default_factory=dict)

    # --- throughput -----------------------------------------------------------------------------------
    def load(self, path: str, cookie: str | None = None, seconds: float | None = None) -> Load:
        tool = _ab if load_tool() == "ab" else _python_load
        return tool(self.base_url + path, self.concurrency, seconds or self.duration, cookie)

    def warm(self, path: str, cookie: str | None = None, n: int = 20) -> None:
        for _ in range(n):
            status, _ = self.get(path, cookie)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} while warming up")

    def throughput(self, path: str, cookie: str | None = None) -> dict:
        """Median requests/s of ``path`` and of the trivial view, measured in alternating rounds."""
        self.warm(TRIVIAL_PATH)
        self.warm(path, cookie)
        pages, trivials, ratios, errors = [], [], [], 0
        for _ in range(self.rounds):
            trivial = self.load(TRIVIAL_PATH)
            page = self.load(path, cookie)
            errors += page.errors + trivial.errors
            trivials.append(trivial.rps)
            pages.append(page.rps)
            ratios.append(page.rps / trivial.rps if trivial.rps else 0.0)
        self.trivial_samples += trivials
        return {
            "rps": statistics.median(pages),
            "trivial_rps": statistics.median(trivials),
            "ratio": statistics.median(ratios),
            "errors": errors,
            "rounds": self.rounds,
        }

    # --- HTTP helpers ----------------------------------------------------------------------------------
    def get(self, path: str, cookie: str | None = None) -> tuple[int, bytes]:
        host_port = self.base_url.removeprefix("http://")
        host, _, port = host_port.partition(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def login(self, username: str) -> str:
        """Log in as a person does: the real form, then the second factor where the account needs one.

        A coordinator or administrator must use a second factor: on the first log-in the harness sets up
        an authenticator the way a person does (reads the secret shown for manual entry, types the code
        its "app" computes), keeps that secret, and answers the verification page on later log-ins.
        Sessions are kept per user for the whole run, as a browser keeps its cookie.
        """
        if username in self._sessions:
            return self._sessions[username]
        cookies: dict[str, str] = {}
        status, location, page = self._request("GET", "/accounts/login/", cookies)
        body = {"username": username, "password": self.password, "csrfmiddlewaretoken": _csrf(page)}
        status, location, _page = self._request("POST", "/accounts/login/", cookies, body)
        if status != 302 or "sessionid" not in cookies:
            raise RuntimeError(f"log-in as {username} failed (HTTP {status})")
        # Follow the redirects a browser follows: the landing page sends an account that needs a second
        # factor to its set-up page (first time) or its verification page.
        for _ in range(6):
            path = location.removeprefix(self.base_url)
            if not path:
                break
            status, location, page = self._request("GET", path, cookies)
            if status in (301, 302, 303):
                continue
            if status != 200:
                raise RuntimeError(f"log-in as {username}: {path} answered {status}")
            if "/security/mfa/" not in path:
                break
            if "/mfa/setup/" in path:
                secret = re.search(rb'class="secret">([A-Z2-7=]+)<', page).group(1).decode()
                self._totp_secrets[username] = secret
            secret = self._totp_secrets.get(username)
            if secret is None:
                raise RuntimeError(f"{username} has a second factor this run did not set up")
            body = {"token": self._fresh_totp(username, secret), "csrfmiddlewaretoken": _csrf(page)}
            status, location, _page = self._request("POST", path, cookies, body)
            if status != 302:
                raise RuntimeError(f"second factor for {username} refused (HTTP {status})")
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self._sessions[username] = cookie
        return cookie

    def _fresh_totp(self, username: str, secret: str) -> str:
        """A code for a time step not used before by this user (a code cannot be used twice)."""
        while True:
            step = int(time.time()) // 30
            if step > self._last_steps.get(username, -1):
                self._last_steps[username] = step
                return totp(secret, step)
            time.sleep(0.5)

    def _request(self, method: str, path: str, cookies: dict, form: dict | None = None):
        host, _, port = self.base_url.removeprefix("http://").partition(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base_url + path})
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            page = response.read()
            cookies.update(_set_cookies(response))
            return response.status, response.getheader("Location") or "", page
        finally:
            conn.close()

    # --- SQL queries --------------------------------------------------------------------------------------
    def query_counts(self, pages_ref: str, size: str = "default") -> dict[str, dict]:
        """Queries per page on a data set ("small" or "default"), in a fresh process on that database."""
        key = (pages_ref, size)
        if key not in self._query_cache:
            url = self.small_database_url if size == "small" else self.database_url
            env = {**os.environ, "DATABASE_URL": url}
            out = subprocess.run(
                [sys.executable, str(BENCH_DIR / "harness.py"), "queries", pages_ref],  # noqa: S603
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if out.returncode != 0:
                raise RuntimeError(f"counting queries failed: {out.stderr[-2000:]}")
            self._query_cache[key] = json.loads(out.stdout.strip().splitlines()[-1])
        return self._query_cache[key]

    # --- timing in process -----------------------------------------------------------------------------
    @staticmethod
    def timeit(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
        for _ in range(warmup):
            fn()
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - began)
        return statistics.median(samples)

    # --- result shapes -----------------------------------------------------------------------------------
    def page_result(
        self,
        name: str,
        path: str,
        measured: dict,
        queries: int | None,
        queries_small: int | None,
        *,
        public: bool,
        bound: bool = False,
        **extra,
    ) -> dict:
        """``bound``: a measurement recorded without a target (the signed-in floor), ``met`` None; ``extra``
        recorded as given (the page's server time)."""
        target_ratio = PUBLIC_TARGET if public else SIGNED_IN_TARGET
        growth_ok = queries is not None and queries_small is not None and queries <= queries_small
        # The quick run (CI) is too short and too small to judge speed: it checks answers and query growth.
        ratio_ok = (self.quick or measured["ratio"] >= target_ratio) and measured["errors"] == 0
        if bound:
            target, met = "none: a bound, recorded", None
        else:
            target = f"≥ {int(target_ratio * 100)}% of trivial req/s; queries not growing with data"
            met = ratio_ok and growth_ok
        return {
            "name": name,
            "value": round(measured["rps"], 1),
            "unit": "req/s",
            "ratio_to_trivial": round(measured["ratio"], 3),
            "queries": queries,
            "queries_small": queries_small,
            "target": target,
            "met": met,
            "path": path,
            "public": public,
            "trivial_rps": round(measured["trivial_rps"], 1),
            "errors": measured["errors"],
            **extra,
        }

    def timing_result(
        self, name: str, seconds: float, *, target_seconds: float | None = None, queries: int | None = None, **extra
    ) -> dict:
        if self.quick:
            target_seconds = None  # timings of a quick run on small data say nothing: recorded, not judged
        met = None if target_seconds is None else seconds <= target_seconds
        queries_small = extra.get("queries_small")
        if queries is not None and queries_small is not None:  # a query count must not grow with data
            met = (met is not False) and queries <= queries_small
        return {
            "name": name,
            "value": round(seconds * 1000, 1),
            "unit": "ms",
            "ratio_to_trivial": None,
            "queries": queries,
            "target": f"≤ {target_seconds * 1000:.0f} ms" if target_seconds else None,
            "met": met,
            **extra,
        }


def _csrf(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def totp(secret_b32: str, step: int, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1, 30-second steps), as any authenticator app computes it."""
    import base64
    import hashlib
    import hmac
    import struct

    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def _set_cookies(response) -> list[tuple[str, str]]:
    from http.cookies import SimpleCookie

    out = []
    for header in response.headers.get_all("Set-Cookie") or []:
        for key, morsel in SimpleCookie(header).items():
            out.append((key, morsel.value))
    return out


def load_module(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, BENCH_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sign_in(client, user) -> None:
    """A signed-in session, second factor included, for counting a page's queries in this process.

    The HTTP load goes through the real forms (``Context.login``); here only the view's own queries
    matter, so the session is marked verified with the user's device the way django-otp does after a
    correct code. A user without a device gets one for the count, removed afterwards so that the real
    log-in of the HTTP run still meets the set-up page it knows how to answer.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if not user.requires_mfa:
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench: query count", confirmed=True)
        _TEMPORARY_DEVICES.append(device)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


_TEMPORARY_DEVICES: list = []


def drop_temporary_devices() -> None:
    while _TEMPORARY_DEVICES:
        _TEMPORARY_DEVICES.pop().delete()


def _count_queries(pages_ref: str) -> dict[str, dict]:
    """Run in a child process with DATABASE_URL set: the queries of each page, second request."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from cchc.accounts.models import User

    setup_test_environment()
    module_name, _, func = pages_ref.partition(":")
    pages = getattr(load_module(module_name), func)()
    out = {}
    try:
        for page in pages:
            client = Client()
            if page.get("user"):
                sign_in(client, User.objects.get(username=page["user"]))
            client.get(page["path"])  # first request fills per-process caches (content types, templates)
            cache.clear()  # count what the view itself asks, not what a page cache spared it
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page["path"])
            if response.status_code != 200:
                raise RuntimeError(f"{page['name']}: {page['path']} answered {response.status_code}")
            out[page["name"]] = {
                "queries": len(captured.captured_queries),
                "path": page["path"],
                **_server_time(client, page["path"], cache),
            }
    finally:
        drop_temporary_devices()
    return out


def _server_time(client, path: str, cache, warm: int = 21, cold: int = 5) -> dict:
    """The page's server time in this process (middleware, view, queries, templates; no network, no gunicorn):
    the median of ``warm`` requests while nothing changes, and of ``cold`` ones after the cache was emptied
    (the first request after a change of data)."""

    def median_ms(runs: int, before=None) -> float:
        samples = []
        for _ in range(runs):
            if before:
                before()
            began = time.perf_counter()
            client.get(path)
            samples.append(time.perf_counter() - began)
        return round(statistics.median(samples) * 1000, 2)

    cold_ms = median_ms(cold, cache.clear)
    client.get(path)
    return {"server_ms": median_ms(warm), "cold_ms": cold_ms}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) == 3 and sys.argv[1] == "queries":
        print(json.dumps(_count_queries(sys.argv[2])))
    else:
        sys.exit("usage: harness.py queries MODULE:FUNCTION")
