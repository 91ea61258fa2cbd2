"""Role checks for views, in one place."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(*roles: str):
    """Allow only signed-in users with one of ``roles`` (superusers always pass)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_superuser or user.role in roles):
                # The refusal is written to the audit log by cchc.audit.middleware.RefusedRequestMiddleware.
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can_manage_account(actor, account) -> bool:
    """The province's administrator manages staff accounts; IT's superuser accounts only an IT superuser does
    (in the Django admin)."""
    if not getattr(actor, "can_manage_users", False):
        return False
    return actor.is_superuser or not account.is_superuser


def get_user_for_admin(actor, pk: int):
    """The account ``pk`` for the user-management screens: 404 if there is none; 403 for an IT superuser's
    account when ``actor`` is not one (those are managed in the Django admin)."""
    from django.shortcuts import get_object_or_404

    from cchc.accounts.models import User

    if not getattr(actor, "can_manage_users", False):
        raise PermissionDenied
    user = get_object_or_404(User.objects.select_related("unit", "unit__parent", "updated_by"), pk=pk)
    if not can_manage_account(actor, user):
        raise PermissionDenied
    return user
