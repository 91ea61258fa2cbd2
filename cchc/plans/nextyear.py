"""Start next year's plan from this one: a draft copy mapped onto the registry of the new year.

Every agency of the copy is mapped onto the registry valid on 1 January of the chosen year:

- a unit still open stays;
- a closed unit is replaced by its successors (``cchc.orgs.succession``): a district by the communes
  that took over its area, a merged department by the department that absorbed it; where its work went
  to several successors, the one whose remit fits the activity is proposed and flagged for review
  (``ActivityAgency.needs_review`` with a note naming the choice and the alternatives);
- a group is expanded again for the new year; a group that no longer holds any unit (the districts,
  after 2025) is replaced by the group that holds its units' successors (the communes);
- what cannot be mapped is kept as written and flagged.

Periods move to the new year, "năm 2024" in the plan's texts becomes "năm 2026", and the number and
date are cleared: the copy is a new document, to be edited, checked and activated like any draft.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.audit.actions import record
from cchc.lib.vnformat import vn_short_date
from cchc.orgs.models import Unit, UnitGroup
from cchc.orgs.succession import SuccessorMap, propose
from cchc.plans.models import ROLE_STRENGTH, Activity, ActivityAgency, AgencyRole, Plan, PlanStatus, Topic

# Copies go forward, a few years at most: further, the registry has nothing to say yet.
MAX_YEARS_AHEAD = 5


@dataclass
class CopyReport:
    """What the copy changed and what it leaves to the coordinator, as ``copy_plan --json`` prints it."""

    plan: int = 0
    copied_from: int = 0
    year: int = 0
    # {"activity", "role", "from", "to": [names], "kind": "successor" | "area" | "proposed" | "group"}
    replacements: list[dict] = field(default_factory=list)
    # {"activity", "role", "agency", "chosen", "alternatives", "reason"}: a proposal to confirm.
    flags: list[dict] = field(default_factory=list)
    # {"activity", "role", "agency", "reason"}: nothing in the new registry.
    unmatched: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "plan": self.plan,
            "copied_from": self.copied_from,
            "year": self.year,
            "replacements": self.replacements,
            "flags": self.flags,
            "unmatched": self.unmatched,
        }


def shift_text(text: str, old: int, new: int) -> str:
    """ "Thường xuyên trong năm 2024" → "… năm 2026"; other years (of laws, of programmes) stay."""
    return re.sub(rf"(?<=năm )({old})(?!\d)", str(new), text) if text else text


def _shift_list(values: list, old: int, new: int) -> list:
    out = []
    for value in values:
        if isinstance(value, str):
            out.append(shift_text(value, old, new))
        elif isinstance(value, dict) and isinstance(value.get("text"), str):
            out.append({**value, "text": shift_text(value["text"], old, new)})
        else:
            out.append(value)
    return out


def shift_date(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@dataclass
class _Row:
    """An agency of the copy being built: its target, role, and what the coordinator should know."""

    name: str
    role: str
    unit: Unit | None = None
    group: UnitGroup | None = None
    match_quality: str = "exact"
    needs_review: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def key(self):
        if self.unit is not None:
            return ("unit", self.unit.pk)
        if self.group is not None:
            return ("group", self.group.pk)
        return ("name", self.name)


class _Mapper:
    """Maps one plan's agencies onto the registry of ``day``, with caches shared by every activity."""

    def __init__(self, plan: Plan, day: dt.date, report: CopyReport):
        self.plan, self.day, self.report = plan, day, report
        self.province = plan.province
        self.successors = SuccessorMap(day)
        self.groups = list(UnitGroup.objects.all())
        self._group_live: dict[int, bool] = {}
        self._group_target: dict[int, UnitGroup | None] = {}

    # --- groups -----------------------------------------------------------------------------------

    def group_is_live(self, group: UnitGroup) -> bool:
        if group.pk not in self._group_live:
            self._group_live[group.pk] = group.units_on(self.day, self.province).exists()
        return self._group_live[group.pk]

    def group_successor(self, group: UnitGroup) -> UnitGroup | None:
        """The group that holds, in the new year, the successors of the units ``group`` held."""
        if group.pk not in self._group_target:
            old_units = list(group.units_on(self.plan.start, self.province))
            self.successors.prefetch_children(u.pk for u in old_units)
            kinds = {s.kind for unit in old_units for s in self.successors.successors(unit).units}
            target = None
            if kinds:
                target = next(
                    (g for g in self.groups if set(g.kinds) == kinds and g.pk != group.pk and self.group_is_live(g)),
                    None,
                )
            self._group_target[group.pk] = target
        return self._group_target[group.pk]

    # --- one agency -------------------------------------------------------------------------------

    def map(self, activity: Activity, agency: ActivityAgency, text: str) -> list[_Row]:
        base = _Row(name=agency.name, role=agency.role, match_quality=agency.match_quality)
        if agency.needs_review:
            base.needs_review = True
            base.notes.append(agency.note)
        if agency.unit is not None:
            return self._map_unit(activity, agency.unit, base, text)
        if agency.group is not None:
            return [self._map_group(activity, agency.group, base)]
        base.needs_review = True
        base.notes.append(_("Chưa khớp với đơn vị nào trong danh mục; hãy chọn đơn vị."))
        self._unmatched(activity, base, "unresolved")
        return [base]

    def _map_unit(self, activity: Activity, unit: Unit, base: _Row, text: str) -> list[_Row]:
        if unit.is_valid_on(self.day):
            base.unit = unit
            return [base]
        closed = _("%(unit)s ngừng hoạt động từ %(day)s") % {
            "unit": unit.name,
            "day": vn_short_date(unit.valid_to + dt.timedelta(days=1)) if unit.valid_to else "?",
        }
        found = self.successors.successors(unit)
        if not found.units:
            base.needs_review = True
            base.notes.append(closed + _("; không tìm thấy đơn vị kế thừa: hãy chọn đơn vị thay thế."))
            self._unmatched(activity, base, "no_successor")
            return [base]
        if not found.choice_needed:
            kind = "area" if found.by_area and len(found.units) > 1 else "successor"
            self._replaced(activity, base, unit, found.units, kind)
            return [
                _Row(
                    name=successor.name,
                    role=base.role,
                    unit=successor,
                    needs_review=base.needs_review,
                    notes=[*base.notes, _("Thay cho %(closed)s.") % {"closed": closed}],
                )
                for successor in found.units
            ]
        proposal = propose(found, text)
        others = ", ".join(u.name for u in proposal.alternatives)
        if proposal.by_remit:
            why = _("lĩnh vực phụ trách của đơn vị này phù hợp nhất với nội dung hoạt động")
        else:
            why = _("không xác định được theo lĩnh vực phụ trách; đề xuất đơn vị kế thừa chính")
        note = _("Đề xuất %(chosen)s thay cho %(closed)s (%(why)s). Có thể chọn: %(others)s.") % {
            "chosen": proposal.chosen.name,
            "closed": closed,
            "why": why,
            "others": others,
        }
        self._replaced(activity, base, unit, [proposal.chosen], "proposed")
        self.report.flags.append(
            {
                "activity": activity.number,
                "role": base.role,
                "agency": unit.name,
                "chosen": proposal.chosen.name,
                "alternatives": [u.name for u in proposal.alternatives],
                "reason": "several_successors",
            }
        )
        return [
            _Row(
                name=proposal.chosen.name,
                role=base.role,
                unit=proposal.chosen,
                needs_review=True,
                notes=[*base.notes, note],
            )
        ]

    def _map_group(self, activity: Activity, group: UnitGroup, base: _Row) -> _Row:
        if self.group_is_live(group):
            base.group = group
            return base
        target = self.group_successor(group)
        if target is None:
            base.group = group
            base.needs_review = True
            base.notes.append(
                _("Nhóm “%(group)s” không có đơn vị nào trong năm %(year)s; hãy chọn đơn vị hoặc bỏ nhóm này.")
                % {"group": group.name, "year": self.day.year}
            )
            self._unmatched(activity, base, "empty_group")
            return base
        self.report.replacements.append(
            {
                "activity": activity.number,
                "role": base.role,
                "from": group.name,
                "to": [target.name],
                "kind": "group",
            }
        )
        base.notes.append(
            _("Thay cho nhóm “%(group)s”, không còn đơn vị nào trong năm %(year)s.")
            % {"group": group.name, "year": self.day.year}
        )
        return _Row(name=target.name, role=base.role, group=target, needs_review=base.needs_review, notes=base.notes)

    # --- the report -------------------------------------------------------------------------------

    def _replaced(self, activity, base: _Row, unit: Unit, successors: list[Unit], kind: str) -> None:
        self.report.replacements.append(
            {
                "activity": activity.number,
                "role": base.role,
                "from": unit.name,
                "to": [u.name for u in successors],
                "kind": kind,
            }
        )

    def _unmatched(self, activity, base: _Row, reason: str) -> None:
        self.report.unmatched.append(
            {"activity": activity.number, "role": base.role, "agency": base.name, "reason": reason}
        )


def _merge(rows: list[_Row]) -> list[_Row]:
    """One row per unit or group; a unit named twice keeps the stronger role and both notes."""
    merged: dict[tuple, _Row] = {}
    for row in rows:
        kept = merged.get(row.key)
        if kept is None:
            merged[row.key] = row
            continue
        if ROLE_STRENGTH[row.role] > ROLE_STRENGTH[kept.role]:
            kept.role = row.role
        kept.needs_review = kept.needs_review or row.needs_review
        kept.notes += [n for n in row.notes if n not in kept.notes]
    return list(merged.values())


def _activity_text(activity: Activity) -> str:
    return " ".join([activity.title, *map(str, activity.content or []), activity.agencies_text])


@transaction.atomic
def do_copy_plan(plan: Plan, year: int, *, actor) -> tuple[Plan, CopyReport]:
    """Make the draft of ``year``'s plan from ``plan``, mapped onto the registry of 1 January ``year``."""
    if not isinstance(year, int) or not plan.year < year <= plan.year + MAX_YEARS_AHEAD:
        raise ValidationError(
            _("Năm của kế hoạch mới phải sau năm %(year)s và không quá %(max)s năm.")
            % {"year": plan.year, "max": MAX_YEARS_AHEAD},
            code="year",
        )
    years = year - plan.year
    day = dt.date(year, 1, 1)
    report = CopyReport(copied_from=plan.pk, year=year)
    mapper = _Mapper(plan, day, report)
    issuer_unit = plan.issuer_unit
    if issuer_unit is not None and not issuer_unit.is_valid_on(day):
        found = mapper.successors.successors(issuer_unit).units
        issuer_unit = found[0] if len(found) == 1 else None
    new = Plan(
        issuer=plan.issuer,
        issuer_unit=issuer_unit,
        number="",
        symbol=plan.symbol,
        year=year,
        title=shift_text(plan.title, plan.year, year),
        place=plan.place,
        issued_on=None,
        signer_name=plan.signer_name,
        signer_title=plan.signer_title,
        legal_bases=plan.legal_bases,
        objectives=_shift_list(plan.objectives, plan.year, year),
        requirements=_shift_list(plan.requirements, plan.year, year),
        audience=shift_text(plan.audience, plan.year, year),
        duties=_shift_list(plan.duties, plan.year, year),
        recipients=plan.recipients,
        status=PlanStatus.DRAFT,
        copied_from=plan,
    )
    new.full_clean()
    new.save()
    report.plan = new.pk
    Topic.objects.bulk_create(
        Topic(
            plan=new,
            number=t.number,
            text=shift_text(t.text, plan.year, year),
            items=_shift_list(t.items, plan.year, year),
            order=t.order,
        )
        for t in plan.topics.all()
    )
    activities = plan.activities.prefetch_related("agencies__unit", "agencies__group")
    for activity in activities:
        copy = _copy_activity(activity, new, plan.year, years)
        rows: list[_Row] = []
        text = _activity_text(activity)
        for agency in activity.agencies.all():
            rows += mapper.map(activity, agency, text)
        rows = _merge(rows)
        had_lead = any(a.role == AgencyRole.LEAD for a in activity.agencies.all())
        if had_lead and not any(r.role == AgencyRole.LEAD and (r.unit or r.group) for r in rows):
            report.unmatched.append(
                {"activity": activity.number, "role": AgencyRole.LEAD, "agency": "", "reason": "lead_lost"}
            )
        ActivityAgency.objects.bulk_create(
            ActivityAgency(
                activity=copy,
                name=row.name,
                role=row.role,
                unit=row.unit,
                group=row.group,
                match_quality=row.match_quality if (row.unit or row.group) else "none",
                needs_review=row.needs_review,
                note="\n".join(n for n in row.notes if n),
                order=i,
            )
            for i, row in enumerate(rows)
        )
    record(
        "plans.copy",
        new,
        actor=actor,
        copied_from=plan.pk,
        year=year,
        replacements=len(report.replacements),
        flags=len(report.flags),
        unmatched=len(report.unmatched),
    )
    return new, report


def _copy_activity(activity: Activity, plan: Plan, old_year: int, years: int) -> Activity:
    new_year = old_year + years
    copy = Activity(
        plan=plan,
        number=activity.number,
        title=shift_text(activity.title, old_year, new_year),
        content=_shift_list(activity.content or [], old_year, new_year),
        period_start=shift_date(activity.period_start, years),
        period_end=shift_date(activity.period_end, years),
        recurrence_every=activity.recurrence_every,
        recurrence_count=activity.recurrence_count,
        recurrence_unit=activity.recurrence_unit,
        funding=shift_text(activity.funding, old_year, new_year),
        agencies_text=shift_text(activity.agencies_text, old_year, new_year),
        schedule_text=shift_text(activity.schedule_text, old_year, new_year),
        funding_amount=activity.funding_amount,
        counting=activity.counting,
        order=activity.order,
    )
    copy.full_clean(exclude=["plan"])
    copy.save()
    return copy
