"""Display helpers for procedure pages: fees, dates, quantities the Vietnamese way."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from cchc.procedures.records import TIME_UNITS
from cchc.procedures.tables import format_amount

register = template.Library()


@register.filter
def fee(channel: dict) -> str:
    """ "Miễn phí", "50.000 VND", or "Không có thông tin" when the source does not say."""
    amount = channel.get("fee_amount")
    if amount is None:
        return _("Không có thông tin")
    if amount == 0:
        return _("Miễn phí")
    return f"{format_amount(amount)} {channel.get('fee_currency') or 'VND'}"


@register.filter
def time_limit(channel: dict) -> str:
    if channel.get("time_text"):
        return channel["time_text"]
    value, unit = channel.get("time_value"), channel.get("time_unit")
    if value is None:
        return _("Không có thông tin")
    number = int(value) if float(value).is_integer() else value
    return f"{number} {TIME_UNITS.get(unit or '', '')}".strip()


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
