"""The versioned JSON API, ``/api/v1/``, on django-ninja: each app's router holds its operations and pydantic
schemas, and the OpenAPI 3.1 document is generated from them.

Refusals keep the API's one shape (``cchc.lib.jsonapi``): a schema's refusal is a 400 naming each field in
Vietnamese, not django-ninja's 422. Bodies are JSON only (415 otherwise) and small (413 past
``FEEDBACK_API_MAX_BODY``).
"""

import functools
import json

from django.conf import settings
from django.http import HttpRequest
from django.urls import register_converter
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from cchc.feedback import api as feedback_api
from cchc.lib.jsonapi import ApiError, error_response, validation_errors

VERSION = "1.0.0"


class AnyText:
    """Any path segment text, newlines and slashes included, so that every malformed code reaches the view and
    gets the documented JSON 404 (Django's own ``path`` converter stops at a newline)."""

    regex = r"[\s\S]+?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Before the routers' paths are built: the operations use it ("/feedback/{anytext:code}").
register_converter(AnyText, "anytext")


class StrictJsonParser(Parser):
    """JSON bodies only, within the size limit, and strict JSON (no NaN or Infinity)."""

    def parse_body(self, request: HttpRequest):
        if request.content_type != "application/json":
            raise ApiError(415, _("Nội dung gửi lên phải là JSON (Content-Type: application/json)."))
        limit = settings.FEEDBACK_API_MAX_BODY
        if len(request.body) > limit:
            raise _too_large(limit)
        try:
            return json.loads(request.body.decode("utf-8"), parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, _("Nội dung gửi lên không phải JSON hợp lệ (UTF-8).")) from None


def _reject_constant(name: str):
    raise ValueError(name)  # NaN, Infinity: not JSON


def _too_large(limit: int) -> ApiError:
    return ApiError(413, _("Nội dung gửi lên quá lớn (tối đa %(n)d KB).") % {"n": limit // 1024})


def refuse_large_bodies(run):
    """Refuse a body declared larger than the limit before anything reads it (django-ninja reads the whole
    body before its parser sees it)."""

    @functools.wraps(run)
    def checked(request: HttpRequest, *args, **kwargs):
        limit = settings.FEEDBACK_API_MAX_BODY
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return error_response(_too_large(limit))
        return run(request, *args, **kwargs)

    return checked


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="cchc API",
    version=VERSION,
    description="API công khai của hệ thống cải cách hành chính tỉnh: phản ánh, kiến nghị (PAKN), "
    "danh mục thủ tục hành chính. Không trả về thông tin cá nhân của người gửi.",
    urls_namespace="api",
    parser=StrictJsonParser(),
    renderer=Renderer(),
    openapi_url=None,  # served by cchc.api.views.openapi_document (GET only, with Open311 and the procedures)
    docs_url=None,
    openapi_extra={
        "info": {"license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}},
        "tags": [{"name": "feedback", "description": "Phản ánh, kiến nghị về quy định hành chính (PAKN)."}],
    },
)
feedback_api.router.add_decorator(refuse_large_bodies, mode="view")
api.add_router("", feedback_api.router)


@api.exception_handler(ApiError)
def _refused(request: HttpRequest, exc: ApiError):
    return error_response(exc)


@api.exception_handler(SchemaError)
def _invalid(request: HttpRequest, exc: SchemaError):
    return error_response(validation_errors(exc.errors))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    # The body parser's own refusals (415, 413, 400) arrive wrapped by django-ninja.
    if isinstance(exc.__cause__, ApiError):
        return error_response(exc.__cause__)
    return error_response(ApiError(exc.status_code, str(exc)))
