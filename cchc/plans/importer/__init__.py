"""Plan-document importer: a plan (.docx, .doc/.odt/.rtf, .md, .txt, .pdf, scanned .pdf) in, a ``cchc.plan/1`` dict out.

    reading (bytes → lines) → blocks (→ paragraphs with markers) → sections (→ tree)
        → fields / activities (→ values), with agencies.py and timeexpr.py reading agency lists and times

Pure Python, no database: resolving names against the organisation registry is the caller's job.

Besides the ``cchc.plan/1`` fields, the dict carries what a review screen needs:

- ``issued_year``: the year of the date line, kept when its day and month are blank (then ``issued_on``
  is null): a year-only date is ``issued_on: null, issued_year: 2023``;
- ``pages`` (scanned PDFs only): [{"number", "lines": [[[word, unsure], ...], ...], "confidence",
  "unsure", "seconds", "skipped"}] — what OCR read on each page, the words it was unsure of flagged;
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
from .reading import Line, read_source
from .review import Review
from .sections import Outline, build_outline

__all__ = ["SCHEMA", "ParsedDocument", "PlanImportError", "parse_outline", "parse_plan", "plan_to_json", "read_plan"]

SCHEMA = "cchc.plan/1"


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed plan with the source lines it was read from (what a review screen shows beside it)."""

    plan: dict
    lines: list[Line]
    kind: str  # "docx", "doc", "odt", "rtf", "pdf", "scan" (a PDF read by OCR) or "text"


def read_plan(data: bytes, filename: str = "", progress=None, *, ocr_budget: float | None = None) -> ParsedDocument:
    """Parse a plan document, keeping its lines; raise :class:`PlanImportError` when it is not a plan.

    ``progress(done, total)`` is called after each page of a scanned PDF is read. ``ocr_budget``: seconds
    of OCR before the pages left are kept unread (a web request must end before the server's timeout;
    the command line waits for every page: None)."""
    source = read_source(data, filename, progress, ocr_budget=ocr_budget)
    plan = parse_outline(build_outline(make_blocks(source.lines)))
    if source.kind in ("pdf", "scan"):
        plan["warnings"].insert(0, _document_warning("", "pdf_layout"))
    if source.pages:
        plan["pages"] = [_page(page, source.lines) for page in source.pages]
        plan["warnings"][1:1] = [
            _document_warning(f"pages[{p['number'] - 1}]", "page_skipped" if p["skipped"] else "unreadable_page")
            for p in plan["pages"]
            if not p["lines"]
        ]
        plan["warnings"].insert(1, _document_warning("", "ocr"))
    return ParsedDocument(plan, source.lines, source.kind)


def parse_plan(data: bytes, filename: str = "") -> dict:
    """Parse a plan document; raise :class:`PlanImportError` when it cannot be read as a plan."""
    return read_plan(data, filename).plan


def _document_warning(path: str, code: str) -> dict:
    review = Review()
    review.warn(path, code)
    return review.warnings[0]


def _page(page, lines: list[Line]) -> dict:
    """A recognised page for the review screen: its lines of [word, unsure] pairs, how sure, how long."""
    return {
        "number": page.number,
        "lines": [[[word, unsure] for word, unsure in line] for line in page.lines if line],
        "confidence": page.confidence,
        "unsure": sum(unsure for line in page.lines for _, unsure in line),
        "seconds": page.seconds,
        "skipped": page.skipped,
    }


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
        # The year of the date line even when its day and month are left blank ("ngày   tháng   năm 2023").
        "issued_year": int(issued_on[:4]) if issued_on else dated_year,
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
