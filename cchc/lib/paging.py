"""One way to paginate list pages, so every list costs the same number of queries."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None):
    """The page the request asks for. ``count``: the number of rows when the view already knows it (from an
    aggregate it shows anyway), which spares the paginator its own COUNT query."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    return paginator.get_page(request.GET.get("page"))
