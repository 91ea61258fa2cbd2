"""Coverage by content topic (plan section II): for each of the plan's topics and its items, how many results,
agencies and people reached, and which topics no agency touched in the period.

One shape for every place that shows it — the agency's report, the province report (frozen with its figures when
issued), the dashboards, and both exports — built by ``coverage()`` as a JSON-ready dict::

    {"topics": [{"number", "text", "items": [{"text", "results"}], "results", "agencies", "reach"}],
     "uncovered": ["3", "7"], "untagged": 12, "results": 240}

A result counts under every topic the officer ticked on it; an item's figure counts the topic's results whose
title matches that item best (``cchc.execution.topics.best_item``), so items are a guide, the topic the figure.
Three queries whatever the number of results, two when the caller knows how many there are.
"""

from __future__ import annotations

from django.db.models import QuerySet

from cchc.execution.models import Result
from cchc.execution.topics import best_of, pairs
from cchc.lib import docwriter as dw
from cchc.lib.vnformat import vn_number
from cchc.plans.models import Topic


def coverage(plan_id: int, results: QuerySet[Result], *, total: int | None = None) -> dict:
    """Topic coverage of ``results`` (already narrowed to the period and the agencies counted) under the plan.

    ``total``: how many results ``results`` holds, when the caller has counted them already (the overview's
    snapshot has): the untagged are then the total less the tagged, without one more pass over the period."""
    topics = list(Topic.objects.filter(plan_id=plan_id).order_by("order", "pk").only("pk", "number", "text", "items"))
    rows = {
        t.pk: {
            "number": t.number,
            "text": t.text,
            "items": [{"text": str(item), "results": 0} for item in t.items or []],
            "results": 0,
            "agencies": set(),
            "reach": 0,
        }
        for t in topics
    }
    # Each item's word pairs made once, each title's once, not once per (result, topic, item): 21,600 tagged
    # results of 100,000 in a quarter.
    item_keys = {t.pk: [pairs(str(item)) for item in t.items or []] for t in topics}
    title_keys: dict[int, set[str]] = {}
    tagged: set[int] = set()
    # From the results to their tags (one join): the tags' table asked for "result in (the results)" made SQLite
    # read every result of the period first, 50 ms for none tagged.
    tags = results.order_by().filter(topics__in=list(rows)).values_list("pk", "topics", "unit_id", "reach", "title")
    for result_id, topic_id, unit_id, reach, title in tags:  # no query when the plan has no topic
        row = rows[topic_id]
        tagged.add(result_id)
        row["results"] += 1
        row["agencies"].add(unit_id)
        row["reach"] += reach or 0
        if item_keys[topic_id]:
            keys = title_keys.get(result_id)
            if keys is None:
                keys = title_keys[result_id] = pairs(title)
            found = best_of(keys, item_keys[topic_id])
            if found is not None:
                row["items"][found]["results"] += 1
    untagged = (results.order_by().count() if total is None else total) - len(tagged)
    out = []
    for row in rows.values():
        row["agencies"] = len(row["agencies"])
        out.append(row)
    return {
        "topics": out,
        "uncovered": [row["number"] for row in out if not row["results"]],
        "untagged": untagged,
    }


def uncovered_sentence(data: dict | None) -> str:
    """The narrative's sentence on the topics nobody communicated ("" when every topic was, or no topic exists)."""
    if not data or not data.get("topics"):
        return ""
    missing = [row for row in data["topics"] if not row["results"]]
    if not missing:
        return (
            "Trong kỳ, cả " + vn_number(len(data["topics"])) + " nội dung tuyên truyền của kế hoạch đều được thực hiện."
        )
    names = "; ".join(f"nội dung {row['number']} ({_short(row['text'])})" for row in missing)
    return (
        f"Trong kỳ, chưa cơ quan, đơn vị nào tuyên truyền {vn_number(len(missing))}/"
        f"{vn_number(len(data['topics']))} nội dung của kế hoạch: {names}."
    )


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def word_blocks(data: dict | None, heading: str) -> list:
    """The Word report's section: a heading, the table, and the sentence on uncovered topics."""
    if not data or not data.get("topics"):
        return []
    rows, bold = [], set()
    for row in data["topics"]:
        bold.add(len(rows))
        rows.append(
            [
                row["number"],
                _short(row["text"], 160),
                vn_number(row["results"]),
                vn_number(row["agencies"]),
                vn_number(row["reach"]),
            ]
        )
        for item in row["items"]:
            rows.append(["", "- " + _short(item["text"], 140), vn_number(item["results"]), "", ""])
    return [
        dw.Heading(heading),
        dw.Paragraph(uncovered_sentence(data)),
        dw.Table(
            [
                dw.Column("STT", 10, "center"),
                dw.Column("Nội dung tuyên truyền", 98),
                dw.Column("Số kết quả", 20, "right"),
                dw.Column("Số đơn vị", 18, "right"),
                dw.Column("Số người", 20, "right"),
            ],
            rows,
            bold_rows=frozenset(bold),
            size=11,
        ),
    ]


SHEET_TITLE = "Theo nội dung"
SHEET_HEADER = ["Nội dung", "Ý", "Số kết quả", "Số đơn vị", "Số người", "Chưa được tuyên truyền"]
SHEET_WIDTHS = [10, 90, 12, 12, 12, 14]


def sheet_rows(data: dict | None) -> list[list]:
    """The Excel sheet's rows: one per topic, then one per item under it."""
    rows = []
    for row in (data or {}).get("topics", []):
        rows.append(
            [row["number"], row["text"], row["results"], row["agencies"], row["reach"], "" if row["results"] else "Có"]
        )
        for item in row["items"]:
            rows.append([row["number"], "- " + item["text"], item["results"], None, None, ""])
    return rows


def for_items(plan_id: int, items: list[dict]) -> dict:
    """Coverage of an agency report's counted results (its items, frozen at submission)."""
    return coverage(plan_id, Result.objects.filter(pk__in=[item["id"] for item in items]))
