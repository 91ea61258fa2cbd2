"""Sub-plans: how an agency's line relates to the province activity it came from.

A derived line keeps, in ``SubPlanItem.source``, a snapshot of the province activity as it was when the line
was made (or last reconciled). Comparing that snapshot with the activity as it is now tells the agency what
the province changed; the agency then accepts the change (its line takes the province's new values for the
changed fields only, keeping its own edits elsewhere) or keeps its line (the snapshot moves on, the line stays).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cchc.plans.models import Activity, AgencyRole, Obligation, Plan, Recurrence

# Snapshot keys, grouped by what accepting a change copies onto the line.
FIELD_GROUPS = {
    "title": ("title",),
    "period": ("period_start", "period_end"),
    "recurrence": ("recurrence_every", "recurrence_count", "recurrence_unit"),
    "role": ("role",),
}
GROUP_LABELS = {
    "title": _("Tên hoạt động"),
    "period": _("Thời gian thực hiện"),
    "recurrence": _("Tần suất, chỉ tiêu"),
    "role": _("Vai trò của đơn vị"),
}


def window(activity: Activity | None, plan: Plan) -> tuple[dt.date, dt.date]:
    """The dates an agency's line must stay within: the activity's period, or the plan's year."""
    if activity is None:
        return plan.start, plan.end
    return activity.period_start or plan.start, activity.period_end or plan.end


def snapshot(activity: Activity, obligation: Obligation | None) -> dict:
    return {
        "title": activity.title,
        "period_start": activity.period_start.isoformat() if activity.period_start else None,
        "period_end": activity.period_end.isoformat() if activity.period_end else None,
        "recurrence_every": activity.recurrence_every or "",
        "recurrence_count": activity.recurrence_count,
        "recurrence_unit": activity.recurrence_unit or "",
        "role": obligation.role if obligation is not None else "",
    }


@dataclass(frozen=True)
class Change:
    group: str
    label: str
    before: str
    after: str


def _describe(group: str, data: dict, plan: Plan) -> str:
    if group == "title":
        return data.get("title") or ""
    if group == "period":
        start = dt.date.fromisoformat(data["period_start"]) if data.get("period_start") else plan.start
        end = dt.date.fromisoformat(data["period_end"]) if data.get("period_end") else plan.end
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    if group == "recurrence":
        if not data.get("recurrence_every"):
            return str(_("không định kỳ"))
        unit = data.get("recurrence_unit") or _("lần")
        return f"{data.get('recurrence_count') or 1:02d} {unit}/{Recurrence(data['recurrence_every']).label}"
    if group == "role":
        return str(AgencyRole(data["role"]).label) if data.get("role") in AgencyRole.values else "—"
    raise ValueError(group)


def changes(item, plan: Plan) -> list[Change]:
    """What the province changed in the activity since the line's snapshot (nothing for own lines)."""
    if item.is_own or item.activity is None or not item.source:
        return []
    current = snapshot(item.activity, item.obligation)
    found = []
    for group, keys in FIELD_GROUPS.items():
        if group == "role" and item.obligation is None:
            continue
        if any(item.source.get(k) != current.get(k) for k in keys):
            found.append(
                Change(
                    group,
                    str(GROUP_LABELS[group]),
                    _describe(group, item.source, plan),
                    _describe(group, current, plan),
                )
            )
    return found


def outside_window(item, plan: Plan) -> tuple[dt.date, dt.date] | None:
    """The province's current window when the line's dates no longer fit in it (the province narrowed it)."""
    if item.activity is None and not item.is_own:
        return None  # the province dropped the activity: the line is flagged as such instead
    start, end = window(item.activity, plan)
    if item.period_start < start or item.period_end > end:
        return start, end
    return None
