"""The versioned JSON API (``/api/v1/``), its OpenAPI document, and the Open311 GeoReport v2 endpoints.

To add an endpoint to ``/api/v1/``: an operation on the app's django-ninja router, with pydantic schemas for what
it reads and answers; the document follows from them (``cchc.api.v1``).
"""

from django.urls import include, path

from cchc.api import views
from cchc.api.v1 import api
from cchc.feedback import open311
from cchc.procedures import api as procedures_api

app_name = "api"
urlpatterns = [
    path("api/v1/openapi.json", views.openapi_document, name="openapi"),
    # The operations only: django-ninja's home page at the root (a pointer to docs cchc does not serve) is left out.
    path("api/v1/", include([pattern for pattern in api.urls[0] if pattern.name != "api-root"])),
    path("api/v1/procedures", procedures_api.procedure_collection, name="procedures"),
    path("api/v1/procedures/<anytext:code>", procedures_api.procedure_item, name="procedure_item"),
    path("open311/v2/services.json", open311.services_list, name="open311_services"),
    path("open311/v2/services/<anytext:code>.json", open311.service_detail, name="open311_service"),
    path("open311/v2/requests.json", open311.requests_list, name="open311_requests"),
    path("open311/v2/requests/<anytext:request_id>.json", open311.request_detail, name="open311_request"),
]
