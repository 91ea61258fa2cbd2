"""The request being served, for code far from the view (the audit log wants the address)."""

from __future__ import annotations

from contextvars import ContextVar

_request: ContextVar = ContextVar("cchc_request", default=None)


def current_request():
    return _request.get()


def client_ip(request) -> str | None:
    """The client's address for the audit log.

    Behind N reverse proxies (settings.TRUSTED_PROXY_COUNT, 0 by default) REMOTE_ADDR is the nearest
    proxy's; the client is then the N-th address from the right of X-Forwarded-For, the part our own
    proxies appended. Addresses further left were written by the client and cannot be trusted.
    """
    from django.conf import settings

    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
