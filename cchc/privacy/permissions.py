"""Who works the personal-data registers."""

from __future__ import annotations

from cchc.accounts.models import Role

# The data-subject register: the feedback desk (it holds citizens' data), Sở Nội vụ, the administrators.
REQUEST_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.DESK)
# The incident register: read by the province-wide roles, kept by the administrators (security officer).
INCIDENT_READ_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OBSERVER)
INCIDENT_WRITE_ROLES = (Role.ADMIN,)


def can_handle_requests(user) -> bool:
    return user.is_superuser or user.role in REQUEST_ROLES


def can_read_incidents(user) -> bool:
    return user.is_superuser or user.role in INCIDENT_READ_ROLES


def can_edit_incidents(user) -> bool:
    return user.is_superuser or user.role in INCIDENT_WRITE_ROLES
