from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cchc.lib.paging import paginate_rows, when_shown
from cchc.lib.text import fold
from cchc.orgs.models import Unit, UnitKind, with_unit_labels
from cchc.orgs.sections import unit_sections


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()

    def rows():
        units = Unit.objects.visible_to(request.user).valid_on(day)
        if kind in UnitKind.values:
            units = units.filter(kind=kind)
        if q:
            units = units.filter(search_key__contains=fold(q))
        return units.values("code", "name", "context", "kind", "valid_from", "valid_to", parent_name=F("parent__name"))

    context = {
        # The table is kept until the registry changes ({% datacache %} in orgs/_unit_table.html): its query is
        # built and its two queries run only when it is rendered.
        "page": when_shown(lambda: paginate_rows(request, rows(), with_unit_labels)),
        "kind": kind,
        "q": q,
        "as_of": day,
        "kinds": UnitKind.choices,
    }
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
        context.update(unit_sections(request, unit))
    return render(request, "orgs/unit_detail.html", context)


# How many units one search answers with: enough to find one by a word or two of its name.
SEARCH_LIMIT = 20


@login_required
def unit_search(request: HttpRequest) -> JsonResponse:
    """The unit picker's search (cchc.orgs.forms.UnitPicker): every word of ``q``, without accents, in the unit's
    name or place; units valid today unless ``all=1``. Answers ``{"results": [{"id", "code", "label"}], "more"}``."""
    units = Unit.objects.visible_to(request.user)
    if request.GET.get("all") != "1":
        units = units.valid_on(timezone.localdate())
    words = fold(request.GET.get("q", "")[:100]).split()[:6]
    for word in words:
        units = units.filter(search_key__contains=word)
    found = list(units.order_by("kind", "name", "pk").only("id", "code", "name", "context")[: SEARCH_LIMIT + 1])
    return JsonResponse(
        {
            "results": [{"id": u.pk, "code": u.code, "label": u.label} for u in found[:SEARCH_LIMIT]],
            "more": len(found) > SEARCH_LIMIT,
        }
    )
