"""The activation check: what is still wrong with a draft plan before the agencies are told of it.

Each problem has a stable ``code`` (what and where: ``unmatched:3:1`` is the second agency of activity 3)
so the coordinator can accept a warning once and the check does not ask again (``Plan.accepted_warnings``).
An *error* must be fixed; a *warning* stops activation too until it is fixed or accepted on purpose
(the seed's own phrases name bodies outside the registry or a group with no unit in its year, "các cơ
sở đào tạo", and many of its activities list implementing agencies without a lead).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from cchc.orgs.models import Unit
from cchc.plans.models import ActivityAgency, AgencyRole, Plan

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    code: str
    level: str
    message: str
    activity: str | None = None  # number of the activity it is about

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def as_dict(self) -> dict:
        return {"code": self.code, "level": self.level, "message": self.message, "activity": self.activity}


def group_sizes(plan: Plan, group_ids) -> dict[int, int]:
    """How many units each group expands to in the plan's province on 1 January of its year. One query."""
    from cchc.orgs.models import UnitGroup

    groups = list(UnitGroup.objects.filter(pk__in=set(group_ids)))
    if not groups:
        return {}
    kinds = {k for g in groups for k in g.kinds}
    counts: dict[str, int] = {}
    for kind in (
        Unit.objects.valid_on(plan.start).filter(province=plan.province, kind__in=kinds).values_list("kind", flat=True)
    ):
        counts[kind] = counts.get(kind, 0) + 1
    return {g.pk: sum(counts.get(k, 0) for k in g.kinds) for g in groups}


def check_plan(plan: Plan) -> list[Problem]:
    """Every problem of the plan, errors first. A fixed number of queries whatever the plan's size."""
    activities = list(
        plan.activities.current()
        .order_by("order", "pk")
        .prefetch_related(Prefetch("agencies", queryset=ActivityAgency.objects.select_related("group")))
    )
    problems: list[Problem] = []
    if not activities:
        problems.append(Problem("no_activities", ERROR, _("Kế hoạch chưa có hoạt động nào.")))
    sizes = group_sizes(plan, [ag.group_id for a in activities for ag in a.agencies.all() if ag.group_id])
    for activity in activities:
        n = activity.number
        where = _("Hoạt động %(n)s") % {"n": n}
        agencies = list(activity.agencies.all())
        for i, agency in enumerate(agencies):
            if not agency.resolved:
                problems.append(
                    Problem(
                        f"unmatched:{n}:{i}",
                        WARNING,
                        _(
                            "%(where)s: “%(name)s” chưa khớp đơn vị nào trong danh mục năm %(year)s; không đơn vị "
                            "nào được giao."
                        )
                        % {"where": where, "name": agency.name, "year": plan.year},
                        n,
                    )
                )
            elif agency.group_id and not sizes.get(agency.group_id):
                problems.append(
                    Problem(
                        f"empty_group:{n}:{i}",
                        WARNING,
                        _(
                            "%(where)s: nhóm “%(group)s” không có đơn vị nào trong danh mục năm %(year)s; hãy chọn "
                            "đơn vị hoặc nhóm khác."
                        )
                        % {"where": where, "group": agency.group.name, "year": plan.year},
                        n,
                    )
                )
            elif agency.needs_review:  # one warning an agency: the flag repeats what the above say
                problems.append(
                    Problem(
                        f"needs_review:{n}:{i}",
                        WARNING,
                        _("%(where)s: cần rà soát “%(name)s”%(note)s.")
                        % {"where": where, "name": agency.name, "note": f" ({agency.note})" if agency.note else ""},
                        n,
                    )
                )
        if not any(a.resolved for a in agencies):
            problems.append(
                Problem(f"no_agency:{n}", WARNING, _("%(where)s: chưa giao cho đơn vị nào.") % {"where": where}, n)
            )
        elif not any(a.role == AgencyRole.LEAD and a.resolved for a in agencies):
            problems.append(
                Problem(f"no_lead:{n}", WARNING, _("%(where)s: chưa có đơn vị chủ trì.") % {"where": where}, n)
            )
        if activity.period_start is None:
            problems.append(
                Problem(
                    f"no_period:{n}",
                    WARNING,
                    _("%(where)s: chưa có thời gian thực hiện (sẽ hiểu là cả năm, theo yêu cầu).") % {"where": where},
                    n,
                )
            )
        if activity.recurrence_every and not (activity.recurrence_count and activity.recurrence_unit):
            problems.append(
                Problem(
                    f"no_target:{n}",
                    WARNING,
                    _("%(where)s: lặp lại mỗi %(every)s nhưng chưa ghi rõ chỉ tiêu (số lượng và đơn vị tính).")
                    % {"where": where, "every": activity.get_recurrence_every_display()},
                    n,
                )
            )
    return sorted(problems, key=lambda p: p.level != ERROR)


def blocking(problems: list[Problem], accepted) -> list[Problem]:
    """The problems that still stop activation: errors, and warnings not accepted."""
    accepted = set(accepted or ())
    return [p for p in problems if p.is_error or p.code not in accepted]
