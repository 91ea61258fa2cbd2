"""Every refused request goes to the audit log.

403 always (a role check, a CSRF failure, an object of another agency refused with 403). 404 when the
address matched a view, i.e. an object that does not exist *or is not visible to this user* — the
scoping helpers answer 404 so as not to reveal that another agency's object exists, and an officer
walking through ids is exactly what the security officer wants to see. 404s for addresses that match
no view at all (scanners asking for /wp-login.php) are left to the web server's access log.
"""

from __future__ import annotations

from cchc.audit.actions import record

REFUSED = {403: "access.refused", 404: "access.not_found"}


class RefusedRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        action = REFUSED.get(response.status_code)
        if action is None:
            return response
        match = getattr(request, "resolver_match", None)
        if response.status_code == 404 and match is None:
            return response
        record(
            action,
            None,
            path=request.path[:500],
            method=request.method,
            status=response.status_code,
            view=match.view_name if match is not None else "",
        )
        return response
