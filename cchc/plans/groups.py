"""Which units a group phrase ("các sở, ban, ngành tỉnh", "UBND cấp xã") stands for under one plan.

By default a group takes the registry's units of its kinds valid on the plan's first day, in the plan's province
(``UnitGroup.units_on``). The coordinator may decide otherwise for a plan (``PlanGroup``): other kinds — for
example whether "các sở, ban, ngành tỉnh" includes the central agencies based in the province (Công an, Thuế,
Kho bạc, BHXH: kind ``sector_agency``) — and units added or left out by name. ``do_expand_obligations`` expands
groups through ``units_for``; the plan's page shows each group's count (``group_sizes``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from cchc.orgs.models import Unit, UnitGroup
from cchc.plans.models import ActivityAgency, Plan, PlanGroup


def units_for(plan: Plan, group: UnitGroup, on: dt.date | None = None, setting: PlanGroup | None = None) -> QuerySet:
    """The units ``group`` stands for under ``plan`` (as of ``on``, default the plan's first day)."""
    on = on or plan.start
    if setting is None:
        setting = PlanGroup.objects.filter(plan=plan, group=group).first()
    if setting is None:
        return group.units_on(on, plan.province)
    units = Unit.objects.valid_on(on).filter(kind__in=setting.kinds or group.kinds)
    if plan.province:
        units = units.filter(province=plan.province)
    units = units.exclude(pk__in=setting.excluded.values("pk"))
    added = Unit.objects.valid_on(on).filter(pk__in=setting.included.values("pk"))
    return Unit.objects.filter(pk__in=units.values("pk")) | Unit.objects.filter(pk__in=added.values("pk"))


@dataclass
class GroupUse:
    group: UnitGroup
    setting: PlanGroup | None
    size: int
    activities: list[str]

    @property
    def kinds(self) -> list[str]:
        return (self.setting.kinds if self.setting and self.setting.kinds else None) or self.group.kinds


def plan_groups(plan: Plan) -> list[GroupUse]:
    """Every group the plan's activities name, with its count under the plan and where it is used."""
    used: dict[int, list[str]] = {}
    groups: dict[int, UnitGroup] = {}
    for agency in ActivityAgency.objects.filter(activity__plan=plan, group__isnull=False).select_related(
        "group", "activity"
    ):
        used.setdefault(agency.group_id, [])
        if agency.activity.number not in used[agency.group_id]:
            used[agency.group_id].append(agency.activity.number)
        groups[agency.group_id] = agency.group
    settings = {s.group_id: s for s in PlanGroup.objects.filter(plan=plan, group_id__in=list(groups))}
    return [
        GroupUse(group, settings.get(pk), units_for(plan, group, setting=settings.get(pk)).count(), used[pk])
        for pk, group in sorted(groups.items(), key=lambda item: item[1].name)
    ]


def group_sizes(plan: Plan) -> dict[int, int]:
    """Group id → how many units it stands for under the plan (for showing beside the group's name)."""
    return {use.group.pk: use.size for use in plan_groups(plan)}
