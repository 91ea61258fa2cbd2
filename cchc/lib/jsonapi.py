"""The shape of the JSON API's refusals, shared by every app that serves ``/api/v1/`` through django-ninja.

A refusal is ``{"detail": "<Vietnamese sentence>", "errors": {"<field path>": ["<message>", ...]}}`` (``errors``
only when a field is at fault). ``ApiError`` carries one from anywhere in an operation; ``validation_errors``
turns pydantic's errors into that shape, with Vietnamese messages and the JSON path of each field
(``sender.phone``), so a schema's refusal reads like the form's.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field

# Text with at least one visible character and no NUL (which no database stores).
TEXT_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"
OPTIONAL_TEXT_PATTERN = r"^[^\x00]*$"


class Error(Schema):
    """A refused request."""

    model_config = ConfigDict(extra="forbid")

    detail: str = Field(description="Lý do từ chối, bằng tiếng Việt.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Lỗi theo từng trường (tên trường → các thông báo)."
    )


class ApiError(Exception):
    def __init__(self, status: int, detail: str, errors: dict | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors or {}, headers or {}


def json_response(data, status: int = 200, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(err: ApiError) -> JsonResponse:
    body = {"detail": err.detail}
    if err.errors:
        body["errors"] = err.errors
    return json_response(body, err.status, err.headers)


def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("Trường này là bắt buộc.")
    if kind == "extra_forbidden":
        return _("Trường không được hỗ trợ.")
    if kind == "string_type":
        return _("Phải là một chuỗi ký tự.")
    if kind == "string_too_long":
        return _("Dài tối đa %(n)d ký tự.") % {"n": ctx.get("max_length", 0)}
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return _("Phải là một đối tượng JSON.")
    if kind in {"enum", "literal_error"}:
        return _("Giá trị phải là một trong: %(v)s.") % {"v": ctx.get("expected", "")}
    if kind == "string_too_short" or ctx.get("pattern") in {TEXT_PATTERN, OPTIONAL_TEXT_PATTERN}:
        return _("Không được để trống hoặc chứa ký tự điều khiển NUL.")
    return _("Giá trị không hợp lệ.")


def _path(loc: tuple) -> str:
    """``("body", "data", "sender", "phone")`` → ``sender.phone``; ``("query", "page")`` → ``page``."""
    if loc and loc[0] == "body":
        rest = [str(part) for part in loc[2:]]
        return ".".join(rest) or "body"
    return str(loc[-1]) if loc else "body"


def validation_errors(errors: list[dict]) -> ApiError:
    """Pydantic's errors of one request as one 400 refusal."""
    by_path: dict[str, list[str]] = {}
    for error in errors:
        by_path.setdefault(_path(tuple(error.get("loc", ()))), []).append(_message(error))
    in_body = any(tuple(error.get("loc", ()))[:1] == ("body",) for error in errors)
    detail = (
        _("Dữ liệu gửi lên chưa hợp lệ; xem chi tiết từng trường.")
        if in_body
        else _("Tham số không hợp lệ; xem chi tiết từng tham số.")
    )
    return ApiError(400, detail, by_path)
