"""Plan-document importer: a plan (.docx, .md, .txt, .pdf with text) in, a ``cchc.plan/1`` dict out.

    reading (bytes → lines) → blocks (→ paragraphs with markers) → sections (→ tree)
        → fields / activities (→ values), with agencies.py and timeexpr.py reading agency lists and times

Pure Python, no database: resolving names against the organisation registry is the caller's job.

Besides the ``cchc.plan/1`` fields, the dict carries what a review screen needs:

- ``source``: {field: {"text": original text, "line": source line}} for title, issuer, number, issued_on,
  signer, objectives, requirements, audience, recipients; list items carry their own ``line`` (and legal
  bases their cited ``text``; activities their ``agencies_text`` and ``schedule_text``);
- ``warnings``: [{"path": "activities[2].period", "code": "time_unread", "message": Vietnamese,
  "message_en": English}] — the fields to highlight; codes are listed in review.WARNINGS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .activities import extract_activities
from .blocks import make_blocks
from .errors import PlanImportError
from .fields import (
    extract_audience,
    extract_duties,
    extract_issuer,
    extract_legal_bases,
    extract_list_section,
    extract_number,
    extract_place_date,
    extract_recipients,
    extract_signer,
    extract_title,
    extract_topics,
    extract_year,
    issuer_from_text,
    preamble_blocks,
    title_index,
)
from .reading import Line, read_document
from .review import Review
from .sections import Outline, build_outline

__all__ = ["SCHEMA", "ParsedDocument", "PlanImportError", "parse_outline", "parse_plan", "plan_to_json", "read_plan"]

SCHEMA = "cchc.plan/1"


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed plan with the source lines it was read from (what a review screen shows beside it)."""

    plan: dict
    lines: list[Line]
    kind: str  # "docx", "pdf" or "text"


def read_plan(data: bytes, filename: str = "") -> ParsedDocument:
    """Parse a plan document, keeping its lines; raise :class:`PlanImportError` when it is not a plan."""
    kind, lines = read_document(data, filename)
    plan = parse_outline(build_outline(make_blocks(lines)))
    if kind == "pdf":
        plan["warnings"].insert(0, _pdf_warning())
    return ParsedDocument(plan, lines, kind)


def parse_plan(data: bytes, filename: str = "") -> dict:
    """Parse a plan document; raise :class:`PlanImportError` when it cannot be read as a plan."""
    return read_plan(data, filename).plan


def _pdf_warning() -> dict:
    review = Review()
    review.warn("", "pdf_layout")
    return review.warnings[0]


def parse_outline(outline: Outline) -> dict:
    """The field extraction on an already built document tree (the steps after reading)."""
    review = Review()
    front = outline.front_matter()
    back = outline.back_matter()
    title_at = title_index(front)
    if title_at is None:
        raise PlanImportError.of("not_a_plan")
    number, symbol = extract_number(front, review)
    place, issued_on, dated_year = extract_place_date(front, review)
    title = extract_title(front, title_at, review)
    year = extract_year(title, outline, dated_year, review)
    issuer = extract_issuer(front, title_at, review) or issuer_from_text(front, title, symbol, review)
    activities, activity_ids = extract_activities(outline, year, review)
    plan = {
        "schema": SCHEMA,
        "title": title,
        "year": year,
        "issuer": issuer,
        "number": number,
        "symbol": symbol,
        "place": place,
        "issued_on": issued_on,
        "signer": extract_signer(back, review),
        "legal_bases": extract_legal_bases(preamble_blocks(front, title_at, outline), review),
        "objectives": extract_list_section(outline, r"^muc dich$", "objectives", review),
        "requirements": extract_list_section(outline, r"^yeu cau$", "requirements", review),
        "audience": extract_audience(outline, review),
        "topics": extract_topics(outline, activity_ids, review),
        "activities": activities,
        "duties": extract_duties(outline, review),
        "recipients": extract_recipients(back, review),
    }
    if not (plan["topics"] or plan["activities"] or plan["objectives"]):
        raise PlanImportError.of("not_a_plan")
    plan["source"] = review.source
    plan["warnings"] = review.warnings
    return plan


def plan_to_json(plan: dict) -> str:
    """The JSON text of ``cchc import_plan FILE --dry-run --json``."""
    return json.dumps(plan, ensure_ascii=False, indent=1)
