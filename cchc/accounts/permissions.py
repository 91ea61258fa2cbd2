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
