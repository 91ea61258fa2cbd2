"""After a reorganisation, successors carry on their predecessors' running obligations.

- A merged commune takes over the open tasks of every commune it was formed from.
- A closed district's go to the communes that took over its area (its communes' successors).
- A merged department's go to the department that absorbed it.
- Where one body's work went to several successors, the one whose remit fits the activity takes the
  obligation at once (an activity never goes without its lead) and a ``SuccessorChoice`` shows the
  coordinator the choice, to confirm or change (``do_choose_successor``).

A successor that already has an obligation under the activity keeps the stronger of the two roles. The
closed unit's obligation stays, with its results, as no longer required: no running work sits on a
unit that no longer exists. The new obligation keeps ``inherited_from`` so history shows its origin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.audit.actions import record
from cchc.orgs.models import Succession, Unit
from cchc.orgs.succession import SuccessorMap, propose
from cchc.plans.models import ROLE_STRENGTH, Obligation, Plan, PlanStatus, SuccessorChoice
from cchc.plans.signals import obligations_changed


@dataclass
class InheritReport:
    created: int = 0
    strengthened: int = 0
    released: int = 0
    choices: int = 0
    # Closed units with running work and no successor in the registry: (unit name, activity id).
    unmatched: list[tuple[str, int]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "strengthened": self.strengthened,
            "released": self.released,
            "choices": self.choices,
            "unmatched": [{"unit": name, "activity": pk} for name, pk in self.unmatched],
        }


class _Giver:
    """Gives obligations to units, keeping the stronger role where the unit already has one."""

    def __init__(self, activity_ids, report: InheritReport):
        self.report = report
        self.have = {(o.activity_id, o.unit_id): o for o in Obligation.objects.filter(activity_id__in=activity_ids)}

    def give(self, source: Obligation, unit_id: int) -> tuple[Obligation, str]:
        """The successor's obligation, and its role before ("" when it is new)."""
        key = (source.activity_id, unit_id)
        current = self.have.get(key)
        if current is None:
            current = Obligation.objects.create(
                activity_id=source.activity_id,
                unit_id=unit_id,
                role=source.role,
                via_group_id=source.via_group_id,
                inherited_from_id=source.unit_id,
            )
            self.have[key] = current
            self.report.created += 1
            return current, ""
        before = current.role
        if ROLE_STRENGTH[source.role] > ROLE_STRENGTH[current.role] or not current.required:
            current.role = max(current.role, source.role, key=lambda r: ROLE_STRENGTH[r])
            current.required, current.dropped_in = True, None
            current.save(update_fields=["role", "required", "dropped_in"])
            self.report.strengthened += 1
        return current, before

    def take_back(self, choice: SuccessorChoice) -> None:
        """Undo what ``give`` did for a choice: remove the obligation it created, or restore the role."""
        obligation = choice.obligation
        if obligation is None:
            return
        if not choice.previous_role:
            if not obligation.results.exists():
                self.have.pop((obligation.activity_id, obligation.unit_id), None)
                obligation.delete()
                return
            obligation.required = False
            obligation.save(update_fields=["required"])
        elif obligation.role != choice.previous_role:
            obligation.role = choice.previous_role
            obligation.save(update_fields=["role"])


def _closed_or_succeeded(as_of: dt.date):
    linked = Succession.objects.filter(effective_on__lte=as_of).values("predecessor_id")
    return Unit.objects.filter(Q(valid_to__lt=as_of) | Q(pk__in=linked))


@transaction.atomic
def do_inherit_obligations(as_of: dt.date, *, actor=None) -> InheritReport:
    """Pass the running obligations of units closed (or succeeded) by ``as_of`` to their successors.

    Idempotent: a second run finds nothing left to pass on.
    """
    report = InheritReport()
    running = list(
        Obligation.objects.filter(
            unit__in=_closed_or_succeeded(as_of), required=True, activity__plan__status=PlanStatus.ACTIVE
        )
        .filter(Q(activity__period_end__isnull=True) | Q(activity__period_end__gte=as_of))
        .select_related("unit", "activity")
        .order_by("activity_id", "unit_id")
    )
    if not running:
        return report
    successors = SuccessorMap(as_of)
    successors.prefetch_children({o.unit_id for o in running if o.unit_id not in successors.links})
    giver = _Giver({o.activity_id for o in running}, report)
    choices = {
        (c.activity_id, c.predecessor_id): c
        for c in SuccessorChoice.objects.filter(activity_id__in={o.activity_id for o in running})
    }
    released, plans = [], set()
    for obligation in running:
        found = successors.successors(obligation.unit)
        if not found.units:
            if not obligation.unit.is_valid_on(as_of):
                report.unmatched.append((obligation.unit.name, obligation.activity_id))
            continue
        if found.choice_needed:
            choice = choices.get((obligation.activity_id, obligation.unit_id))
            if choice is None:
                choice = _open_choice(obligation, found, giver)
                report.choices += 1
            elif choice.obligation_id is None or choice.obligation.unit_id != choice.current.pk:
                choice.obligation, choice.previous_role = giver.give(obligation, choice.current.pk)
                choice.save(update_fields=["obligation", "previous_role"])
        else:
            for unit in found.units:
                giver.give(obligation, unit.pk)
        plans.add(obligation.activity.plan_id)
        if not obligation.unit.is_valid_on(as_of):
            released.append(obligation.pk)
    report.released = Obligation.objects.filter(pk__in=released).update(required=False)
    if report.created or report.strengthened or report.released or report.choices:
        record("plans.inherit_obligations", None, actor=actor, as_of=as_of.isoformat(), **report.as_dict())
    for plan in Plan.objects.filter(pk__in=plans):
        obligations_changed.send(sender=Plan, plan=plan)
    return report


def _open_choice(obligation: Obligation, found, giver: _Giver) -> SuccessorChoice:
    activity = obligation.activity
    text = " ".join([activity.title, *map(str, activity.content or []), activity.agencies_text])
    proposal = propose(found, text)
    given, before = giver.give(obligation, proposal.chosen.pk)
    if proposal.by_remit:
        reason = _("Lĩnh vực phụ trách của %(unit)s phù hợp nhất với nội dung hoạt động.")
    else:
        reason = _("Không xác định được theo lĩnh vực phụ trách; đề xuất đơn vị kế thừa chính %(unit)s.")
    choice = SuccessorChoice.objects.create(
        activity=activity,
        predecessor=obligation.unit,
        role=obligation.role,
        proposed=proposal.chosen,
        reason=reason % {"unit": proposal.chosen.name},
        obligation=given,
        previous_role=before,
    )
    choice.candidates.set(found.units)
    return choice


@transaction.atomic
def do_choose_successor(choice: SuccessorChoice, unit: Unit, *, actor) -> SuccessorChoice:
    """The coordinator's pick of who carries a closed unit's work under one activity (audited)."""
    locked = SuccessorChoice.objects.select_for_update(of=("self",)).select_related("obligation").get(pk=choice.pk)
    if not locked.candidates.filter(pk=unit.pk).exists():
        raise ValidationError(
            _("%(unit)s không phải là đơn vị kế thừa của %(closed)s.")
            % {"unit": unit.name, "closed": locked.predecessor.name},
            code="not_a_successor",
        )
    before = locked.current
    source = Obligation.objects.filter(activity_id=locked.activity_id, unit_id=locked.predecessor_id).first()
    if unit.pk != before.pk and source is not None:
        giver = _Giver([locked.activity_id], InheritReport())
        giver.take_back(locked)
        source.role = locked.role  # the role the closed unit had when the choice was opened
        locked.obligation, locked.previous_role = giver.give(source, unit.pk)
    locked.chosen = unit
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.full_clean()
    locked.save()
    record(
        "plans.choose_successor",
        locked,
        actor=actor,
        activity=locked.activity.number,
        plan=locked.activity.plan_id,
        predecessor=locked.predecessor.name,
        proposed=locked.proposed.name,
        chosen=unit.name,
    )
    obligations_changed.send(sender=Plan, plan=locked.activity.plan)
    return locked
