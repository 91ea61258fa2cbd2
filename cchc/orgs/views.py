from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cchc.lib.paging import paginate
from cchc.lib.text import fold
from cchc.orgs.models import Unit, UnitKind
from cchc.plans.models import Obligation


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    units = Unit.objects.visible_to(request.user).valid_on(day).select_related("parent")
    kind = request.GET.get("kind", "")
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(search_key__contains=fold(q))
    context = {"page": paginate(request, units), "kind": kind, "q": q, "as_of": day, "kinds": UnitKind.choices}
    template = "orgs/_unit_table.html" if request.htmx else "orgs/unit_list.html"
    return render(request, template, context)


def can_see_unit_work(user, unit: Unit) -> bool:
    return user.sees_everything or user.unit_id == unit.pk


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user).select_related("parent"), code=code)
    context = {
        "unit": unit,
        "children": unit.children.annotate(n=Count("id")).order_by("name")[:500],
        "predecessors": unit.predecessors.all(),
        "successors": unit.successors.all(),
        "can_see_work": can_see_unit_work(request.user, unit),
    }
    if context["can_see_work"]:
        context["obligations"] = paginate(
            request, Obligation.objects.visible_to(request.user).for_unit(unit)
            .select_related("activity", "activity__plan").order_by("activity__plan", "activity__order"))
    return render(request, "orgs/unit_detail.html", context)
