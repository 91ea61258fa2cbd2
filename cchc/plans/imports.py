"""Import sessions: what the review of an imported plan document needs beside the importer itself.

The importer (``cchc.plans.importer``) turns a file into a ``cchc.plan/1`` dict without a database. Here
that dict meets the registry and the plans already saved:

- every agency of every activity and duty is matched against the registry valid in the plan's year
  (``annotate_matches``); the match is written into the agency as ``unit``/``group`` codes and a ``match``
  quality (exact, close, none, or confirmed by a reviewer), which ``do_create_plan`` then uses as is;
- the plan a document was imported as before is found by file hash or by its identity (issuer, symbol,
  number, year, title), so importing it again updates that draft instead of creating a second plan;
- corrections from the review screen are applied section by section (``apply_correction``).

Functions here change the dict they are given and never save; the actions in actions.py save.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from cchc.lib.text import fold
from cchc.orgs.models import Unit
from cchc.orgs.resolve import CLOSE, EXACT, NONE, Match, Resolver, name_key
from cchc.orgs.structure import province_slug
from cchc.plans.models import ImportStatus, Plan, PlanImport, PlanStatus

CONFIRMED = "confirmed"  # a match the reviewer chose or accepted
HEADER_FIELDS = ("title", "year", "issuer", "number", "symbol", "place", "issued_on", "signer", "audience")
LIST_FIELDS = ("objectives", "requirements", "recipients")
_ACTIVITY_PATH = re.compile(r"^activities\[(\d+)\]")


def plan_resolver(year: int, issuer: str | None, province: str | None = None) -> tuple[Resolver, Match]:
    """The registry valid on 1 January of the plan's year in the province (the deployment's by default),
    with the issuer matched and set as the resolver's home ("UBND xã" in a commune's plan is that commune)."""
    province = province or province_slug(settings.CCHC_PROVINCE)
    resolver = Resolver(on=dt.date(year, 1, 1), province=province)
    issuer_match = resolver.match(issuer) if issuer else Match(quality=NONE)
    resolver.home = issuer_match.unit
    return resolver, issuer_match


def agency_lists(document: dict) -> Iterable[list[dict]]:
    for item in (*(document.get("activities") or []), *(document.get("duties") or [])):
        yield item.get("agencies") or []


def annotate_matches(document: dict, resolver: Resolver) -> None:
    """Write each agency's registry match into it, unless it already carries one."""
    for agencies in agency_lists(document):
        for agency in agencies:
            if "match" not in agency:
                set_match(agency, resolver.match(agency.get("name") or ""))


def set_match(agency: dict, match: Match, quality: str | None = None) -> None:
    agency["unit"] = match.unit.code if match.unit else None
    agency["group"] = match.group.code if match.group else None
    agency["match"] = quality or match.quality


def explicit_target(agency: dict, resolver: Resolver) -> Match | None:
    """The match a document carries for an agency (None: the document leaves it to the resolver)."""
    if "match" not in agency:
        return None
    code = agency.get("unit") or agency.get("group")
    if not code:
        return Match(quality=NONE)
    target = resolver.by_code.get(code)
    if target is None:  # a code of another year's registry: match the name again
        return None
    quality = agency["match"] if agency["match"] in (EXACT, CLOSE, CONFIRMED) else EXACT
    return Match(unit=target, quality=quality) if isinstance(target, Unit) else Match(group=target, quality=quality)


def source_lines(lines) -> list[list]:
    """[[line number, text], ...] of the importer's lines for the review screen. The cells of a layout
    table (the two-column header of a plan) share their row's number: they are shown as one line."""
    out: list[list] = []
    for line in lines:
        if out and out[-1][0] == line.number:
            out[-1][1] += " | " + line.text
        else:
            out.append([line.number, line.text])
    return out


# --- choosing a unit on the review screen ---------------------------------------------------------


@dataclass(frozen=True)
class RegistryOptions:
    """The units and groups a reviewer may pick, by the label shown in the picker."""

    by_label: dict[str, str]  # label -> code
    by_code: dict[str, str]  # code -> label
    groups: frozenset[str]  # the codes that are groups, not units

    @classmethod
    def of(cls, resolver: Resolver) -> RegistryOptions:
        counts = Counter(u.name for u in resolver.units)
        shared = {name for name, n in counts.items() if n > 1}
        labels: list[tuple[str, str]] = [(_("%(name)s (nhóm)") % {"name": g.name}, g.code) for g in resolver.groups]
        labels += [(f"{u.name} [{u.code}]" if u.name in shared else u.name, u.code) for u in resolver.units]
        return cls(
            by_label=dict(labels),
            by_code={code: label for label, code in labels},
            groups=frozenset(g.code for g in resolver.groups),
        )

    def label(self, agency: dict) -> str:
        return self.by_code.get(agency.get("unit") or agency.get("group") or "", "")


# --- the same document again -------------------------------------------------------------------------


def _words(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def document_identity(issuer, symbol, number, year, title) -> tuple:
    return name_key(issuer or ""), _words(symbol), _words(number), year, _words(title)


def find_existing_plan(document: dict, sha256: str) -> Plan | None:
    """The plan this document was imported as before: same file, or same issuer, symbol, number, year
    and title (the same plan saved again from Word is a different file)."""
    by_file = (
        PlanImport.objects.filter(sha256=sha256, status=ImportStatus.CONFIRMED, plan__isnull=False)
        .select_related("plan")
        .order_by("-pk")
        .first()
    )
    if by_file is not None:
        return by_file.plan
    year = document.get("year")
    if not year:
        return None
    wanted = document_identity(
        document.get("issuer"), document.get("symbol"), document.get("number"), year, document.get("title")
    )
    # The number narrows the search in the database; the rest is compared folded, in Python.
    candidates = Plan.objects.filter(year=year, number=(document.get("number") or "").strip()).order_by("pk")
    for plan in candidates:
        if document_identity(plan.issuer, plan.symbol, plan.number, plan.year, plan.title) == wanted:
            return plan
    return None


@dataclass(frozen=True)
class Duplicate:
    """The plan an import's document became before, and what confirming the import may do about it."""

    plan: Plan

    @property
    def updatable(self) -> bool:
        """A draft is updated from the new file; a plan being carried out or closed never is."""
        return self.plan.status == PlanStatus.DRAFT

    @property
    def blocks(self) -> bool:
        """The import cannot be confirmed: the only way on is to discard it."""
        return not self.updatable


def duplicate_of(session: PlanImport) -> Duplicate | None:
    """Whether the open import ``session`` repeats a plan already imported (None once it is closed)."""
    if not session.is_open:
        return None
    plan = find_existing_plan(session.document, session.sha256)
    return Duplicate(plan) if plan is not None else None


# --- corrections ---------------------------------------------------------------------------------------


def section_of(path: str) -> str:
    """The review section a warning path belongs to: "header", "lists", "activities[3]" or "other"."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    if head in HEADER_FIELDS:
        return "header"
    if head in LIST_FIELDS:
        return "lists"
    m = _ACTIVITY_PATH.match(path)
    return f"activities[{m.group(1)}]" if m else "other"


def apply_correction(document: dict, section: str, values: dict) -> dict[str, list]:
    """Put a reviewer's values for one section into the document; return {field: [before, after]} of
    what changed. The warnings of the section are marked reviewed: the reviewer has seen them."""
    if section in ("header", "lists"):
        target = document
    else:
        m = _ACTIVITY_PATH.match(section)
        target = document["activities"][int(m.group(1))]
    changes = {}
    for key, value in values.items():
        if target.get(key) != value:
            changes[key] = [target.get(key), value]
            target[key] = value
    for warning in document.get("warnings") or []:
        if section_of(warning["path"]) == section:
            warning["reviewed"] = True
    return changes


def review_counts(document: dict) -> dict[str, int]:
    """How much is left to check: open warnings, agencies without a match, close matches."""
    agencies = [a for agencies in agency_lists(document) for a in agencies]
    return {
        "warnings": sum(1 for w in document.get("warnings") or [] if not w.get("reviewed")),
        "unmatched": sum(1 for a in agencies if a.get("match") == NONE),
        "close": sum(1 for a in agencies if a.get("match") == CLOSE),
    }
