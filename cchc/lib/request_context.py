"""The request being served, for code far from the view (the audit log wants the address)."""

from __future__ import annotations

from contextvars import ContextVar

_request: ContextVar = ContextVar("cchc_request", default=None)


def current_request():
    return _request.get()


def client_ip(request) -> str | None:
    # REMOTE_ADDR is the proxy's address behind nginx; the deployment sets the real one there.
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
