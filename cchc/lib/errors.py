"""Error pages: the CSRF failure page in Vietnamese (403, 404 and 500 are templates in cchc/templates), and the
500 handler that tells an unreachable database (503, "try again in a minute") from a fault, and answers the
APIs in JSON rather than with a page.

``deploy/nginx/errors/503.html`` is the same message as a static file, shown by nginx while gunicorn restarts
(502/503/504), so no visitor ever sees nginx's English default page.
"""

from __future__ import annotations

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

# Paths answered in JSON: the JSON API and Open311 (which wants a list of {code, description}).
API_PREFIXES = ("/api/", "/open311/")
RETRY_AFTER_SECONDS = 30


def _database_unavailable(error: BaseException | None) -> bool:
    # OperationalError: connection refused, server gone, "database is locked"; InterfaceError: connection closed.
    return isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and "could not connect" in str(error)
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 with Retry-After when the database cannot be reached, else 500; JSON for the APIs.

    Renders without touching the database (no context processors, no session, no user)."""
    unavailable = _database_unavailable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    if unavailable:
        message = _("Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Hãy thử lại sau ít phút.")
    else:
        message = _("Đã có lỗi khi xử lý yêu cầu. Lỗi đã được ghi lại; hãy thử lại sau ít phút.")
    if request.path.startswith(API_PREFIXES):
        body = (
            [{"code": status, "description": message}]
            if request.path.startswith("/open311/")
            else {"status": status, "detail": message}
        )
        response = JsonResponse(body, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    else:
        template = loader.get_template("503.html" if unavailable else "500.html")
        response = HttpResponse(template.render({}), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """Shown when a form comes back without a valid CSRF token (expired page, forged request)."""
    # The reason is for the logs (the refusal middleware writes the audit row); the person gets advice.
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render({"reason": reason}, request))
