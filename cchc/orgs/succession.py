"""Who carries a closed unit's work on a given day, from the registry's reorganisation links.

- A unit with ``Succession`` links passes its work to its successors (a merged department to the
  department that absorbed it, a legacy commune to the new commune formed from it); a successor that
  has itself closed since passes it on in turn.
- A unit without links of its own whose area went elsewhere (a district after the 2025 reform) passes
  it to the successors of its children: the communes that took over its area.
- Where a unit's *work* (not its area) went to several successors (Sở Thông tin và Truyền thông →
  Sở Khoa học và Công nghệ, Sở Văn hóa, Thể thao và Du lịch), one must be chosen per activity:
  ``propose`` ranks them by how well their remit words fit the activity's text, and says so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cchc.lib.text import fold
from cchc.orgs.models import LOCAL_KINDS, Succession, Unit


@dataclass
class Successors:
    """The live units that carry ``unit``'s work on a day, and how they came to."""

    unit: Unit
    units: list[Unit] = field(default_factory=list)
    # True when the area was divided (a district, a commune): each successor takes its share, all of
    # them inherit. False when one body's remit was divided: one successor is chosen per activity.
    by_area: bool = False
    # Successors whose link is partial ("took over part of the work"), for the tie-break in ``propose``.
    partial: set[int] = field(default_factory=set)

    @property
    def choice_needed(self) -> bool:
        return len(self.units) > 1 and not self.by_area


class SuccessorMap:
    """Reorganisation links effective on ``day``, loaded once, answering for many closed units."""

    def __init__(self, day: dt.date):
        self.day = day
        self.links: dict[int, list[tuple[int, bool]]] = {}
        for pred, succ, partial in Succession.objects.filter(effective_on__lte=day).values_list(
            "predecessor_id", "successor_id", "partial"
        ):
            self.links.setdefault(pred, []).append((succ, partial))
        self._units: dict[int, Unit] = {}
        self._children: dict[int, list[int]] = {}

    def _load(self, ids) -> None:
        missing = set(ids) - self._units.keys()
        if missing:
            self._units.update(Unit.objects.in_bulk(missing))

    def _children_of(self, unit_id: int) -> list[int]:
        if unit_id not in self._children:
            self._children[unit_id] = list(Unit.objects.filter(parent_id=unit_id).values_list("pk", flat=True))
        return self._children[unit_id]

    def prefetch_children(self, parent_ids) -> None:
        """Load the children of many units at once (the districts of a plan) in one query."""
        wanted = [pk for pk in parent_ids if pk not in self._children]
        for pk in wanted:
            self._children[pk] = []
        for pk, parent in Unit.objects.filter(parent_id__in=wanted).values_list("pk", "parent_id"):
            self._children[parent].append(pk)

    def successors(self, unit: Unit) -> Successors:
        self._units.setdefault(unit.pk, unit)
        out = Successors(unit=unit, by_area=unit.kind in LOCAL_KINDS)
        seen: set[int] = {unit.pk}
        found: dict[int, bool] = {}
        self._walk(unit.pk, found, seen, partial=False)
        self._load(found)
        out.units = sorted((self._units[pk] for pk in found), key=lambda u: (found[u.pk], u.name))
        out.partial = {pk for pk, partial in found.items() if partial}
        return out

    def _walk(self, unit_id: int, found: dict[int, bool], seen: set[int], *, partial: bool) -> None:
        links = self.links.get(unit_id)
        if not links:
            # No links of its own: its area went to its children's successors (a district's communes).
            children = self._children_of(unit_id)
            self._load(children)
            for child in children:
                if child not in seen and not self._units[child].is_valid_on(self.day):
                    seen.add(child)
                    self._walk(child, found, seen, partial=partial)
            return
        self._load(succ for succ, _ in links)
        for succ, link_partial in links:
            if succ in seen:
                continue
            seen.add(succ)
            if self._units[succ].is_valid_on(self.day):
                found[succ] = found.get(succ, True) and (partial or link_partial)
            else:
                self._walk(succ, found, seen, partial=partial or link_partial)


@dataclass
class Proposal:
    chosen: Unit
    alternatives: list[Unit]
    # How many of each candidate's remit words the text uses, by unit id.
    scores: dict[int, int]
    # Whether the remit decided (False: no candidate's remit fits, the main successor is proposed).
    by_remit: bool


def remit_score(unit: Unit, folded_text: str) -> int:
    score = 0
    for word in unit.remit or ():
        key = fold(word).strip()
        if key:
            score += len(re.findall(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded_text))
    return score


def propose(successors: Successors, text: str) -> Proposal:
    """The successor whose remit fits ``text`` best; on a tie the main (not partial) successor."""
    folded = fold(text)
    scores = {unit.pk: remit_score(unit, folded) for unit in successors.units}
    ranked = sorted(
        successors.units,
        key=lambda u: (-scores[u.pk], u.pk in successors.partial, u.name),
    )
    return Proposal(
        chosen=ranked[0],
        alternatives=ranked[1:],
        scores=scores,
        by_remit=scores[ranked[0].pk] > 0,
    )


def successors_on(unit: Unit, day: dt.date) -> list[Unit]:
    """The open units that carry a closed ``unit``'s work on ``day``, the main successor first."""
    if unit.is_valid_on(day):
        return [unit]
    return SuccessorMap(day).successors(unit).units
