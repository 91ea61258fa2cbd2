"""What other rooms do when a plan is created or its content changes, inside the same transaction.

The reports room keeps each plan's reporting calendar and periods; it sits above plans, so plans cannot
call it. It registers here instead (in its ``AppConfig.ready``), and every plan action that creates a
plan or changes its year calls ``plan_saved()`` — so no page has to create them on a GET.
"""

from __future__ import annotations

from collections.abc import Callable

_HOOKS: dict[str, Callable] = {}


def register_plan_hook(name: str, hook: Callable) -> None:
    """``hook(plan)`` runs after a plan is created or changed; registering a name again replaces it."""
    _HOOKS[name] = hook


def plan_saved(plan) -> None:
    for hook in _HOOKS.values():
        hook(plan)
