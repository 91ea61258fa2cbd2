from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import Role
from cchc.accounts.permissions import role_required
from cchc.audit.actions import do_export_audit
from cchc.audit.models import AuditEntry
from cchc.lib.paging import paginate

SECTIONS = {
    "plans": "plans.",
    "orgs": "orgs.",
    "accounts": "accounts.",
    "feedback": "feedback.",
    "access": "access.",
    "privacy": "privacy.",
}
# An export is read in one go by the security officer's tools; larger periods go through the command.
MAX_EXPORT_DAYS = 370


@role_required(Role.COORDINATOR, Role.OBSERVER, Role.ADMIN)
def audit_list(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.visible_to(request.user).select_related("unit")
    section = request.GET.get("section", "")
    if section in SECTIONS:
        entries = entries.filter(action__startswith=SECTIONS[section])
    return render(request, "audit/audit_list.html", {"page": paginate(request, entries), "section": section})


def _date(value: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


@role_required(Role.ADMIN)
def audit_export(request: HttpRequest) -> HttpResponse:
    """The security officer's download: GET shows the form, ``?from=&to=&format=`` downloads."""
    if "from" not in request.GET:
        today = timezone.localdate()
        return render(request, "audit/audit_export.html", {"start": today.replace(day=1), "end": today})
    start, end = _date(request.GET.get("from", "")), _date(request.GET.get("to", ""))
    fmt = request.GET.get("format", "csv")
    if start is None or end is None or end < start or fmt not in ("csv", "json"):
        messages.error(
            request, _("Khoảng thời gian không hợp lệ: nhập ngày theo dạng dd/mm/yyyy, ngày cuối không trước ngày đầu.")
        )
        return redirect("audit:export")
    if (end - start).days > MAX_EXPORT_DAYS:
        messages.error(
            request,
            _("Mỗi lần tải tối đa %(n)d ngày; khoảng dài hơn hãy dùng lệnh “cchc export_audit”.")
            % {"n": MAX_EXPORT_DAYS},
        )
        return redirect("audit:export")
    buffer = io.StringIO()
    do_export_audit(buffer, start, end, fmt, via="web")
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    # A BOM so that Excel opens the Vietnamese CSV as UTF-8.
    body = ("\ufeff" if fmt == "csv" else "") + buffer.getvalue()
    response = HttpResponse(body.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"'
    return response
