#!/usr/bin/env python3
"""Two cchc app servers behind nginx, sharing one PostgreSQL, one Redis and one S3-compatible store.

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/cchc .venv/bin/python bench/two_servers.py

What it shows: nothing one app server needs is kept in another's process or on its disk. It starts
two gunicorn servers (deploy/gunicorn.conf.py, production settings) on two loopback ports, each with
its own local folder, behind nginx (TLS, deploy/nginx/cchc-proxy-params.conf) on a third port, an S3
store (moto's server) on a fourth, then, as an administrator would:

  1. logs in through server A,
  2. uploads a file through server B with that session (/ops/storage-check/, permission-checked),
  3. reads it back through server A, byte for byte; and finds it in the bucket, on neither local disk,
  4. backs the deployment up from A, loses the file, restores from B, reads it again.

nginx picks the server from a request header (X-Cchc-Backend: a|b), and every answer says which
server gave it (X-Cchc-Upstream), so each step is checked to have gone where it should. Only
127.0.0.1 is used; everything stops by itself within DEADLINE seconds. Exit status 0 when all passed.

When evidence upload lands (execution), step 2 should upload evidence to a result through its own
view and step 3 read it through the evidence download view.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEADLINE = 300  # seconds for the whole run
# A real 1×1 PNG (as cchc.testing.PNG_BYTES): the upload checks walk its chunks.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


class Failed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, name: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise Failed(f"{name} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise Failed(f"{name} did not listen on 127.0.0.1:{port} within {seconds} s")


class Stack:
    """The processes this run started, stopped in reverse order whatever happens."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        proc = subprocess.Popen(
            args,
            env=env,
            cwd=ROOT,
            stdout=open(log, "wb"),  # noqa: S603, SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append((name, proc, log))
        return proc

    def stop(self) -> None:
        for _, proc, _ in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for name, proc, _ in reversed(self.procs):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                print(f"  {name} did not stop; killing it")
                proc.kill()
                proc.wait(timeout=5)

    def show_logs(self) -> None:
        for name, _, log in self.procs:
            text = log.read_text(errors="replace").strip().splitlines()
            print(f"--- last lines of {name} ---")
            print("\n".join(text[-25:]))


def cchc(env: dict, *args: str, timeout: int = 180) -> str:
    result = subprocess.run(
        [str(BIN / "cchc"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,  # noqa: S603
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise Failed(f"cchc {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Client:
    """HTTPS through nginx to a chosen app server, keeping cookies like a browser."""

    def __init__(self, port: int, cafile: Path):
        self.port = port
        self.context = ssl.create_default_context(cafile=str(cafile))
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        backend: str | None = None,
        body: bytes | None = None,
        headers: dict | None = None,
    ) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=20)
        sent = {"Referer": self.origin + path, **(headers or {})}
        if backend:
            sent["X-Cchc-Backend"] = backend
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, {k.lower(): v for k, v in response.headers.items()}, data


def csrf_token(page: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise Failed("no CSRF token in the form")
    return match.group(1).decode()


def multipart(fields: dict[str, str], file_field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def nginx_conf(tmp: Path, port: int, cert: Path, key: Path, a: int, b: int) -> str:
    temp = tmp / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / sub).mkdir(parents=True, exist_ok=True)
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read this run's private folder
    return f"""
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    log_format upstream '$request $status $upstream_addr';
    access_log {tmp}/nginx-access.log upstream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream cchc_app {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; keepalive 8; }}
    upstream cchc_a {{ server 127.0.0.1:{a}; keepalive 4; }}
    upstream cchc_b {{ server 127.0.0.1:{b}; keepalive 4; }}
    # The test chooses the app server; without the header nginx balances over both.
    map $http_x_cchc_backend $cchc_upstream {{ default cchc_app; a cchc_a; b cchc_b; }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name 127.0.0.1;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        add_header X-Cchc-Upstream $upstream_addr always;
        location / {{
            proxy_pass http://$cchc_upstream;
            include {ROOT}/deploy/nginx/cchc-proxy-params.conf;
        }}
    }}
}}
"""


def database_urls() -> tuple[str, str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise Failed("DATABASE_URL must point at PostgreSQL (the test creates and drops its own database)")
    name = f"cchc_two_servers_{os.getpid()}"
    parts = urlsplit(url)
    return (urlunsplit(parts._replace(path=f"/{name}")), urlunsplit(parts._replace(path="/postgres")), name)


def admin_sql(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def run(tmp: Path, stack: Stack, steps: list[str]) -> None:
    def ok(message: str) -> None:
        steps.append(message)
        print(f"ok {len(steps):2d}  {message}", flush=True)

    db_url, admin_url, db_name = database_urls()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    from redis import Redis

    Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{db_name}"')
    admin_sql(admin_url, f'CREATE DATABASE "{db_name}"')

    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",  # noqa: S603, S607
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )

    port_a, port_b, port_nginx, port_s3 = free_port(), free_port(), free_port(), free_port()
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CCHC_", "DJANGO_", "AWS_", "GUNICORN_", "PG"))
        and k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    s3 = stack.start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port_s3)], base_env)
    wait_for_port(port_s3, s3, "S3 (moto)")
    bucket = "cchc-minh-chung"
    import boto3

    s3_client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port_s3}",
        region_name="us-east-1",
        aws_access_key_id="cchc-test",
        aws_secret_access_key="cchc-test-secret",  # pragma: allowlist secret
    )  # noqa: S106
    s3_client.create_bucket(Bucket=bucket)

    (tmp / "secret_key").write_text(secrets.token_urlsafe(50))
    (tmp / "s3_secret").write_text("cchc-test-secret")
    (tmp / "database_url").write_text(db_url)
    common = {
        **base_env,
        "CCHC_PRODUCTION": "1",
        "SECRET_KEY_FILE": str(tmp / "secret_key"),
        "DATABASE_URL_FILE": str(tmp / "database_url"),
        "REDIS_URL": redis_url,
        "CCHC_CACHE_PREFIX": f"cchc-two-servers-{os.getpid()}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port_nginx}",
        "CCHC_S3_BUCKET": bucket,
        "CCHC_S3_ENDPOINT_URL": f"http://127.0.0.1:{port_s3}",
        "CCHC_S3_REGION": "us-east-1",
        "CCHC_S3_ACCESS_KEY": "cchc-test",
        "CCHC_S3_SECRET_KEY_FILE": str(tmp / "s3_secret"),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESSLOG": "-",
        "LOG_LEVEL": "INFO",
        # This test is about what servers share; the administrator's second factor has its own tests
        # (cchc/accounts/tests/test_mfa.py) and would need a TOTP device here.
        "MFA_ENFORCED": "0",
    }
    env_a = {**common, "CCHC_VAR_DIR": str(tmp / "server-a"), "CCHC_BIND": f"127.0.0.1:{port_a}"}
    env_b = {**common, "CCHC_VAR_DIR": str(tmp / "server-b"), "CCHC_BIND": f"127.0.0.1:{port_b}"}

    cchc(env_a, "check", "--deploy", "--fail-level", "WARNING")
    ok("cchc check --deploy: no issue with the production settings used here")
    cchc(env_a, "migrate", "--noinput")
    for env in (env_a, env_b):
        cchc(env, "collectstatic", "--noinput")
    password = secrets.token_urlsafe(16)
    cchc(
        {**env_a, "CCHC_TEST_PASSWORD": password},
        "shell",
        "-c",
        (
            "import os; from cchc.accounts.models import Role, User; "
            "u = User(username='it-admin', role=Role.ADMIN, is_staff=True, is_superuser=True, full_name='Quản trị'); "
            "u.set_password(os.environ['CCHC_TEST_PASSWORD']); u.save()"
        ),
    )
    ok(f"database {db_name} migrated; static files collected on each server; administrator created")

    gunicorn = [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "cchc.wsgi"]
    server_a = stack.start("server-a", gunicorn, env_a)
    server_b = stack.start("server-b", gunicorn, env_b)
    wait_for_port(port_a, server_a, "server A")
    wait_for_port(port_b, server_b, "server B")
    (tmp / "nginx.conf").write_text(nginx_conf(tmp, port_nginx, cert, key, port_a, port_b))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    nginx_args = [nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "nginx-error.log")]
    test = subprocess.run([*nginx_args, "-t"], capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
    if test.returncode != 0:
        raise Failed(f"nginx -t: {test.stderr}")
    proxy = stack.start("nginx", [*nginx_args, "-g", "daemon off;"], base_env)
    wait_for_port(port_nginx, proxy, "nginx")

    upstream = {"a": f"127.0.0.1:{port_a}", "b": f"127.0.0.1:{port_b}"}
    client = Client(port_nginx, cert)

    def expect(status: int, got: tuple[int, dict, bytes], server: str | None, what: str) -> tuple[int, dict, bytes]:
        code, headers, body = got
        if code != status:
            raise Failed(f"{what}: HTTP {code}, expected {status}: {body[:300]!r}")
        if server and headers.get("x-cchc-upstream") != upstream[server]:
            raise Failed(f"{what}: served by {headers.get('x-cchc-upstream')}, expected server {server.upper()}")
        return got

    seen = {client.request("GET", "/healthz")[1].get("x-cchc-upstream") for _ in range(4)}
    if seen != set(upstream.values()):
        raise Failed(f"nginx balanced /healthz over {seen}, expected both servers")
    for server in ("a", "b"):
        _, _, body = expect(200, client.request("GET", "/readyz", backend=server), server, f"/readyz on {server}")
        if json.loads(body)["checks"] != {"database": "ok", "cache": "ok", "storage": "ok"}:
            raise Failed(f"/readyz on {server}: {body!r}")
    ok("nginx balances over both servers; each reaches PostgreSQL, Redis and S3 (/readyz)")

    _, _, page = expect(200, client.request("GET", "/accounts/login/", backend="a"), "a", "login form")
    form = urlencode({"username": "it-admin", "password": password, "csrfmiddlewaretoken": csrf_token(page)})
    _, headers, _ = expect(
        302,
        client.request(
            "POST",
            "/accounts/login/",
            backend="a",
            body=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        "a",
        "log in",
    )
    # Production names it "__Host-cchc_session" (Secure, host-only); development "sessionid".
    if not any("session" in name for name in client.cookies):
        raise Failed("no session cookie after logging in")
    ok(f"logged in through server A (redirected to {headers.get('location')})")

    _, _, page = expect(
        200, client.request("GET", "/ops/storage-check/", backend="b"), "b", "storage check page on B with A's session"
    )
    body, content_type = multipart({"csrfmiddlewaretoken": csrf_token(page)}, "file", "minh-chung.png", PNG)
    _, headers, _ = expect(
        302,
        client.request("POST", "/ops/storage-check/", backend="b", body=body, headers={"Content-Type": content_type}),
        "b",
        "upload",
    )
    match = re.search(r"name=([0-9a-f]{32}\.png)", headers.get("location", ""))
    if not match:
        raise Failed(f"upload did not name the stored file: {headers.get('location')}")
    name = match.group(1)
    ok(f"uploaded {len(PNG)} bytes through server B with the session from A (stored as {name})")

    _, _, data = expect(200, client.request("GET", f"/ops/storage-check/{name}", backend="a"), "a", "read back")
    if data != PNG:
        raise Failed(f"server A returned {len(data)} bytes that differ from what was uploaded")
    ok("read the same bytes back through server A")

    stored = s3_client.get_object(Bucket=bucket, Key=f"ops-check/{name}")["Body"].read()
    local = [p for p in tmp.rglob(name)]
    if stored != PNG or local:
        raise Failed(f"file not only in the shared store: bucket has {len(stored)} bytes, local copies {local}")
    ok("the file is in the S3 bucket and on neither server's disk")

    backup_out = cchc(env_a, "backup", "--output-dir", str(tmp / "backups"))
    archive = backup_out.strip().splitlines()[-1]
    s3_client.delete_object(Bucket=bucket, Key=f"ops-check/{name}")
    expect(404, client.request("GET", f"/ops/storage-check/{name}", backend="b"), "b", "file gone")
    restore_out = cchc(env_b, "restore", "--noinput", archive)
    _, _, data = expect(200, client.request("GET", f"/ops/storage-check/{name}", backend="b"), "b", "after restore")
    if data != PNG:
        raise Failed("the restored file differs")
    ok(f"backup from A (PostgreSQL + S3), restore from B: {restore_out.strip().splitlines()[-1]}")

    _, _, page = expect(200, client.request("GET", "/my-work/", backend="b"), "b", "signed-in page after restore")
    ok("the session survived the restore; pages answer on both servers")


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="cchc-two-servers-"))
    stack = Stack(tmp)
    steps: list[str] = []

    def timeout(signum, frame):
        raise Failed(f"did not finish within {DEADLINE} s")

    signal.signal(signal.SIGALRM, timeout)
    signal.alarm(DEADLINE)
    failed = False
    started = time.monotonic()
    try:
        run(tmp, stack, steps)
    except Exception as err:  # noqa: BLE001 - any failure: report it, show the logs, exit non-zero
        failed = True
        print(f"FAILED after step {len(steps)}: {err}")
        if not isinstance(err, Failed):
            traceback.print_exc()
        stack.show_logs()
    finally:
        signal.alarm(0)
        stack.stop()
        try:
            _, admin_url, db_name = database_urls()
            admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        except Exception as err:  # noqa: BLE001
            print(f"could not drop the test database: {err}")
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"two servers: {time.monotonic() - started:.0f} s")
    print(f"two-servers: {len(steps)} passed, {1 if failed else 0} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
