"""Drafting an agency's figures for a period from its recorded results.

The figures are plain JSON-ready dicts: the same shape is shown on screen while the report is a
draft, frozen into a ``ReportVersion`` when it is submitted, summed by consolidation and written to
Word and Excel. Three queries whatever the number of results.

Shape::

    {"schema": 1,
     "activities": [{"activity_id", "number", "title", "role", "role_label", "target",
                     "rows": [{"kind", "kind_label", "quantity_unit", "results", "quantity", "reach", "cost"}],
                     "results", "reach", "cost", "deliverables": {"due", "met", "met_on_time"}}],
     "totals": {"results", "reach", "cost", "deliverables": {...}}}

``quantity`` is a decimal string (quantities of different units are never added together: each row
is one kind of result in one unit of measure); ``cost`` is in đồng.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from cchc.execution.models import Deliverable, Result, ResultKind
from cchc.plans.models import AgencyRole, Obligation, Recurrence

SCHEMA = 1
OTHER_KEY = "other"
OTHER_TITLE = "Hoạt động khác (không gắn với nhiệm vụ của kế hoạch)"
KIND_ORDER = {value: i for i, value in enumerate(ResultKind.values)}


def dec(value) -> str:
    """A decimal as the shortest exact string: Decimal("5.00") → "5", Decimal("2.50") → "2.5"."""
    value = Decimal(value or 0)
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def empty_deliverables() -> dict:
    return {"due": 0, "met": 0, "met_on_time": 0}


def target_text(every: str, count: int | None, unit: str) -> str:
    if not every:
        return ""
    return f"{count or 1:02d} {unit or 'lần'}/{Recurrence(every).label}"


def _activity_entry(key, number: str, title: str, role: str = "", target: str = "", order: int = 10**6) -> dict:
    return {
        "activity_id": key,
        "number": number,
        "title": title,
        "role": role,
        "role_label": str(AgencyRole(role).label) if role else "",
        "target": target,
        "order": order,
        "rows": [],
        "results": 0,
        "reach": 0,
        "cost": 0,
        "deliverables": empty_deliverables(),
    }


def _plan_filter(plan) -> Q:
    """Results that belong in a report under ``plan``: against its obligations, or against none."""
    return (
        Q(obligation__activity__plan=plan)
        | Q(deliverable__obligation__activity__plan=plan)
        | Q(obligation__isnull=True, deliverable__isnull=True)
    )


def agency_figures(plan, unit_id: int, start: dt.date, end: dt.date) -> tuple[dict, list[dict]]:
    """The figures and the list of counted results of one unit between two dates, under one plan."""
    return figures_for_units(plan, [unit_id], start, end)[unit_id]


def figures_for_units(plan, unit_ids, start: dt.date, end: dt.date) -> dict[int, tuple[dict, list[dict]]]:
    """``agency_figures`` for many units at once, in the same three queries."""
    unit_ids = list(unit_ids)
    activities: dict[int, dict] = {unit_id: {} for unit_id in unit_ids}
    obligations = Obligation.objects.filter(unit_id__in=unit_ids, activity__plan=plan).values_list(
        "unit_id",
        "activity_id",
        "role",
        "activity__number",
        "activity__title",
        "activity__order",
        "activity__recurrence_every",
        "activity__recurrence_count",
        "activity__recurrence_unit",
    )
    for unit_id, activity_id, role, number, title, order, every, count, unit in obligations:
        activities[unit_id][activity_id] = _activity_entry(
            activity_id, number, title, role, target_text(every, count, unit), order
        )

    results = (
        Result.objects.filter(unit_id__in=unit_ids, occurred_on__gte=start, occurred_on__lte=end)
        .filter(_plan_filter(plan))
        .annotate(
            activity_key=Coalesce("obligation__activity_id", "deliverable__obligation__activity_id"),
            activity_number=Coalesce("obligation__activity__number", "deliverable__obligation__activity__number"),
            activity_title=Coalesce("obligation__activity__title", "deliverable__obligation__activity__title"),
            evidence_count=Count("evidence"),
        )
        .order_by("unit_id", "occurred_on", "id")
        .values(
            "id",
            "unit_id",
            "activity_key",
            "activity_number",
            "activity_title",
            "kind",
            "title",
            "occurred_on",
            "quantity",
            "quantity_unit",
            "reach",
            "cost",
            "funding_source",
            "evidence_count",
        )
    )
    rows: dict = {}
    items: dict[int, list[dict]] = {unit_id: [] for unit_id in unit_ids}
    for r in results:
        unit_activities = activities[r["unit_id"]]
        key = r["activity_key"]
        if key is None:
            key = OTHER_KEY
            if key not in unit_activities:
                unit_activities[key] = _activity_entry(None, "", OTHER_TITLE)
        elif key not in unit_activities:  # an obligation removed since the result was recorded
            unit_activities[key] = _activity_entry(key, r["activity_number"], r["activity_title"])
        entry = unit_activities[key]
        row_key = (r["unit_id"], key, r["kind"], r["quantity_unit"])
        row = rows.get(row_key)
        if row is None:
            row = rows[row_key] = {
                "kind": r["kind"],
                "kind_label": str(ResultKind(r["kind"]).label),
                "quantity_unit": r["quantity_unit"],
                "results": 0,
                "quantity": Decimal(0),
                "reach": 0,
                "cost": 0,
            }
            entry["rows"].append(row)
        reach, cost = r["reach"] or 0, int(r["cost"] or 0)
        row["results"] += 1
        row["quantity"] += r["quantity"] or 0
        row["reach"] += reach
        row["cost"] += cost
        entry["results"] += 1
        entry["reach"] += reach
        entry["cost"] += cost
        items[r["unit_id"]].append(
            {
                "id": r["id"],
                "activity_id": entry["activity_id"],
                "activity_number": entry["number"],
                "date": r["occurred_on"].isoformat(),
                "kind": r["kind"],
                "kind_label": row["kind_label"],
                "title": r["title"],
                "quantity": dec(r["quantity"]),
                "quantity_unit": r["quantity_unit"],
                "reach": reach,
                "cost": cost,
                "funding_source": r["funding_source"],
                "evidence": r["evidence_count"],
            }
        )

    deliverables = Deliverable.objects.filter(
        obligation__unit_id__in=unit_ids, obligation__activity__plan=plan, due_on__gte=start, due_on__lte=end
    ).values_list("obligation__unit_id", "obligation__activity_id", "due_on", "met_on")
    for unit_id, activity_id, due_on, met_on in deliverables:
        entry = activities[unit_id].get(activity_id)
        if entry is not None:
            count_deliverable(entry["deliverables"], due_on, met_on)

    out = {}
    for unit_id in unit_ids:
        ordered = sorted(activities[unit_id].values(), key=lambda a: (a["order"], a["number"]))
        for entry in ordered:
            entry["rows"].sort(key=lambda row: (KIND_ORDER.get(row["kind"], 99), row["quantity_unit"]))
            for row in entry["rows"]:
                row["quantity"] = dec(row["quantity"])
            del entry["order"]
        out[unit_id] = ({"schema": SCHEMA, "activities": ordered, "totals": totals_of(ordered)}, items[unit_id])
    return out


def count_deliverable(counter: dict, due_on: dt.date, met_on: dt.date | None) -> None:
    counter["due"] += 1
    if met_on is not None:
        counter["met"] += 1
        if met_on <= due_on:
            counter["met_on_time"] += 1


def totals_of(activities: list[dict]) -> dict:
    totals = {"results": 0, "reach": 0, "cost": 0, "deliverables": empty_deliverables()}
    for entry in activities:
        totals["results"] += entry["results"]
        totals["reach"] += entry["reach"]
        totals["cost"] += entry["cost"]
        for name in totals["deliverables"]:
            totals["deliverables"][name] += entry["deliverables"][name]
    return totals


def report_figures(report) -> tuple[dict, list[dict]]:
    """The figures a report shows: frozen once submitted, computed from the results while it is written."""
    if report.is_locked and report.current_version_id is not None:
        version = report.current_version
        return version.figures, version.items
    period = report.period
    return agency_figures(period.plan, report.unit_id, period.start, period.end)
