"""gunicorn settings for cchc: ``gunicorn -c deploy/gunicorn.conf.py cchc.wsgi``.

Every value can be changed from the environment (the systemd unit reads /etc/cchc/cchc.env), so the
file itself stays as shipped.
"""

import json
import multiprocessing
import os

from gunicorn.glogging import Logger

bind = os.environ.get("CCHC_BIND", "127.0.0.1:8000").split(",")
# Threads keep a worker busy while one request waits on the database; processes use the cores.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# nginx on the same machine (or the load balancer's address) may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
SHM = "/dev/shm"  # noqa: S108 - gunicorn's own advice for its heartbeat files
if os.path.isdir(SHM):
    worker_tmp_dir = SHM  # the heartbeat file: never on a slow or full disk

errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
if accesslog in {"", "none", "off"}:
    accesslog = None


class JsonAccessLogger(Logger):
    """One JSON object per request, like the application's own logs (cchc.lib.jsonlog)."""

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog:
            return
        if environ.get("PATH_INFO") == "/healthz" and str(resp.status).startswith("200"):
            return  # load balancer probes every few seconds: not worth a line each
        line = {
            "ts": self.now(),
            "logger": "gunicorn.access",
            "remote": environ.get("HTTP_X_REAL_IP") or environ.get("REMOTE_ADDR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING") or None,
            "status": int(str(resp.status).split()[0]),
            "bytes": getattr(resp, "sent", None),
            "ms": round(request_time.total_seconds() * 1000, 1),
            "ua": environ.get("HTTP_USER_AGENT"),
        }
        try:
            self.access_log.info(json.dumps(line, ensure_ascii=False))
        except Exception:  # noqa: BLE001 - a log line must never fail a request
            self.exception("access log failed")


logger_class = JsonAccessLogger
