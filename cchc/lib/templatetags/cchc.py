from django import template

register = template.Library()


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
