from django import template

from cchc.lib.vnformat import vn_number as _vn_number

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """``{{ n|vn_number }}``: 1800 → "1.800", 2.5 → "2,5" (the Vietnamese separators), on every page alike."""
    return _vn_number(value)


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current URL's query string with another page number, keeping every filter."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def lookup(mapping, key):
    """``{{ row.criteria|lookup:code }}``: a dict value by a key held in a variable."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
