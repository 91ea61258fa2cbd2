"""Response headers that Django's SecurityMiddleware does not set.

- ``Permissions-Policy``: no camera, microphone, location or payment APIs for any page.
- ``Cross-Origin-Resource-Policy: same-origin``: other sites cannot embed our responses.
- ``Cache-Control: private, no-store`` on pages served to a signed-in user (unless the view chose its
  own caching): a shared office computer's back button or a proxy must not keep an agency's data.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            patch_cache_control(response, private=True, no_store=True)
        return response
