"""Who may do what with reports, in one place (views, templates and actions all ask here)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from cchc.accounts.models import Role
from cchc.lib import figcache
from cchc.reports.models import EDITABLE_STATUSES, Report, ReportStatus


def is_coordinator(user) -> bool:
    """Sở Nội vụ staff review, consolidate and issue; the IT administrator may stand in."""
    return user.is_authenticated and (user.role == Role.COORDINATOR or user.is_superuser)


def is_staff_of(user, unit_id: int) -> bool:
    return user.is_authenticated and user.is_agency_staff and user.unit_id == unit_id


def can_write_report(user, report: Report) -> bool:
    """The agency's officers and head write the narratives while the report is with the agency."""
    return is_staff_of(user, report.unit_id) and report.status in EDITABLE_STATUSES


def can_submit_report(user, report: Report) -> bool:
    """Only the head of the agency sends its report."""
    return is_staff_of(user, report.unit_id) and user.role == Role.HEAD and report.status in EDITABLE_STATUSES


def can_review_report(user, report: Report) -> bool:
    return is_coordinator(user) and report.status == ReportStatus.SUBMITTED


def get_report_for_user(user, pk: int, *, write: bool = False, to_show: bool = False) -> Report:
    """The report if ``user`` may see it (404 otherwise); with ``write``, 403 unless it is their agency's.

    ``to_show``: for a page that only shows it: from the figure cache until the data changes (no query)."""
    reports = Report.objects.select_related("period", "period__plan", "unit").defer(
        "period__plan__source",
        "period__plan__accepted_warnings",  # the plan's document: not needed here
    )
    if to_show:
        report = figcache.cached("report-row", (pk,), lambda: reports.filter(pk=pk).first())
        if report is None or not report.is_visible_to(user):
            raise Http404
    else:
        report = get_object_or_404(reports.visible_to(user), pk=pk)
    if write and not is_staff_of(user, report.unit_id):
        raise PermissionDenied
    return report
