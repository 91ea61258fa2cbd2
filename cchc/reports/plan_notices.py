"""What the reports app tells people about a plan's life, and what it says about closing one.

The plans app knows neither notifications nor reports (the arrows point the other way): it sends
signals (``cchc.plans.signals``) that ``ReportsConfig.ready`` connects here.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.reports.models import Period, ProvinceReportStatus
from cchc.reports.notify import notify, staff_of_units


def _plan_label(plan) -> str:
    return plan.reference or plan.title


def tell_activated(sender, plan, unit_ids, **kwargs) -> None:
    """One notice (and one e-mail) to each officer and head of every unit with work under the plan."""
    message = _("Kế hoạch %(plan)s năm %(year)s đã được kích hoạt: xem việc của đơn vị trong “Việc của tôi”.") % {
        "plan": _plan_label(plan),
        "year": plan.year,
    }
    notify(
        staff_of_units(unit_ids),
        message,
        reverse("plans:my_work"),
        subject=_("[CCHC] Kế hoạch %(plan)s đã được kích hoạt") % {"plan": _plan_label(plan)},
    )


def tell_amended(sender, plan, version, notices, **kwargs) -> None:
    """Each unit a change touches is told, once, what changed for it."""
    url = reverse("plans:diff", args=[plan.pk]) + f"?a={version.number - 1}&b={version.number}"
    subject = _("[CCHC] Kế hoạch %(plan)s được sửa đổi (phiên bản %(n)s)") % {
        "plan": _plan_label(plan),
        "n": version.number,
    }
    users_by_unit: dict[int, list] = {}
    for user in staff_of_units(list(notices)):
        users_by_unit.setdefault(user.unit_id, []).append(user)
    for unit_id, lines in notices.items():
        users = users_by_unit.get(unit_id)
        if not users:
            continue
        message = _("Kế hoạch %(plan)s sửa đổi (phiên bản %(n)s, lý do: %(why)s): %(what)s") % {
            "plan": _plan_label(plan),
            "n": version.number,
            "why": version.reason,
            "what": " ".join(lines),
        }
        notify(users, message, url, subject=subject)


def closing_refusal(sender, plan, **kwargs) -> str | None:
    """A plan closes once its year report is issued."""
    period = Period.objects.filter(plan=plan, kind="Y").select_related("province_report").first()
    report = getattr(period, "province_report", None) if period is not None else None
    if report is not None and report.status == ProvinceReportStatus.ISSUED:
        return None
    return _(
        "Chưa kết thúc được kế hoạch: báo cáo tổng hợp năm %(year)s của tỉnh chưa được ban hành. Hãy ban hành "
        "báo cáo năm trước rồi kết thúc kế hoạch."
    ) % {"year": plan.year}
