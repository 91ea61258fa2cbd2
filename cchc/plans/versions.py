"""A plan as a ``cchc.plan/1`` document, and what changed between two such documents.

``plan_document(plan)`` is the snapshot kept in each ``PlanVersion``: the plan's header, lists, topics
and current activities, each agency with its registry match (``unit``/``group`` code and ``match``
quality, as the import review writes them), so a snapshot can also be fed back to ``do_create_plan``.

``compare(before, after)`` lists the differences a person reads in the history and in the notice an
agency gets: header fields, lists, topics, activities added, removed or changed (title, agencies and
roles, period, target, funding). Each change names the activity it belongs to, so the agencies of that
activity can be told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cchc.plans.models import AgencyRole, CountingRule, Plan, Recurrence

SCHEMA = "cchc.plan/1"

# Marked for the catalogue here, translated where a change is described (``_(label)``).
HEADER_LABELS = {
    "title": gettext_noop("Trích yếu"),
    "year": gettext_noop("Năm"),
    "issuer": gettext_noop("Cơ quan ban hành"),
    "number": gettext_noop("Số"),
    "symbol": gettext_noop("Ký hiệu"),
    "place": gettext_noop("Địa danh"),
    "issued_on": gettext_noop("Ngày ban hành"),
    "signer": gettext_noop("Người ký"),
    "audience": gettext_noop("Đối tượng"),
    "legal_bases": gettext_noop("Căn cứ"),
    "objectives": gettext_noop("Mục đích"),
    "requirements": gettext_noop("Yêu cầu"),
    "topics": gettext_noop("Nội dung tuyên truyền"),
    "duties": gettext_noop("Tổ chức thực hiện"),
    "recipients": gettext_noop("Nơi nhận"),
}
ACTIVITY_LABELS = {
    "title": gettext_noop("Tên hoạt động"),
    "content": gettext_noop("Nội dung"),
    "agencies": gettext_noop("Cơ quan thực hiện"),
    "period": gettext_noop("Thời gian"),
    "recurrence": gettext_noop("Chỉ tiêu"),
    "funding": gettext_noop("Kinh phí"),
    "funding_amount": gettext_noop("Kinh phí (đồng)"),
    "counting": gettext_noop("Kết quả được tính"),
}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _recurrence_of(activity) -> dict | None:
    if not activity.recurrence_every:
        return None
    unit = activity.recurrence_unit or None
    return {"every": activity.recurrence_every, "count": activity.recurrence_count, "unit": unit}


def plan_document(plan: Plan) -> dict:
    """The plan as it stands, as a ``cchc.plan/1`` document with registry matches. A fixed number of queries."""
    activities = plan.activities.current().order_by("order", "pk").prefetch_related("agencies__unit", "agencies__group")
    return {
        "schema": SCHEMA,
        "title": plan.title,
        "year": plan.year,
        "issuer": plan.issuer,
        "number": plan.number or None,
        "symbol": plan.symbol or None,
        "place": plan.place or None,
        "issued_on": _iso(plan.issued_on),
        "signer": {"name": plan.signer_name or None, "title": plan.signer_title or None}
        if plan.signer_name or plan.signer_title
        else None,
        "legal_bases": plan.legal_bases,
        "objectives": plan.objectives,
        "requirements": plan.requirements,
        "audience": plan.audience or None,
        "topics": [{"number": t.number, "text": t.text, "items": t.items} for t in plan.topics.all()],
        "activities": [
            {
                "number": a.number,
                "title": a.title,
                "content": a.content,
                "agencies": [ag.as_document() for ag in a.agencies.all()],
                "period": {"start": _iso(a.period_start), "end": _iso(a.period_end)} if a.period_start else None,
                "recurrence": _recurrence_of(a),
                "funding": a.funding or None,
                "funding_amount": int(a.funding_amount) if a.funding_amount is not None else None,
                "counting": a.counting,
                "agencies_text": a.agencies_text or None,
                "schedule_text": a.schedule_text or None,
            }
            for a in activities
        ],
        "duties": plan.duties,
        "recipients": plan.recipients,
    }


@dataclass(frozen=True)
class Change:
    """One difference between two versions, in words: ``what`` changed from ``before`` to ``after``."""

    kind: str  # "header", "added", "removed", "changed"
    what: str
    before: str = ""
    after: str = ""
    activity: str | None = None  # the activity's number, for activity changes

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def text(self) -> str:
        where = _("Hoạt động %(n)s") % {"n": self.activity} if self.activity else ""
        if self.kind == "added":
            return _("Thêm hoạt động %(n)s: %(title)s") % {"n": self.activity, "title": self.after}
        if self.kind == "removed":
            return _("Bỏ hoạt động %(n)s: %(title)s") % {"n": self.activity, "title": self.before}
        head = f"{where} — {self.what}" if where else self.what
        return f"{head}: {self.before or '—'} → {self.after or '—'}"


def _date(text: str | None) -> str:
    return dt.date.fromisoformat(text).strftime("%d/%m/%Y") if text else ""


def _period(value: dict | None) -> str:
    if not value or not value.get("start"):
        return _("theo yêu cầu")
    return f"{_date(value.get('start'))} – {_date(value.get('end'))}"


def _recurrence(value: dict | None) -> str:
    if not value or not value.get("every"):
        return _("không định kỳ")
    every = value["every"]
    label = Recurrence(every).label if every in Recurrence.values else every
    return f"{value.get('count') or 1:02d} {value.get('unit') or _('lần')}/{label}"


def _agencies(value: list[dict]) -> str:
    parts = []
    for agency in value or []:
        role = AgencyRole(agency["role"]).label if agency.get("role") in AgencyRole.values else agency.get("role")
        parts.append(f"{agency.get('name')} ({role})")
    return "; ".join(parts)


def _agency_key(value: list[dict]) -> list:
    return [(a.get("name"), a.get("role"), a.get("unit"), a.get("group")) for a in value or []]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    if isinstance(value, list):
        return "; ".join(_text(v) if not isinstance(v, str) else v for v in value)
    return str(value)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _activity_changes(number: str, a: dict, b: dict) -> list[Change]:
    out = []
    for key, label in ACTIVITY_LABELS.items():
        before, after = a.get(key), b.get(key)
        if key == "agencies":
            if _agency_key(before) == _agency_key(after):
                continue
            out.append(Change("changed", _(label), _short(_agencies(before)), _short(_agencies(after)), number))
            continue
        if (before or None) == (after or None):
            continue
        if key == "period":
            shown = _period(before), _period(after)
        elif key == "recurrence":
            shown = _recurrence(before), _recurrence(after)
        elif key == "counting":
            shown = tuple(str(CountingRule(v).label) if v in CountingRule.values else "" for v in (before, after))
        else:
            shown = _short(_text(before)), _short(_text(after))
        out.append(Change("changed", _(label), *shown, number))
    return out


def compare(before: dict, after: dict) -> list[Change]:
    """What changed from ``before`` to ``after`` (two ``plan_document`` snapshots), in reading order."""
    out: list[Change] = []
    for key, label in HEADER_LABELS.items():
        a, b = before.get(key), after.get(key)
        if (a or None) == (b or None):
            continue
        if key == "issued_on":
            out.append(Change("header", _(label), _date(a), _date(b)))
        elif isinstance(a, list) or isinstance(b, list):
            out.append(
                Change(
                    "header",
                    _(label),
                    _("%(n)s mục") % {"n": len(a or [])},
                    _("%(n)s mục") % {"n": len(b or [])},
                )
            )
        else:
            out.append(Change("header", _(label), _short(_text(a)), _short(_text(b))))
    old = {a["number"]: a for a in before.get("activities") or []}
    new = {a["number"]: a for a in after.get("activities") or []}
    for number, activity in old.items():
        if number not in new:
            out.append(Change("removed", _("Hoạt động"), before=_short(activity.get("title") or ""), activity=number))
    for number, activity in new.items():
        if number not in old:
            out.append(Change("added", _("Hoạt động"), after=_short(activity.get("title") or ""), activity=number))
        else:
            out.extend(_activity_changes(number, old[number], activity))
    return out
