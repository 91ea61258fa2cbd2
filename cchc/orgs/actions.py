"""Changes to the registry. Loads are idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from cchc.audit.actions import record
from cchc.orgs.groups import GROUPS
from cchc.orgs.models import LOCAL_KINDS, PROVINCIAL_KINDS, Succession, Unit, UnitGroup
from cchc.orgs.structure import PROVINCE_COMMITTEE_CODE, UnitSpec, structure

_SPEC_FIELDS = ("name", "short_name", "kind", "aliases", "admin_code", "division_type", "province", "remit", "context")
# Fields a structure only sets when it knows them: the 2024 list gives no remits, and loading it again
# must not wipe the ones the 2025 list gave.
_KEEP_WHEN_EMPTY = {"remit"}


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    unchanged: int = 0
    links: int = 0

    def as_dict(self) -> dict:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "closed": len(self.closed),
            "unchanged": self.unchanged,
            "succession_links": self.links,
        }


@transaction.atomic
def do_load_units(province: str, as_of: dt.date, *, actor=None) -> LoadReport:
    """Bring the registry to the structure of ``province`` on ``as_of``.

    Units are created or updated; a unit of the managed kinds that is valid on ``as_of`` but no
    longer in the structure is closed (``valid_to``), never deleted, so history keeps its links.
    """
    report = LoadReport()
    do_ensure_groups()
    specs = structure(province, as_of)
    existing = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in specs])}
    for spec in specs:  # parents come before children in the structure
        unit = existing.get(spec.code)
        if unit is None:
            existing[spec.code] = _create(spec, existing)
            report.created.append(spec.code)
        elif _update(unit, spec, existing):
            report.updated.append(spec.code)
        else:
            report.unchanged += 1
    report.links = _link_successions(specs, existing)
    report.closed = _close_missing(specs, existing, as_of)
    if report.created or report.updated or report.closed:
        record("orgs.load_units", None, actor=actor, province=province, as_of=as_of.isoformat(), **report.as_dict())
    return report


def _create(spec: UnitSpec, existing: dict[str, Unit]) -> Unit:
    unit = Unit(
        code=spec.code,
        parent=existing.get(spec.parent) if spec.parent else None,
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        **{name: getattr(spec, name) for name in _SPEC_FIELDS},
    )
    # The parent was just read or created by this load, and the validity range is the database's own check
    # (the structure's dates come from vietnam-provinces and the province's registry): Django would spend a
    # query on each, per unit, 1.5 of the 4 s the two loads of ``cchc load_demo`` took under the profiler.
    unit.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
    unit.save()
    return unit


def _update(unit: Unit, spec: UnitSpec, existing: dict[str, Unit]) -> bool:
    changed = [
        name
        for name in _SPEC_FIELDS
        if getattr(unit, name) != getattr(spec, name) and not (name in _KEEP_WHEN_EMPTY and not getattr(spec, name))
    ]
    for name in changed:
        setattr(unit, name, getattr(spec, name))
    parent = existing.get(spec.parent) if spec.parent else None
    if unit.parent_id != (parent.pk if parent else None):
        unit.parent = parent
        changed.append("parent")
    # A load only ever sets dates it knows; it never reopens a unit that a later load closed.
    if spec.valid_from is not None and unit.valid_from != spec.valid_from:
        unit.valid_from = spec.valid_from
        changed.append("valid_from")
    if spec.valid_to is not None and unit.valid_to != spec.valid_to:
        unit.valid_to = spec.valid_to
        changed.append("valid_to")
    if changed:
        unit.save(update_fields=changed)
    return bool(changed)


def _link_successions(specs: list[UnitSpec], existing: dict[str, Unit]) -> int:
    wanted = {(spec.code, pred): (partial, day) for spec in specs for pred, partial, day in spec.predecessors}
    missing_preds = {pred for _, pred in wanted if pred not in existing}
    existing.update({u.code: u for u in Unit.objects.filter(code__in=missing_preds)})
    links = Succession.objects.filter(successor__code__in={s for s, _ in wanted})
    have = {
        (succ, pred): (pk, partial)
        for pk, succ, pred, partial in links.values_list("pk", "successor__code", "predecessor__code", "partial")
    }
    # A link the data now says is partial (or no longer partial) is corrected in place.
    for key, (pk, partial) in have.items():
        if key in wanted and wanted[key][0] != partial:
            Succession.objects.filter(pk=pk).update(partial=wanted[key][0])
    new = [
        Succession(successor=existing[succ], predecessor=existing[pred], effective_on=day, partial=partial)
        for (succ, pred), (partial, day) in wanted.items()
        if (succ, pred) not in have and pred in existing and succ in existing
    ]
    Succession.objects.bulk_create(new)
    # A predecessor that is still open ends the day before its successor takes over.
    for link in new:
        pred = link.predecessor
        end = link.effective_on - dt.timedelta(days=1)
        if pred.code != link.successor.code and (pred.valid_to is None or pred.valid_to > end):
            pred.valid_to = end
            pred.save(update_fields=["valid_to"])
    return len(new)


def _close_missing(specs: list[UnitSpec], existing: dict[str, Unit], as_of: dt.date) -> list[str]:
    wanted = {spec.code for spec in specs}
    managed = {str(k) for k in PROVINCIAL_KINDS | LOCAL_KINDS}
    # Only this province's own units: a merged neighbour's are closed through their own specs.
    provinces = {spec.province for spec in specs if spec.code == PROVINCE_COMMITTEE_CODE}
    stale = Unit.objects.valid_on(as_of).filter(province__in=provinces, kind__in=managed).exclude(code__in=wanted)
    closed = []
    for unit in stale:
        unit.valid_to = as_of - dt.timedelta(days=1)
        unit.save(update_fields=["valid_to"])
        closed.append(unit.code)
    return closed


@transaction.atomic
def do_ensure_groups() -> None:
    """The standard groups (``GROUPS``) exist as written there: the missing ones are created, a changed name
    or alias list is brought up to date. One query when they already are (``update_or_create`` for each
    took six: half of the set-up of every test's personas)."""
    existing = {group.code: group for group in UnitGroup.objects.filter(code__in=[data["code"] for data in GROUPS])}
    missing = []
    for data in GROUPS:
        values = {name: value for name, value in data.items() if name != "code"}
        group = existing.get(data["code"])
        if group is None:
            missing.append(UnitGroup(code=data["code"], **values))
        elif changed := [name for name, value in values.items() if getattr(group, name) != value]:
            for name in changed:
                setattr(group, name, values[name])
            group.save(update_fields=changed)
    # Two loads at once: the second finds the first's rows already there.
    UnitGroup.objects.bulk_create(missing, ignore_conflicts=True)
