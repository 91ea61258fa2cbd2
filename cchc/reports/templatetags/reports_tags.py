from django import template

from cchc.accounts import authcache
from cchc.lib.vnformat import vn_number, vn_short_date

register = template.Library()

register.filter("vn_number", vn_number)
register.filter("vn_date", vn_short_date)


@register.inclusion_tag("reports/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """The bell in the header: the signed-in user's unread notices, counted once and kept with the user
    (cchc.accounts.authcache) until a notice is sent to them or read."""
    user = context["request"].user
    count = 0
    if user.is_authenticated:
        count = authcache.fact(user, "unread_notices", lambda: user.notifications.unread().count())
    return {"count": count, "user": user}


STATUS_CLASSES = {
    "draft": "",
    "submitted": "warn",
    "returned": "bad",
    "revised": "warn",
    "accepted": "ok",
    "on_time": "ok",
    "late": "warn",
    "missing": "bad",
}


@register.filter
def status_class(value: str) -> str:
    return STATUS_CLASSES.get(value or "", "")
