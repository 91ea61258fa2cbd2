"""The province's consolidated report: the accepted agency reports of a period, summed.

Only *accepted* reports are counted — the figures the coordinator has reviewed, as they were frozen
at submission. Reports sent but not yet reviewed are listed apart; agencies that have not sent (or
must send again) are listed as not yet reporting.

Eight queries whatever the number of agencies (expected units, reports, accepted versions' figures,
the plan's activities, three for the coverage by content topic; the period is given). The result is a
JSON-ready dict, frozen into the ``ProvinceReport`` when it is issued.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation

from cchc.execution.models import Result
from cchc.lib import figcache
from cchc.lib.periods import parse_code, period_label
from cchc.lib.text import fold
from cchc.lib.vnformat import vn_number
from cchc.plans.models import Activity
from cchc.reports.completeness import AGENCY_GROUPS, Timeliness, completeness
from cchc.reports.figures import (
    KIND_ORDER,
    OTHER_KEY,
    OTHER_TITLE,
    dec,
    empty_deliverables,
    target_text,
    totals_of,
)
from cchc.reports.models import Period, ProvinceReport, Report, ReportStatus, ReportVersion, TextSource
from cchc.reports.topics import coverage, uncovered_sentence

SCHEMA = 1


def _blank(activity_id, number: str, title: str, target: str = "") -> dict:
    return {
        "activity_id": activity_id,
        "number": number,
        "title": title,
        "target": target,
        "rows": [],
        "results": 0,
        "reach": 0,
        "cost": 0,
        "agencies": 0,
        "deliverables": empty_deliverables(),
    }


def _group_cell() -> dict:
    return {"results": 0, "reach": 0, "cost": 0, "agencies": 0}


def consolidate(period: Period, today: dt.date | None = None) -> dict:
    """The province's figures for ``period`` as of ``today``: computed once until the data changes
    (``cchc.lib.figcache``)."""
    today = today or timezone.localdate()
    return figcache.cached("consolidate", (period.pk, today), lambda: _consolidate(period, today))


def _consolidate(period: Period, today: dt.date) -> dict:
    state = completeness(period, today)

    activities: dict = {}
    for activity in (
        Activity.objects.filter(plan_id=period.plan_id)
        .order_by("order", "id")
        .only("id", "number", "title", "recurrence_every", "recurrence_count", "recurrence_unit")
    ):
        activities[activity.pk] = _blank(
            activity.pk,
            activity.number,
            activity.title,
            target_text(activity.recurrence_every, activity.recurrence_count, activity.recurrence_unit),
        )

    accepted = Report.objects.filter(period=period, status=ReportStatus.ACCEPTED).values("current_version_id")
    versions = {
        v["report_id"]: v
        for v in ReportVersion.objects.filter(pk__in=accepted).values("report_id", "figures", "narratives")
    }

    groups = {
        key: {
            "key": key,
            "label": str(label),
            "expected": 0,
            "counted": 0,
            "results": 0,
            "reach": 0,
            "cost": 0,
            "activities": {},
        }
        for key, label in AGENCY_GROUPS
    }
    rows_index: dict = {}
    agencies, narratives, not_reporting, pending = [], [], [], []
    for row in state.rows:
        unit, report = row.unit, row.report
        group = groups[row.group]
        group["expected"] += 1
        version = versions.get(report.pk) if report is not None else None
        entry = {
            "unit_id": unit.pk,
            "code": unit.code,
            "name": unit.name,
            "group": row.group,
            "status": report.status if report else "",
            "status_label": str(row.status_label),
            "timeliness": row.timeliness,
            "timeliness_label": str(row.timeliness_label),
            "overdue": row.overdue,
            "first_submitted_on": report.first_submitted_on.isoformat() if report and report.first_submitted_on else "",
            "counted": version is not None,
            "results": 0,
            "reach": 0,
            "cost": 0,
        }
        agencies.append(entry)
        if version is None:
            if report is not None and report.status == ReportStatus.SUBMITTED:
                pending.append(entry)
            elif row.timeliness in (Timeliness.MISSING, Timeliness.RETURNED):
                not_reporting.append(entry)
            continue
        group["counted"] += 1
        figures = version["figures"]
        for source in figures.get("activities", []):
            key = source["activity_id"] if source["activity_id"] is not None else OTHER_KEY
            target = activities.get(key)
            if target is None:
                target = activities[key] = _blank(
                    source["activity_id"], source.get("number", ""), source.get("title") or OTHER_TITLE
                )
            if source["results"]:
                target["agencies"] += 1
            target["results"] += source["results"]
            target["reach"] += source["reach"]
            target["cost"] += source["cost"]
            for name in target["deliverables"]:
                target["deliverables"][name] += source["deliverables"].get(name, 0)
            for src_row in source["rows"]:
                row_key = (key, src_row["kind"], src_row["quantity_unit"])
                dst = rows_index.get(row_key)
                if dst is None:
                    dst = rows_index[row_key] = {k: src_row[k] for k in ("kind", "kind_label", "quantity_unit")}
                    dst.update(results=0, quantity=Decimal(0), reach=0, cost=0)
                    target["rows"].append(dst)
                dst["results"] += src_row["results"]
                dst["quantity"] += Decimal(src_row["quantity"])
                dst["reach"] += src_row["reach"]
                dst["cost"] += src_row["cost"]
            cell = group["activities"].setdefault(str(key), _group_cell())
            cell["results"] += source["results"]
            cell["reach"] += source["reach"]
            cell["cost"] += source["cost"]
            cell["agencies"] += 1 if source["results"] else 0
        totals = figures.get("totals", {})
        entry.update(results=totals.get("results", 0), reach=totals.get("reach", 0), cost=totals.get("cost", 0))
        group["results"] += entry["results"]
        group["reach"] += entry["reach"]
        group["cost"] += entry["cost"]
        texts = version["narratives"]
        if any((texts.get(name) or "").strip() for name in ("results_text", "shortcomings_text", "proposals_text")):
            narratives.append({"name": unit.name, "group": row.group, **texts})

    for row in rows_index.values():
        row["quantity"] = dec(row["quantity"])
    for activity in activities.values():
        activity["rows"].sort(key=lambda row: (KIND_ORDER.get(row["kind"], 99), row["quantity_unit"]))
    ordered = [a for a in activities.values() if a["activity_id"] is not None or a["results"]]
    counts = state.counts()
    # The agencies whose report is accepted, as a subquery: the cost stays the same when none is.
    counted_units = Report.objects.filter(period=period, status=ReportStatus.ACCEPTED).values("unit_id")
    topics = coverage(
        period.plan_id,
        Result.objects.filter(obligation__activity__plan_id=period.plan_id, unit_id__in=counted_units).between(
            period.start, period.end
        ),
    )
    return {
        "schema": SCHEMA,
        "period": {
            "code": period.code,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "due_on": period.due_on.isoformat(),
            "province_due_on": period.province_due_on.isoformat(),
        },
        "as_of": today.isoformat(),
        "counts": {
            "expected": state.expected,
            "counted": sum(g["counted"] for g in groups.values()),
            "pending": len(pending),
            "not_reporting": len(not_reporting),
            **counts,
        },
        "activities": ordered,
        "groups": [g for g in groups.values() if g["expected"]],
        "totals": totals_of(ordered),
        "agencies": agencies,
        "narratives": sorted(
            narratives, key=lambda n: ([k for k, _ in AGENCY_GROUPS].index(n["group"]), fold(n["name"]))
        ),
        "pending": pending,
        "not_reporting": not_reporting,
        "topics": topics,
    }


def default_general_text(data: dict) -> str:
    """A first paragraph for the coordinator to edit: what the figures say, in words."""
    c, t = data["counts"], data["totals"]
    # Text of the official document: Vietnamese whatever the language of the screen (and so the same text, for
    # the comparison with what an edit was written against, whoever opens the page).
    with translation.override("vi"):
        label = period_label(*parse_code(data["period"]["code"]))
    # On time / late count every agency that has sent (accepted or still waiting), by its first submission: they
    # are said apart from the accepted reports the figures come from, so that the numbers add up as written.
    pending = f"; {c['pending']} báo cáo đã gửi đang chờ xem xét" if c.get("pending") else ""
    return (
        f"Trong {label[:1].lower()}{label[1:]}, có {c['counted']}/{c['expected']} cơ quan, đơn vị có báo cáo được "
        f"tiếp nhận và tổng hợp{pending}; {c['not_reporting']} cơ quan, đơn vị chưa gửi hoặc phải gửi lại báo cáo. "
        f"Tính theo lần gửi đầu tiên, {c['on_time']} cơ quan, đơn vị gửi báo cáo đúng hạn, {c['late']} gửi trễ hạn. "
        f"Các cơ quan, đơn vị đã thực hiện {vn_number(t['results'])} "
        f"hoạt động tuyên truyền cải cách hành chính, tiếp cận khoảng {vn_number(t['reach'])} lượt người, với "
        f"tổng kinh phí {vn_number(t['cost'])} đồng."
    ) + (" " + uncovered_sentence(data.get("topics")) if data.get("topics", {}).get("topics") else "")


def same_text(a: str, b: str) -> bool:
    """Equal but for spacing and line ends (a textarea sends CR LF)."""
    return " ".join((a or "").split()) == " ".join((b or "").split())


@dataclass(frozen=True)
class GeneralText:
    """The province report's "Đánh giá chung" against the figures it is shown or exported with."""

    text: str  # what the report says: the generated text while nobody has edited it
    generated: str  # what the figures of the moment give
    edited: bool
    stale: bool  # edited, and the figures have changed since the person wrote it

    @property
    def issuable(self) -> bool:
        return not self.stale


def general_text_state(province: ProvinceReport | None, data: dict) -> GeneralText:
    generated = default_general_text(data)
    if province is not None and province.is_issued:
        # Issued: the text was checked against (or generated from) the figures frozen with it.
        return GeneralText(province.general_text, generated, False, False)
    if province is None or province.general_text_source == TextSource.GENERATED:
        return GeneralText(generated, generated, False, False)
    stale = not same_text(province.general_text_basis, generated)
    return GeneralText(province.general_text, generated, True, stale)
