from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property

from cchc.lib import figcache
from cchc.lib.paging import paginate, paginate_rows, when_shown
from cchc.orgs.models import UnitKind, with_unit_labels
from cchc.plans.groups import plan_groups
from cchc.plans.models import Activity, ActivityAgency, AgencyRole, Obligation, Plan, PlanStatus


def get_plan_for_user(user, pk: int, *, to_show: bool = False) -> Plan:
    """The plan if the user may see it, else 404.

    ``to_show``: for a page that only shows it. The plan comes from the figure cache until the data changes (no
    query), without the document it was imported from and the warnings accepted at activation (the largest fields:
    read if ever asked for)."""
    if not to_show:
        return get_object_or_404(Plan.objects.visible_to(user), pk=pk)
    plan = figcache.cached(
        "plan-row", (pk,), lambda: Plan.objects.defer("source", "accepted_warnings").filter(pk=pk).first()
    )
    if plan is None or not plan.is_visible_to(user):
        raise Http404
    return plan


def copy_url(plan: Plan) -> str | None:
    """The "start next year's plan" page, where that feature is installed."""
    try:
        return reverse("plans:copy", args=[plan.pk])
    except NoReverseMatch:
        return None


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.visible_to(request.user)
        .annotate(activity_count=Count("activities", distinct=True))
        .order_by("-year", "title", "pk")
    )
    return render(request, "plans/plan_list.html", {"page": paginate(request, plans)})


class PlanBody:
    """The plan's activities, with their agencies and counts, and its groups' sizes: queried when the template
    first asks (the page's body is kept in the cache until the data changes, ``{% datacache %}``)."""

    def __init__(self, plan: Plan):
        self.plan = plan

    @cached_property
    def activities(self) -> list[Activity]:
        return list(
            self.plan.activities.annotate(
                obligation_count=Count("obligations", filter=Q(obligations__required=True)),
                dropped_count=Count("obligations", filter=Q(obligations__required=False)),
            )
            .order_by("order", "pk")
            .prefetch_related(Prefetch("agencies", queryset=ActivityAgency.objects.select_related("unit", "group")))
        )

    @property
    def current(self) -> list[Activity]:
        return [a for a in self.activities if a.removed_in is None]

    @property
    def withdrawn(self) -> list[Activity]:
        return [a for a in self.activities if a.removed_in is not None]

    @cached_property
    def group_sizes(self) -> dict[str, int]:
        """The count beside a group's name."""
        return {use.group.code: use.size for use in plan_groups(self.plan)}


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the plan document says, where the plan stands, and the next step for whoever may take it."""
    plan = get_plan_for_user(request.user, pk, to_show=True)
    editor = request.user.can_edit_plans
    context = {
        "plan": plan,
        "topics": plan.topics.all(),
        "body": PlanBody(plan),  # read only when the page's body is not in the cache
        "version_count": when_shown(plan.versions.count),
        "can_edit": editor and plan.status != PlanStatus.CLOSED,
        "can_activate": editor and plan.status == PlanStatus.DRAFT,
        "can_close": editor and plan.status == PlanStatus.ACTIVE,
        "copy_url": copy_url(plan) if editor else None,
    }
    return render(request, "plans/plan_detail.html", context)


# What the activity page shows of the activity and its plan (the plan's document is not read).
ACTIVITY_PAGE_FIELDS = (
    *("id", "plan_id", "number", "title", "content", "agencies_text", "schedule_text", "funding"),
    *(
        "period_start",
        "period_end",
        "recurrence_every",
        "recurrence_count",
        "recurrence_unit",
        "plan__id",
        "plan__title",
    ),
)


@login_required
def activity_detail(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    # The activity with its plan, from the figure cache until the data changes, if the user may see the plan (404
    # otherwise, as for the plan).
    activity = figcache.cached(
        "activity-row",
        (pk, number),
        lambda: (
            Activity.objects.select_related("plan")
            .only(*ACTIVITY_PAGE_FIELDS)
            .filter(plan_id=pk, number=number)
            .first()
        ),
    )
    if activity is None or not activity.plan.is_visible_to(request.user):
        raise Http404
    kind = request.GET.get("kind", "")
    # Below the title, the page is kept until the data changes ({% datacache %} in plans/activity_detail.html and
    # plans/_obligation_table.html): its queries are built and run only when it is rendered.
    counts = when_shown(
        lambda: {
            row["unit__kind"]: row["n"]
            for row in activity.obligations.values("unit__kind").annotate(n=Count("id")).order_by()
        }
    )
    context = {
        "plan": activity.plan,
        "activity": activity,
        "page": when_shown(lambda: paginate_rows(request, _obligation_rows(activity, kind), _obligation_row)),
        "kind": kind,
        "agencies": when_shown(lambda: activity.agencies.select_related("unit", "group")),
        "kind_counts": when_shown(lambda: [(k, UnitKind(k).label, counts[k]) for k in UnitKind.values if k in counts]),
        "total": when_shown(lambda: sum(counts.values())),
    }
    template = "plans/_obligation_table.html" if request.htmx else "plans/activity_detail.html"
    return render(request, template, context)


def _obligation_rows(activity: Activity, kind: str):
    """The activity's units, of one kind or all, as the table shows them."""
    obligations = activity.obligations.order_by("unit__kind", "unit__name")
    if kind:
        obligations = obligations.filter(unit__kind=kind)
    return obligations.values(
        *("role", "required", "dropped_in"),
        code=F("unit__code"),
        name=F("unit__name"),
        context=F("unit__context"),
        kind=F("unit__kind"),
        parent_name=F("unit__parent__name"),
        group_name=F("via_group__name"),
    )


def _obligation_row(row: dict) -> dict:
    """A row of the activity's table of units (plans/_obligation_table.html)."""
    row = with_unit_labels(row)
    row["role_label"] = AgencyRole(row["role"]).label
    return row


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    user = request.user
    unit = user.unit
    if unit is None:
        obligations = Obligation.objects.none()
    else:
        obligations = (
            Obligation.objects.visible_to(user)
            .for_unit(unit)
            .filter(activity__plan__status=PlanStatus.ACTIVE)
            .select_related("activity", "activity__plan", "via_group")
            # What the table shows: neither the plan's document nor the activity's content (large JSON, parsed
            # for every row otherwise; 14 -> 9 ms a page).
            .only(
                "id",
                "role",
                "activity__id",
                "activity__plan_id",
                "activity__number",
                "activity__title",
                "activity__order",
                "activity__period_start",
                "activity__period_end",
                "activity__recurrence_every",
                "activity__recurrence_count",
                "activity__recurrence_unit",
                "activity__plan__id",
                "activity__plan__year",
                "activity__plan__number",
                "activity__plan__symbol",
                "via_group__id",
                "via_group__name",
            )
            .order_by("activity__plan", "activity__order")
        )
    # The table is kept until the data changes ({% datacache %} in plans/my_work.html): its queries run only when it
    # is rendered.
    page = when_shown(lambda: paginate(request, obligations))
    return render(request, "plans/my_work.html", {"unit": unit, "page": page})
