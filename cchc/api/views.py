from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from cchc.api.openapi import document


@csrf_exempt  # GET only; exempt so other methods get a plain 405, not a CSRF page
@require_GET
def openapi_document(request: HttpRequest) -> JsonResponse:
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})
