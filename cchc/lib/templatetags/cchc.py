from django import template
from django.template.defaulttags import CsrfTokenNode

from cchc.lib import figcache
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


@register.tag("datacache")
def datacache(parser, token):
    """``{% datacache "name" part… %}…{% enddatacache %}``: the block rendered once until the data changes.

    The rendered HTML is kept like a figure (``cchc.lib.figcache``): under the data generation, the active
    language and the parts given, which must say everything else the block shows (the page's query string, the
    user's permission when it changes a link). Never around a form: its CSRF token is the visitor's own.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("datacache needs a name")
    nodelist = parser.parse(("enddatacache",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError("datacache around a form: its CSRF token would be served to others")
    return DataCacheNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class DataCacheNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context) -> str:
        parts = tuple(part.resolve(context) for part in self.parts)
        return figcache.cached("fragment", parts, lambda: self.nodelist.render(context))
