from django import template

from cchc.lib.vnformat import vn_number, vn_short_date

register = template.Library()

register.filter("vn_number", vn_number)
register.filter("vn_date", vn_short_date)


@register.inclusion_tag("reports/_bell.html", takes_context=True)
def notification_bell(context) -> dict:
    """The bell in the header: one COUNT query for the signed-in user's unread notices."""
    user = context["request"].user
    count = user.notifications.unread().count() if user.is_authenticated else 0
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
