from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cchc.accounts.models import Role
from cchc.accounts.permissions import role_required
from cchc.audit.models import AuditEntry
from cchc.lib.paging import paginate

SECTIONS = {"plans": "plans.", "orgs": "orgs.", "accounts": "accounts.", "feedback": "feedback."}


@role_required(Role.COORDINATOR, Role.OBSERVER, Role.ADMIN)
def audit_list(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.visible_to(request.user).select_related("unit")
    section = request.GET.get("section", "")
    if section in SECTIONS:
        entries = entries.filter(action__startswith=SECTIONS[section])
    return render(request, "audit/audit_list.html", {"page": paginate(request, entries), "section": section})
