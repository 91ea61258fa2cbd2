from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from cchc.api.v1 import api
from cchc.feedback import open311
from cchc.procedures import api as procedures_api


def document() -> dict:
    """The OpenAPI 3.1 document: what django-ninja generates from the schemas of ``/api/v1/``, with the paths of
    Open311 and of the procedure catalogue, plain Django views described beside their code."""
    doc = dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    doc["paths"] = {**doc["paths"], **open311.OPENAPI_PATHS, **procedures_api.OPENAPI_PATHS}
    schemas = doc["components"]["schemas"]
    doc["components"]["schemas"] = {**schemas, **open311.OPENAPI_SCHEMAS, **procedures_api.OPENAPI_SCHEMAS}
    doc["tags"] = [*doc.get("tags", []), open311.OPENAPI_TAG, procedures_api.OPENAPI_TAG]
    return doc


@csrf_exempt  # GET only; exempt so other methods get a plain 405, not a CSRF page
@require_GET
def openapi_document(request: HttpRequest) -> JsonResponse:
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})
