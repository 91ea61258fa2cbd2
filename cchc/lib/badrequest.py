"""Refuse query strings carrying NUL characters before any view reads them.

PostgreSQL text cannot hold NUL (0x00): a view filtering on such a parameter would fail with a server error
instead of a clear answer. Forms already refuse NUL (Django's ProhibitNullCharactersValidator); this covers
views that read ``request.GET`` directly (APIs, filters).
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            message = _("Yêu cầu có ký tự không hợp lệ (NUL).")
            # The APIs answer in their documented error shapes (cchc.lib.jsonapi; Open311 its own).
            if request.path.startswith("/open311/"):
                return JsonResponse([{"code": 400, "description": message}], status=400, safe=False)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
