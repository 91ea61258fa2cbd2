"""The satisfaction panel the dashboards show (named in settings.CCHC_DASHBOARD_PANELS).

Feedback cannot import dashboards, so the panel is plain data (``cchc.lib.panels.Panel``).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from cchc.feedback.models import CRITERIA
from cchc.feedback.stats import satisfaction_averages
from cchc.lib.panels import Panel


def satisfaction(*, plan, period, user, public):
    """Average SIPAS scores per agency for the period (the plan's year on the public page). One query."""
    start = period.start if period is not None else dt.date(plan.year, 1, 1)
    end = period.end if period is not None else dt.date(plan.year, 12, 31)
    units = None
    if user is not None and not public and not user.sees_everything:
        units = [user.unit_id] if user.unit_id else []
    rows = satisfaction_averages(start, end, units=units)
    total = sum(row.count for row in rows)
    overall = (
        round(sum(row.overall * row.count for row in rows if row.overall is not None) / total, 2) if total else None
    )
    return Panel(
        title=_("Mức độ hài lòng của người dân, doanh nghiệp (SIPAS)"),
        template="feedback/_satisfaction_panel.html",
        context={
            "rows": rows,
            "criteria": CRITERIA,
            "total": total,
            "overall": overall,
            "start": start,
            "end": end,
            "public": public,
        },
    )
