"""Results frozen by a submitted report.

Once an agency's report for a period is submitted (or accepted), the results it counted — that
agency's results dated inside the period's data window — can neither be edited nor deleted; they
open again only if the coordinator returns the report.

Enforcement: ``locked_by_report()`` is registered with ``cchc.execution.locks`` when Django starts
(``ReportsConfig.ready``), so the execution app's edit, delete and evidence actions refuse locked
results, and ``Result.objects.with_locks()`` flags them in the query that loads a list.

A rule over stored rows cannot see a result being *created* in, or *moved* into, a locked window;
``result_lock_reason(result, for_update=True)`` covers both (it checks the new date and the stored
one) and takes a row lock on the unit's reports covering those dates, so that a head submitting at
the same moment waits for the edit (or the edit waits for the submission and is then refused)::

    from cchc.reports.locks import result_lock_reason
    reason = result_lock_reason(result, for_update=True)   # inside the action's transaction
    if reason:
        raise ValidationError(reason)
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy

from cchc.reports.models import LOCKED_STATUSES, Report


def _dates(result) -> set[dt.date]:
    """The result's date as it is now and as it is stored: moving a result out of a locked window
    is as much a change to the locked report as editing it in place."""
    dates = {result.occurred_on} if result.occurred_on else set()
    if result.pk is not None:
        stored = type(result)._base_manager.filter(pk=result.pk).values_list("occurred_on", flat=True).first()
        if stored is not None:
            dates.add(stored)
    return dates


def locking_report(unit_id: int | None, days, *, for_update: bool = False) -> Report | None:
    """The submitted or accepted report of ``unit_id`` whose data window holds one of ``days``."""
    days = [d for d in days if d]
    if unit_id is None or not days:
        return None
    window = Q()
    for day in days:
        window |= Q(period__start__lte=day, period__end__gte=day)
    covering = Report.objects.filter(window, unit_id=unit_id)
    if for_update:
        # Lock every covering report whatever its state: a submission in flight must wait for us.
        covering = covering.select_for_update(of=("self",))
        rows = list(covering.select_related("period").order_by("pk"))
        return next((r for r in rows if r.status in LOCKED_STATUSES), None)
    return covering.filter(status__in=LOCKED_STATUSES).select_related("period").order_by("pk").first()


def is_result_locked(result, *, for_update: bool = False) -> bool:
    return result_lock_reason(result, for_update=for_update) is not None


def result_lock_reason(result, *, for_update: bool = False) -> str | None:
    """Why ``result`` cannot be changed or deleted (in Vietnamese), or None when it can."""
    report = locking_report(result.unit_id, _dates(result), for_update=for_update)
    if report is None:
        return None
    return (
        f"Kết quả này thuộc báo cáo {report.period.label} của đơn vị, đã được gửi "
        f"({report.get_status_display().lower()}); không thể sửa hoặc xóa. Nếu cần điều chỉnh, "
        "đề nghị Sở Nội vụ trả lại báo cáo."
    )


def locked_by_report() -> Exists:
    """True for a result row that a submitted or accepted report of its unit covers. Registered with
    ``cchc.execution.locks`` (see ``ReportsConfig.ready``), so the execution app refuses to edit, delete
    or add evidence to such a result, and its lists show the lock in the query that loads them."""
    return Exists(
        Report.objects.filter(
            unit_id=OuterRef("unit_id"),
            status__in=LOCKED_STATUSES,
            period__start__lte=OuterRef("occurred_on"),
            period__end__gte=OuterRef("occurred_on"),
        )
    )


LOCK_MESSAGE = gettext_lazy(
    "Kết quả này thuộc báo cáo định kỳ đơn vị đã gửi Sở Nội vụ; không thể sửa hoặc xóa. Nếu cần "
    "điều chỉnh, đề nghị Sở Nội vụ trả lại báo cáo."
)


def with_lock_flag(results: QuerySet) -> QuerySet:
    """Annotate ``is_locked`` on a result queryset in the same query (for result lists)."""
    return results.annotate(is_locked=locked_by_report())
