from django import template
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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


def _kept_block(parser, token, *, csrf_allowed: bool = False) -> tuple:
    """The block of a tag whose rendering is served again to others ({% datacache %}, {% keep %}), and its parts."""
    bits = token.split_contents()
    tag = bits[0]
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{tag} needs a name")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    if not csrf_allowed and nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError(f"{tag} around a form: its CSRF token would be served to others")
    return nodelist, [parser.compile_filter(bit) for bit in bits[1:]]


@register.tag("datacache")
def datacache(parser, token):
    """``{% datacache "name" part… %}…{% enddatacache %}``: the block rendered once until the data changes.

    The rendered HTML is kept like a figure (``cchc.lib.figcache``): under the data generation, the active
    language and the parts given, which must say everything else the block shows (the page's query string, the
    user's permission when it changes a link). Around a form, never one bound to a visitor's input: its fields
    would be served to others (its CSRF token is filled in for each visitor, see ``DataCacheNode``).
    """
    nodelist, parts = _kept_block(parser, token, csrf_allowed=True)
    return DataCacheNode(nodelist, parts)


class DataCacheNode(template.Node):
    """A form's CSRF token in the block is the visitor's own: the block is kept with a hole in its place, filled in
    with this visitor's token each time it is served."""

    HOLE = "__cchc_csrf_token__"

    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context) -> str:
        parts = tuple(part.resolve(context) for part in self.parts)

        def compute() -> str:
            with context.push(csrf_token=self.HOLE):
                return self.nodelist.render(context)

        html = figcache.cached("fragment", parts, compute)
        if self.HOLE in html:
            token = conditional_escape(str(context.get("csrf_token", "")))
            html = mark_safe(html.replace(self.HOLE, token))  # noqa: S308 # nosec B308 B703 - an escaped token
        return html


@register.tag("keep")
def keep(parser, token):
    """``{% keep "name" part… %}…{% endkeep %}``: the block rendered once per process for the same parts and
    language, for a block that shows no data, only links and translated labels: the main menu, whose items
    depend on the user's role alone (pass it as a part). Nothing in it may change at run time: not the data
    (``{% datacache %}`` is for that), not the user's own name, never a form's CSRF token."""
    nodelist, parts = _kept_block(parser, token)
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("keep around a block: each page that fills it would get the first one's")
    return KeepNode(nodelist, parts)


class KeepNode(template.Node):
    """Its renderings live with the compiled template (for ever with the cached template loader; for one request
    where templates are read again on every request, as in development)."""

    MAX = 256  # different parts kept at most; then it starts again

    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts
        self.kept: dict[tuple, str] = {}

    def render(self, context) -> str:
        key = (get_language(), *(part.resolve(context) for part in self.parts))
        found = self.kept.get(key)
        if found is None:
            found = self.nodelist.render(context)
            if len(self.kept) >= self.MAX:
                self.kept.clear()
            self.kept[key] = found
        return found
