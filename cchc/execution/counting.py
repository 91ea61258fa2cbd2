"""Whose results count toward an activity's target (``Activity.counting``), without touching the views.

The rule of the plan document: the lead (chủ trì) owes an activity's recurring deliverables; the agencies that
coordinate with it (phối hợp) owe nothing of their own but help it meet them. So a lead's deliverable is met by
the results of the units the activity's rule names, recorded under their own obligations for the activity and
dated in the deliverable's slot:

- ``lead``: only the lead's own results;
- ``lead_coordinate`` (the default): the lead's and its coordinating agencies' — the broadcaster's monthly
  programme meets activity 5's monthly target that Sở Nội vụ owes;
- ``all``: every unit the activity names, implementing units too.

An activity with no lead has each implementing unit owe its own deliverables, met by its own results only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, QuerySet

from cchc.plans.models import AgencyRole, CountingRule, Obligation

COUNTED_ROLES: dict[str, frozenset[str]] = {
    CountingRule.LEAD: frozenset({AgencyRole.LEAD}),
    CountingRule.LEAD_COORDINATE: frozenset({AgencyRole.LEAD, AgencyRole.COORDINATE}),
    CountingRule.ALL: frozenset({AgencyRole.LEAD, AgencyRole.COORDINATE, AgencyRole.IMPLEMENT}),
}


def counted_roles(counting: str) -> frozenset[str]:
    return COUNTED_ROLES.get(counting, COUNTED_ROLES[CountingRule.LEAD_COORDINATE])


def counts_toward_lead(counting: str, role: str) -> bool:
    """Whether a result recorded under an obligation with ``role`` helps the lead's target (the lead's own
    results are attached to its deliverables directly)."""
    return role != AgencyRole.LEAD and role in counted_roles(counting)


def shared_contributions(deliverables: Iterable) -> list[tuple[int, dt.date, Decimal]]:
    """``(deliverable id, day, quantity)`` for every result another unit recorded that counts toward one of the
    given deliverables of a lead. Two queries whatever the number of deliverables and results."""
    deliverables = list(deliverables)
    leads = {
        pk: (activity_id, counting)
        for pk, activity_id, counting in Obligation.objects.filter(
            pk__in={d.obligation_id for d in deliverables}, role=AgencyRole.LEAD
        ).values_list("pk", "activity_id", "activity__counting")
    }
    helping = {activity_id: counted_roles(counting) - {AgencyRole.LEAD} for activity_id, counting in leads.values()}
    helping = {activity_id: roles for activity_id, roles in helping.items() if roles}
    if not helping:
        return []
    from cchc.execution.models import Result

    by_activity: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for activity_id, role, day, quantity in (
        Result.objects.filter(obligation__activity_id__in=list(helping))
        .exclude(obligation__role=AgencyRole.LEAD)
        .order_by("occurred_on", "pk")
        .values_list("obligation__activity_id", "obligation__role", "occurred_on", "quantity")
    ):
        if role in helping[activity_id]:
            by_activity[activity_id].append((day, quantity))
    out = []
    for deliverable in deliverables:
        lead = leads.get(deliverable.obligation_id)
        if lead is None:
            continue
        for day, quantity in by_activity.get(lead[0], ()):
            if deliverable.period_start <= day <= deliverable.period_end:
                out.append((deliverable.pk, day, quantity))
    return out


def lead_deliverables_helped(obligation: Obligation, days: Iterable[dt.date]) -> QuerySet:
    """The lead's deliverables a result of ``obligation`` dated on one of ``days`` counts toward (none when the
    activity's rule does not count that role)."""
    from cchc.execution.models import Deliverable

    days = [d for d in days if d is not None]
    if not days or not counts_toward_lead(obligation.activity.counting, obligation.role):
        return Deliverable.objects.none()
    when = Q()
    for day in set(days):
        when |= Q(period_start__lte=day, period_end__gte=day)
    lead = Q(obligation__activity_id=obligation.activity_id, obligation__role=AgencyRole.LEAD)
    return Deliverable.objects.filter(when, lead)
