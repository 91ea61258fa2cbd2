"""Public pages of the procedure catalogue: search, browse by filter, the procedure page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.lib import search as fts
from cchc.lib.pagecache import public_page_cache
from cchc.lib.paging import paginate
from cchc.procedures import actions, querylog
from cchc.procedures.models import BestBet, FacetKind, Procedure, SearchFacet, SearchSynonym
from cchc.procedures.permissions import can_edit_search_words
from cchc.procedures.records import LEVELS, ONLINE_LEVELS
from cchc.procedures.search import Filters, SearchResults, browse_procedures, search_procedures

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
    context = {"q": q, "filters": filters, "facets": _facets(), "feedback_url": feedback_url("")}
    if q:
        results = search_procedures(q, filters)
        page = paginate(request, results.hits, PAGE_SIZE)
        results.load(page.object_list)
        context.update(page=page, results=results, total=len(results), searched=True)
        context["facets"] = result_facets(results, filters, context["facets"])
        if not request.headers.get("X-Live-Search") and page.number == 1:
            # Counted when asked for (Enter, a filter, a link), not at each letter typed.
            querylog.log_search(q, len(results))
    elif filters:
        procedures = browse_procedures(filters)
        page = paginate(request, procedures, PAGE_SIZE)
        context.update(page=page, browsing=True, total=page.paginator.count, searched=True)
        context["facets"] = _offered(_browse_counts(procedures), filters, context["facets"])
    template = (
        "procedures/_results.html" if request.htmx and request.htmx.target == "results" else ("procedures/search.html")
    )
    return render(request, template, context)


def _facets() -> dict[str, list[SearchFacet]]:
    grouped: dict[str, list[SearchFacet]] = {kind: [] for kind in FacetKind.values}
    for facet in SearchFacet.objects.order_by("kind", "label"):
        grouped[facet.kind].append(facet)
    return grouped


@dataclass
class FacetCount:
    value: str
    label: str
    documents: int


def result_facets(results: SearchResults, filters: Filters, catalogue: dict[str, list[SearchFacet]]):
    """The filter values with how many of the current results (at most ``MAX_RESULTS``) have each: one query,
    grouped by the three values together (a handful of rows), whatever the results."""
    counts: dict[str, Counter] = {kind: Counter() for kind in FacetKind.values}
    rows = (
        Procedure.objects.filter(pk__in=[hit.procedure_id for hit in results.hits])
        .order_by()
        .values_list("field", "levels", "online_level")
        .annotate(n=Count("pk"))
    )
    for field_name, levels, online_level, n in rows:
        if field_name:
            counts[FacetKind.FIELD][field_name] += n
        for level in levels or ():
            counts[FacetKind.LEVEL][level] += n
        if online_level:
            counts[FacetKind.ONLINE][online_level] += n
    return _offered(counts, filters, catalogue)


def _browse_counts(procedures) -> dict[str, Counter]:
    """How many of the procedures browsed have each filter value, counted by the database
    (three queries, whatever their number)."""
    procedures = procedures.order_by()
    counts: dict[str, Counter] = {kind: Counter() for kind in FacetKind.values}
    for row in procedures.values("field").annotate(n=Count("pk")):
        counts[FacetKind.FIELD][row["field"]] = row["n"]
    for row in procedures.exclude(online_level=None).values("online_level").annotate(n=Count("pk")):
        counts[FacetKind.ONLINE][row["online_level"]] = row["n"]
    # Levels are a list per procedure: counted from the index's filter terms ("level_xa").
    levels = procedures.aggregate(
        **{
            level: Count("pk", filter=Q(search_index__facets__contains=fts.facet_token("level", level)))
            for level in LEVELS
        }
    )
    counts[FacetKind.LEVEL].update({level: n for level, n in levels.items() if n})
    return counts


def _offered(counts: dict[str, Counter], filters: Filters, catalogue: dict[str, list[SearchFacet]]):
    """The filter values with their counts among what is shown: a value that would find nothing
    is not offered; the value chosen stays, whatever its count."""
    chosen = {FacetKind.FIELD: filters.field, FacetKind.LEVEL: filters.level, FacetKind.ONLINE: filters.online_level}
    grouped: dict[str, list] = {}
    for kind, facets in catalogue.items():
        if kind == FacetKind.AGENCY:
            grouped[kind] = facets  # typed, not chosen from a list: suggestions only
            continue
        grouped[kind] = [
            FacetCount(facet.value, facet.label, counts[kind][facet.value])
            for facet in facets
            if counts[kind][facet.value] or facet.value == chosen.get(kind)
        ]
    return grouped


def _counting_clicks(view):
    """A procedure opened from search results (``?q=``) counts as a click on that query."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "GET" and request.GET.get("q"):
            querylog.log_click(request.GET["q"])
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@_counting_clicks
@public_page_cache(60)  # the same page for every visitor not signed in
def detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_procedure_for_user(request.user, code)
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": procedure,
            "feedback_url": feedback_url(procedure.code),
        },
    )


def feedback_url(code: str) -> str:
    """The PAKN form, about one procedure when ``code`` is given (the feedback app reads
    ``tthc``, as on its rating page)."""
    try:
        return reverse("feedback:submit") + (f"?tthc={code}" if code else "")
    except NoReverseMatch:  # installations without the feedback app
        return ""


# --- the coordinators' screen: what people searched, the province's words, best bets -------------


def _coordinator(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_edit_search_words(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@_coordinator
def search_words(request: HttpRequest) -> HttpResponse:
    """Most frequent queries, those that found nothing, those after which nobody opened a
    procedure; the province's synonyms and best bets, with the forms to add them."""
    return render(request, "procedures/search_words.html", _search_words_context())


def _search_words_context(**extra) -> dict:
    return {
        "reports": [
            ("frequent", _("Tìm nhiều nhất"), querylog.query_report("frequent")),
            ("empty", _("Không tìm thấy gì"), querylog.query_report("empty")),
            ("no_click", _("Tìm thấy nhưng không ai mở thủ tục nào"), querylog.query_report("no_click")),
        ],
        "days": querylog.REPORT_DAYS,
        "synonyms": SearchSynonym.objects.all(),
        "best_bets": BestBet.objects.select_related("procedure").only(
            "query", "procedure__code", "procedure__name", "created_at"
        ),
        **extra,
    }


def _refused(request: HttpRequest, error: ValidationError, **values) -> HttpResponse:
    """The screen again with the message and what was typed (HTTP 400)."""
    message = " ".join(error.messages)
    return render(request, "procedures/search_words.html", _search_words_context(error=message, **values), status=400)


@require_POST
@_coordinator
def synonym_add(request: HttpRequest) -> HttpResponse:
    phrase, replacement = request.POST.get("phrase", "")[:200], request.POST.get("replacement", "")[:300]
    try:
        actions.do_add_synonym(phrase, replacement, actor=request.user)
    except ValidationError as error:
        return _refused(request, error, phrase=phrase, replacement=replacement)
    messages.success(
        request,
        _("Đã thêm: «%(phrase)s» được tìm như «%(replacement)s».")
        % {"phrase": phrase, "replacement": replacement or "—"},
    )
    return redirect("procedures:search_words")


@require_POST
@_coordinator
def synonym_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove(
        request, actions.do_remove_synonym, get_object_or_404(SearchSynonym, pk=pk), _("Đã xóa từ đồng nghĩa.")
    )


def _remove(request: HttpRequest, action, obj, done: str) -> HttpResponse:
    action(obj, actor=request.user)
    messages.success(request, done)
    return redirect("procedures:search_words")


@require_POST
@_coordinator
def best_bet_add(request: HttpRequest) -> HttpResponse:
    query, code = request.POST.get("query", "")[:200], request.POST.get("code", "")[:64]
    try:
        actions.do_add_best_bet(query, code, actor=request.user)
    except ValidationError as error:
        return _refused(request, error, bet_query=query, bet_code=code)
    messages.success(request, _("Đã đặt thủ tục %(code)s lên đầu cho «%(query)s».") % {"code": code, "query": query})
    return redirect("procedures:search_words")


@require_POST
@_coordinator
def best_bet_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove(request, actions.do_remove_best_bet, get_object_or_404(BestBet, pk=pk), _("Đã bỏ thủ tục ưu tiên."))
