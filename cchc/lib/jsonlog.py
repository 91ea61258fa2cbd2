"""Log records as JSON lines, one object per line, for journald, Loki, ELK or plain ``grep``/``jq``.

Each line carries the time (ISO 8601 with zone), level, logger and message, the request being served
(method, path, user) when there is one, and the exception text when there is one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket

from cchc.lib import request_context

_HOST = socket.gethostname()
# Attributes every LogRecord has; anything else passed through ``extra=`` is copied to the line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "host": _HOST,
            "pid": os.getpid(),
        }
        request = request_context.current_request()
        if request is not None:
            line["method"] = request.method
            line["path"] = request.path
            user = getattr(request, "user", None)
            if user is not None and getattr(user, "is_authenticated", False):
                line["user"] = user.get_username()
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
