"""Number formats of execution pages: Vietnamese grouping (1.500.000) and decimal comma (1,5)."""

from decimal import Decimal

from django import template

register = template.Library()


def group(value, decimals: int = 0) -> str:
    """``1500000`` → ``1.500.000``; ``Decimal("1.50")`` → ``1,5`` (trailing zeros dropped)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    text = f"{number:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def vnd(value) -> str:
    """Whole đồng with dots between thousands."""
    return group(value, 0)


@register.filter
def qty(value) -> str:
    """A quantity: up to two decimals, decimal comma."""
    return group(value, 2)
