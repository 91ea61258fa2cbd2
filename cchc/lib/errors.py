"""Error pages: the CSRF failure page in Vietnamese (403, 404 and 500 are templates in cchc/templates)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseForbidden
from django.template import loader


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """Shown when a form comes back without a valid CSRF token (expired page, forged request)."""
    # The reason is for the logs (the refusal middleware writes the audit row); the person gets advice.
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render({"reason": reason}, request))
