"""Whole-page cache for public pages seen by visitors who are not signed in.

Citizens reach the portal in bursts (a news item, a deadline); the page they see is the same for all
of them. ``@public_page_cache(60)`` keeps the rendered page in the shared cache (Redis in production)
for that many seconds, per path, query string and language, and serves it without running the view.
It never caches for a signed-in user, a visitor with a flash message waiting, a response that set a
cookie, a page that used the CSRF token (a form: every visitor needs their own token) or anything but
a 200 answer to GET/HEAD.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.core.cache import cache
from django.utils.translation import get_language

PREFIX = "cchc:page:"


def _key(request) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{get_language()}"
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _has_messages(request) -> bool:
    """A flash message waiting for this visitor: the page shows it, so it is theirs alone."""
    if request.COOKIES.get("messages"):
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.session_key and "_messages" in session)


def public_page_cache(timeout: int = 60):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = getattr(request, "user", None)
            anonymous = request.method in ("GET", "HEAD") and not (user is not None and user.is_authenticated)
            if not anonymous or _has_messages(request):
                return view(request, *args, **kwargs)
            key = _key(request)
            cached = cache.get(key)
            if cached is not None:
                return cached
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cacheable = (response.status_code == 200 and not response.cookies and not response.streaming
                         and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
            if cacheable:
                cache.set(key, response, timeout)
            return response

        return wrapper

    return decorator
