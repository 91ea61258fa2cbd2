"""The versioned JSON API (``/api/v1/``), its OpenAPI document, and the Open311 GeoReport v2 endpoints.

To add an endpoint: route it here and describe it in ``cchc/api/openapi.py`` (one place for paths and schemas).
"""

from django.urls import path, register_converter

from cchc.api import views
from cchc.feedback import api as feedback_api
from cchc.feedback import open311
from cchc.procedures import api as procedures_api


class AnyText:
    """Any path segment text, newlines and slashes included, so that every malformed code reaches the view and
    gets the documented JSON 404 (Django's own ``path`` converter stops at a newline)."""

    regex = r"[\s\S]+?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnyText, "anytext")

app_name = "api"
urlpatterns = [
    path("api/v1/openapi.json", views.openapi_document, name="openapi"),
    path("api/v1/feedback", feedback_api.feedback_collection, name="feedback"),
    path("api/v1/feedback/<anytext:code>", feedback_api.feedback_item, name="feedback_item"),
    path("api/v1/procedures", procedures_api.procedure_collection, name="procedures"),
    path("api/v1/procedures/<anytext:code>", procedures_api.procedure_item, name="procedure_item"),
    path("open311/v2/services.json", open311.services_list, name="open311_services"),
    path("open311/v2/services/<anytext:code>.json", open311.service_detail, name="open311_service"),
    path("open311/v2/requests.json", open311.requests_list, name="open311_requests"),
    path("open311/v2/requests/<anytext:request_id>.json", open311.request_detail, name="open311_request"),
]
