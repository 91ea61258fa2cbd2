"""Template helpers of the dashboards: links that keep the page's filters, numbers, state badges."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from cchc.dashboards import charts
from cchc.dashboards.figures import DeliverableState, State
from cchc.lib.vnformat import vn_number, vn_short_date

register = template.Library()

register.filter("vn_number", vn_number)
register.filter("vn_date", vn_short_date)


@register.simple_tag(takes_context=True)
def dash_url(context, name: str, *args, keep_filters: bool = True, at=None, **params) -> str:
    """The address of dashboard page ``name`` for the page's plan and period (``at``: another period) and
    ``args``, keeping the page's filters (kind of agency, area) unless ``keep_filters`` is false, with
    ``params`` added. Parameters given as None or "" are left out."""
    plan, period = context["plan"], at or context["period"]
    url = reverse(f"dashboards:{name}", args=[plan.pk, period.code, *args])
    query = dict(context["filters"].params()) if keep_filters and "filters" in context else {}
    for key, value in params.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return f"{url}?{urlencode(query)}" if query else url


@register.simple_tag
def state_badge(state: str, label: str | None = None):
    """A report state as colour, pattern, icon and words — never colour alone."""
    return format_html(
        '<span class="state state-{}">{}<span aria-hidden="true" class="icon">{}</span> {}</span>',
        state,
        charts.swatch(state),
        State.ICONS.get(state, ""),
        label or State.LABELS[state],
    )


@register.simple_tag
def deliverable_badge(state: str):
    return format_html(
        '<span class="state state-{}">{}<span aria-hidden="true" class="icon">{}</span> {}</span>',
        state,
        charts.swatch(state),
        DeliverableState.ICONS.get(state, ""),
        DeliverableState.LABELS[state],
    )


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value}%"


@register.filter
def money(value) -> str:
    return f"{vn_number(value or 0)} đ"


@register.simple_tag(takes_context=True)
def switch_period(context, period) -> str:
    """The same page for another period, with the same filters (the page number dropped)."""
    request = context["request"]
    match = request.resolver_match
    url = reverse(f"{match.namespace}:{match.url_name}", kwargs={**match.kwargs, "code": period.code})
    query = request.GET.copy()
    query.pop("page", None)
    return f"{url}?{query.urlencode()}" if query else url


@register.simple_tag
def meter(percent):
    """A small bar of a share, with the share in words for screen readers (the number is written beside it)."""
    if percent is None:
        return ""
    width = max(0, min(100, int(percent)))
    return format_html(
        '<svg class="meter" viewBox="0 0 100 10" width="64" height="9" role="img" aria-label="{}%">'
        '<rect x="0.5" y="0.5" width="99" height="9" fill="#ffffff" stroke="#5a6470"/>'
        '<rect x="0.5" y="0.5" width="{}" height="9" fill="#1e7b34"/></svg>',
        width,
        width * 99 / 100,
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.simple_tag
def public_progress_url(plan) -> str:
    """The public progress page of ``plan`` (for the portal: ``{% load dashboards_tags %}``)."""
    from cchc.dashboards.scope import public_code

    return reverse("dashboards:public_plan", args=[plan.year, public_code(plan)])


@register.filter
def public_name(plan) -> str:
    """ "Kế hoạch số 94/KH-UBND", or the title and year of a plan without a number (``scope.public_name``)."""
    from cchc.dashboards.scope import public_name as name

    return name(plan)
