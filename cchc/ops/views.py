"""Operational pages: health probes for load balancers, and a storage check for administrators."""

from __future__ import annotations

import logging
import re
import socket

from django.contrib import messages
from django.core.cache import cache
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cchc.accounts.models import Role
from cchc.accounts.permissions import role_required
from cchc.lib.uploads import EVIDENCE_KINDS, UploadRejected, check_upload
from cchc.ops.actions import CHECK_PREFIX, do_delete_check_file, do_store_check_file

logger = logging.getLogger("cchc.ops")
_CHECK_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No database, no cache: the benchmarks' trivial view too."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: this server can reach the database, the cache and the file store."""
    checks: dict[str, str] = {}
    probes = {
        "database": lambda: connection.cursor().execute("SELECT 1"),
        "cache": lambda: cache.set("cchc:readyz", 1, 10),
        "storage": lambda: default_storage.exists(f"{CHECK_PREFIX}readyz"),
    }
    for name, probe in probes.items():
        try:
            probe()
            checks[name] = "ok"
        except Exception:  # noqa: BLE001 - any failure makes the server not ready; the log says why
            logger.exception("readiness probe failed", extra={"probe": name})
            checks[name] = "failing"
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ok else "failing", "checks": checks}, status=200 if ok else 503)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def storage_check(request: HttpRequest) -> HttpResponse:
    """Upload a small file and read it back, to see that every app server reaches the shared file store."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Hãy chọn một tệp để thử."))
            return redirect("ops:storage_check")
        try:
            checked = check_upload(upload, allowed=EVIDENCE_KINDS)
        except UploadRejected as err:
            messages.error(request, str(err))
            return redirect("ops:storage_check")
        name, digest = do_store_check_file(checked, actor=request.user)
        messages.success(
            request,
            _("Đã lưu tệp thử “%(name)s” (%(size)d byte) trên máy chủ %(host)s.")
            % {"name": checked.original_name, "size": checked.size, "host": socket.gethostname()},
        )
        return redirect(f"{request.path}?name={name.removeprefix(CHECK_PREFIX)}&sha256={digest}")
    name = request.GET.get("name", "")
    return render(
        request,
        "ops/storage_check.html",
        {
            "name": name if _CHECK_NAME.match(name) else "",
            "sha256": request.GET.get("sha256", "")[:64],
            "backend": type(storages["default"]).__name__,
            "host": socket.gethostname(),
        },
    )


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def storage_check_file(request: HttpRequest, name: str) -> HttpResponse:
    if not _CHECK_NAME.match(name) or not default_storage.exists(CHECK_PREFIX + name):
        raise Http404
    if request.method == "POST":
        return _delete_check_file(request, name)
    response = FileResponse(default_storage.open(CHECK_PREFIX + name, "rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


def _delete_check_file(request: HttpRequest, name: str) -> HttpResponse:
    do_delete_check_file(name, actor=request.user)
    messages.success(request, _("Đã xóa tệp thử."))
    return redirect("ops:storage_check")
