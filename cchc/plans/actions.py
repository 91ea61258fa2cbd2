"""Changes to plans. Every function validates, runs in a transaction and writes one audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from cchc.audit.actions import record
from cchc.orgs.models import Succession
from cchc.orgs.resolve import Resolver
from cchc.plans.models import (
    ROLE_STRENGTH,
    Activity,
    ActivityAgency,
    AgencyRole,
    Obligation,
    Plan,
    PlanStatus,
    Topic,
)

SCHEMA = "cchc.plan/1"


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@transaction.atomic
def do_create_plan(document: dict, *, actor=None, status: str = PlanStatus.DRAFT) -> Plan:
    """Create a plan, its topics, activities and obligations from a ``cchc.plan/1`` document."""
    if document.get("schema") != SCHEMA:
        raise ValidationError(f"Tài liệu không đúng định dạng {SCHEMA}.")
    signer = document.get("signer") or {}
    plan = Plan(
        issuer=document.get("issuer") or "", number=document.get("number") or "",
        symbol=document.get("symbol") or "", year=document["year"], title=document["title"],
        place=document.get("place") or "", issued_on=_date(document.get("issued_on")),
        signer_name=signer.get("name") or "", signer_title=signer.get("title") or "",
        legal_bases=document.get("legal_bases") or [], objectives=document.get("objectives") or [],
        requirements=document.get("requirements") or [], audience=document.get("audience") or "",
        duties=document.get("duties") or [], recipients=document.get("recipients") or [],
        status=status, source=document,
    )
    plan.full_clean()
    plan.save()
    resolver = Resolver(on=plan.start, province=plan.province)
    issuer = resolver.match(plan.issuer)
    if issuer.unit is not None:
        plan.issuer_unit = issuer.unit
        plan.save(update_fields=["issuer_unit"])
    Topic.objects.bulk_create(
        Topic(plan=plan, number=str(t.get("number") or i + 1), text=t.get("text") or "", items=t.get("items") or [],
              order=i)
        for i, t in enumerate(document.get("topics") or [])
    )
    for i, data in enumerate(document.get("activities") or []):
        _create_activity(plan, data, i, resolver)
    count = do_expand_obligations(plan)
    record("plans.create", plan, actor=actor, activities=plan.activities.count(), obligations=count)
    return plan


def _create_activity(plan: Plan, data: dict, order: int, resolver: Resolver) -> Activity:
    period = data.get("period") or {}
    recurrence = data.get("recurrence") or {}
    activity = Activity(
        plan=plan, number=str(data.get("number") or order + 1), title=data.get("title") or "",
        content=data.get("content") or [], period_start=_date(period.get("start")),
        period_end=_date(period.get("end")), recurrence_every=recurrence.get("every") or "",
        recurrence_count=recurrence.get("count"), recurrence_unit=recurrence.get("unit") or "",
        funding=data.get("funding") or "", agencies_text=data.get("agencies_text") or "",
        schedule_text=data.get("schedule_text") or "", order=order,
    )
    activity.full_clean(exclude=["plan"])
    activity.save()
    agencies = []
    for j, agency in enumerate(data.get("agencies") or []):
        match = resolver.match(agency["name"])
        agencies.append(ActivityAgency(
            activity=activity, name=agency["name"], role=agency.get("role") or AgencyRole.IMPLEMENT,
            unit=match.unit, group=match.group, match_quality=match.quality, order=j,
        ))
    ActivityAgency.objects.bulk_create(agencies)
    return activity


@transaction.atomic
def do_expand_obligations(plan: Plan, *, actor=None) -> int:
    """(Re)compute the obligations of every activity: one per (activity, unit) as of the plan's year.

    Idempotent: obligations that still apply are kept (results recorded against them stay attached),
    new ones are added, ones no longer named are removed.
    """
    on = plan.start
    wanted: dict[tuple[int, int], tuple[str, int | None]] = {}
    agencies = ActivityAgency.objects.filter(activity__plan=plan).select_related("group")
    group_units: dict[int, list[int]] = {}
    for agency in agencies:
        if agency.unit_id is not None:
            unit_ids, group_id = [agency.unit_id], None
        elif agency.group_id is not None:
            if agency.group_id not in group_units:
                units = agency.group.units_on(on, plan.province)
                group_units[agency.group_id] = list(units.values_list("pk", flat=True))
            unit_ids, group_id = group_units[agency.group_id], agency.group_id
        else:
            continue  # unresolved: shown to the reviewer, creates nothing
        for unit_id in unit_ids:
            key = (agency.activity_id, unit_id)
            current = wanted.get(key)
            if current is None or ROLE_STRENGTH[agency.role] > ROLE_STRENGTH[current[0]]:
                wanted[key] = (agency.role, group_id if current is None else current[1])
    existing = {(o.activity_id, o.unit_id): o for o in Obligation.objects.filter(activity__plan=plan)}
    stale = [o.pk for key, o in existing.items() if key not in wanted]
    Obligation.objects.filter(pk__in=stale).delete()
    changed = []
    for key, (role, _group) in wanted.items():
        if key in existing and existing[key].role != role:
            existing[key].role = role
            changed.append(existing[key])
    Obligation.objects.bulk_update(changed, ["role"])
    Obligation.objects.bulk_create(
        Obligation(activity_id=a, unit_id=u, role=role, via_group_id=g)
        for (a, u), (role, g) in wanted.items() if (a, u) not in existing
    )
    if actor is not None:
        record("plans.expand_obligations", plan, actor=actor, obligations=len(wanted))
    return len(wanted)


@transaction.atomic
def do_set_plan_status(plan: Plan, status: str, *, actor, expected_version: int | None = None) -> Plan:
    if expected_version is not None and plan.version != expected_version:
        raise ValidationError("Kế hoạch đã được người khác thay đổi; hãy tải lại trang.")
    updated = Plan.objects.filter(pk=plan.pk, version=plan.version).update(status=status, version=plan.version + 1)
    if not updated:
        raise ValidationError("Kế hoạch đã được người khác thay đổi; hãy tải lại trang.")
    plan.refresh_from_db()
    record("plans.set_status", plan, actor=actor, status=status)
    return plan


@transaction.atomic
def do_inherit_obligations(as_of: dt.date, *, actor=None) -> int:
    """After a reorganisation, successors inherit their predecessors' obligations under running plans.

    A merged commune takes over the open tasks of every commune it was formed from; the obligation
    keeps ``inherited_from`` so history shows where it came from. Idempotent.
    """
    links = Succession.objects.filter(effective_on__lte=as_of).select_related("predecessor", "successor")
    by_predecessor: dict[int, list[Succession]] = {}
    for link in links:
        by_predecessor.setdefault(link.predecessor_id, []).append(link)
    if not by_predecessor:
        return 0
    running = Obligation.objects.filter(
        unit_id__in=by_predecessor, activity__plan__status=PlanStatus.ACTIVE,
    ).filter(Q(activity__period_end__isnull=True) | Q(activity__period_end__gte=as_of))
    have = set(Obligation.objects.filter(unit_id__in={link.successor_id for ls in by_predecessor.values()
                                                      for link in ls})
               .values_list("activity_id", "unit_id"))
    new = []
    for obligation in running:
        for link in by_predecessor[obligation.unit_id]:
            key = (obligation.activity_id, link.successor_id)
            if key in have:
                continue
            have.add(key)
            new.append(Obligation(activity_id=obligation.activity_id, unit_id=link.successor_id, role=obligation.role,
                                  via_group_id=obligation.via_group_id, inherited_from_id=obligation.unit_id))
    Obligation.objects.bulk_create(new)
    if new:
        record("plans.inherit_obligations", None, actor=actor, as_of=as_of.isoformat(), created=len(new))
    return len(new)
