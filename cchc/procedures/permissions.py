"""Who may change what the procedure search does (the province's words, best bets)."""

from __future__ import annotations

from cchc.accounts.models import Role


def can_edit_search_words(user) -> bool:
    """Coordinators (and the administrators) answer what citizens searched for."""
    return bool(user.is_authenticated and (user.is_superuser or user.role in {Role.COORDINATOR, Role.ADMIN}))
