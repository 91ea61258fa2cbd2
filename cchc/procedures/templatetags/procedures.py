"""Display helpers for procedure pages: fees, dates, quantities the Vietnamese way."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from cchc.procedures.permissions import can_edit_search_words as _can_edit_search_words
from cchc.procedures.records import TIME_UNITS
from cchc.procedures.tables import format_amount

register = template.Library()


@register.filter
def can_edit_search_words(user) -> bool:
    """For the menu: ``procedures.permissions.can_edit_search_words``, the rule the views check."""
    return _can_edit_search_words(user)


@register.filter
def fee(channel: dict) -> str:
    """ "Miễn phí", "50.000 đồng", or "Không có thông tin" when the source does not say. Vietnamese money is
    written "đồng", as the fee notes beside it write it ("2.000 đồng/trang"); other currencies by their code."""
    amount = channel.get("fee_amount")
    if amount is None:
        return _("Không có thông tin")
    if amount == 0:
        return _("Miễn phí")
    currency = channel.get("fee_currency") or "VND"
    return f"{format_amount(amount)} {_('đồng') if currency == 'VND' else currency}"


@register.filter
def time_limit(channel: dict) -> str:
    if channel.get("time_text"):
        return channel["time_text"]
    value, unit = channel.get("time_value"), channel.get("time_unit")
    if value is None:
        return _("Không có thông tin")
    number = int(value) if float(value).is_integer() else value
    return f"{number} {_(TIME_UNITS.get(unit or '', '')) if unit in TIME_UNITS else ''}".strip()


@register.filter
def translated(label: str) -> str:
    """A label marked with ``N_`` in the active language."""
    return _(label) if label else label


@register.filter
def iso_date(value: str | None) -> str:
    """An ISO date of the record as dd/mm/yyyy."""
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return value


@register.filter
def copies(document: dict) -> str:
    parts = []
    if document.get("originals"):
        parts.append(_("%(n)s bản chính") % {"n": document["originals"]})
    if document.get("copies"):
        parts.append(_("%(n)s bản sao") % {"n": document["copies"]})
    return ", ".join(parts) or "—"
