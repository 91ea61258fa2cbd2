"""Parts of a unit's page that belong to rooms above orgs (the unit's duties under the plans).

orgs cannot import those rooms, so they register a function here from their ``AppConfig.ready``; the unit
page calls each with the request and the unit (only for a user who may see the unit's work) and adds
what it returns to the template's context.
"""

from __future__ import annotations

from collections.abc import Callable

_SECTIONS: dict[str, Callable] = {}


def register_unit_section(name: str, section: Callable) -> None:
    """``section(request, unit) -> dict`` of template context; registering a name again replaces it."""
    _SECTIONS[name] = section


def unit_sections(request, unit) -> dict:
    context: dict = {}
    for section in _SECTIONS.values():
        context.update(section(request, unit))
    return context
