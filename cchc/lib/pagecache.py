"""Whole-page cache for public pages seen by visitors who are not signed in.

Citizens reach the portal in bursts (a news item, a deadline); the page they see is the same for all
of them. ``@public_page_cache(60)`` keeps the rendered page in the shared cache (Redis in production)
for that many seconds, per host, path, query string and language, and serves it without running the
view. Forms on the page (the language switch, a feedback form) keep working: the CSRF token is cut out
of the cached copy and each visitor gets their own in its place.

It never caches for a signed-in user, for a visitor with a flash message waiting, a response that set
a cookie of its own, or anything but a 200 answer to GET/HEAD.
"""

from __future__ import annotations

import hashlib
import re
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

PREFIX = "cchc:page:"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
_HOLE = b"__cchc_csrf_token__"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Cache-Control")


def _key(request) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{get_language()}"
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _has_messages(request) -> bool:
    """A flash message waiting for this visitor: the page shows it, so it is theirs alone."""
    if request.COOKIES.get("messages"):
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.session_key and "_messages" in session)


def _to_cache(request, response) -> dict | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    content = response.content
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        tokens = {m.group(2) for m in _TOKEN.finditer(content)}
        if len(tokens) > 1:
            return None  # not the one lazy token of the csrf context processor: leave it alone
        content = _TOKEN.sub(rb"\1" + _HOLE + rb"\3", content)
    return {"content": content, "headers": {h: response[h] for h in _KEPT_HEADERS if h in response}}


def _from_cache(request, cached: dict) -> HttpResponse:
    content = cached["content"]
    if _HOLE in content:
        content = content.replace(_HOLE, get_token(request).encode())  # this visitor's own token and cookie
    response = HttpResponse(content)
    for header, value in cached["headers"].items():
        response[header] = value
    return response


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
                return _from_cache(request, cached)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            entry = _to_cache(request, response)
            if entry is not None:
                cache.set(key, entry, timeout)
            return response

        return wrapper

    return decorator
