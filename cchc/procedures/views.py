"""Public pages of the procedure catalogue: search, browse by filter, the procedure page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from cchc.lib.pagecache import public_page_cache
from cchc.lib.paging import paginate
from cchc.procedures.models import FacetKind, Procedure, SearchFacet
from cchc.procedures.records import LEVELS, ONLINE_LEVELS
from cchc.procedures.search import Filters, browse_procedures, search_procedures

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


def filters_from(params) -> Filters:
    """Filters from a query string; unknown level or online-level codes are ignored."""
    level = params.get("level", "")
    online = params.get("online_level", "")
    return Filters(
        field=params.get("field", "")[:255],
        level=level if level in LEVELS else "",
        agency=params.get("agency", "")[:255],
        online_level=online if online in ONLINE_LEVELS else "",
        include_withdrawn=params.get("withdrawn") in ("1", "on", "true"),
    )


def get_procedure_for_user(user, code: str) -> Procedure:
    return get_object_or_404(Procedure.objects.visible_to(user), code=code)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search (``q``), or browse by filters, or show the fields to start from."""
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    filters = filters_from(request.GET)
    context = {"q": q, "filters": filters, "facets": _facets()}
    if q:
        results = search_procedures(q, filters)
        page = paginate(request, results.hits, PAGE_SIZE)
        results.load(page.object_list)
        context.update(page=page, results=results, total=len(results), searched=True)
    elif filters:
        procedures = browse_procedures(filters)
        page = paginate(request, procedures, PAGE_SIZE)
        context.update(page=page, browsing=True, total=page.paginator.count, searched=True)
    template = "procedures/_results.html" if request.htmx and request.htmx.target == "results" else (
        "procedures/search.html")
    return render(request, template, context)


def _facets() -> dict[str, list[SearchFacet]]:
    grouped: dict[str, list[SearchFacet]] = {kind: [] for kind in FacetKind.values}
    for facet in SearchFacet.objects.order_by("kind", "label"):
        grouped[facet.kind].append(facet)
    return grouped


@require_GET
@public_page_cache(60)  # the same page for every visitor not signed in
def detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_procedure_for_user(request.user, code)
    return render(request, "procedures/detail.html", {
        "procedure": procedure,
        "feedback_url": feedback_url(procedure.code),
    })


def feedback_url(code: str) -> str:
    """The PAKN form about one procedure (the feedback app reads ``tthc``, as on its rating page)."""
    try:
        return reverse("feedback:submit") + f"?tthc={code}"
    except NoReverseMatch:  # installations without the feedback app
        return ""
