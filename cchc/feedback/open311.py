"""Open311 GeoReport v2 (``/open311/v2/``), so existing Open311 clients can list published answers and submit.

Mapping: a service is a kind of PAKN (``phan_anh``, ``kien_nghi``); a published item is a ``closed`` request whose
``service_request_id`` is its public id and ``status_notes`` the answer. A submission returns the private
tracking code as ``service_request_id``: ``requests/<code>.json`` then shows its status to whoever holds it.
Feedback is about regulations, not places, so a location (``lat``/``long``, ``address_id``) is optional and not
kept; ``address_string`` (or the ``sender_address`` attribute) is the sender's contact address that Nghị định
20/2008/NĐ-CP requires. No API key is needed: submissions share the form's per-address rate limit.
Only the JSON format is served.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cchc.feedback import protection
from cchc.feedback.api import (
    EMAIL_PATTERN,
    IDEMPOTENCY_KEY_PATTERN,
    RETRY_AFTER,
    accept,
    form_for,
    idempotency_token,
)
from cchc.feedback.models import (
    CODE_PATTERN,
    MAX_CONTENT_CHARS,
    OPEN_STATUSES,
    PHONE_PATTERN,
    PROCEDURE_CODE_PATTERN,
    PUBLIC_ID_PATTERN,
    Channel,
    Feedback,
    FeedbackKind,
    Status,
)
from cchc.feedback.public import PUBLIC_COLUMNS, find_by_code, published_items
from cchc.lib.jsonapi import OPTIONAL_TEXT_PATTERN, TEXT_PATTERN, ApiError, json_response

MAX_RESULTS = 1000  # the GeoReport v2 cap on one list


def services() -> list[dict]:
    descriptions = {
        FeedbackKind.FEEDBACK: _(
            "Phản ánh về việc thực hiện quy định hành chính, thủ tục hành chính: hành vi của "
            "cán bộ, sự không hợp lý, không thống nhất, không khả thi của quy định."
        ),
        FeedbackKind.PETITION: _("Kiến nghị sửa đổi, bổ sung, bãi bỏ quy định hành chính, thủ tục hành chính."),
    }
    return [
        {
            "service_code": kind.value,
            "service_name": str(kind.label),
            "description": str(descriptions[kind]),
            "metadata": True,
            "type": "realtime",
            "keywords": "pakn, phản ánh, kiến nghị, thủ tục hành chính",
            "group": "PAKN",
        }
        for kind in FeedbackKind
    ]


def service_definition(code: str) -> dict:
    def attribute(name, description, required, order):
        return {
            "variable": True,
            "code": name,
            "datatype": "string",
            "required": required,
            "datatype_description": "",
            "order": order,
            "description": description,
        }

    return {
        "service_code": code,
        "attributes": [
            attribute(
                "sender_address", _("Địa chỉ liên hệ của người gửi (bắt buộc nếu không gửi address_string)"), False, 1
            ),
            attribute("procedure_code", _("Mã thủ tục hành chính liên quan, ví dụ 1.001234"), False, 2),
            attribute("regulation", _("Quy định hành chính liên quan"), False, 3),
        ],
    }


def error(status: int, description: str) -> JsonResponse:
    return json_response([{"code": status, "description": description}], status=status)


def _api_error(err: ApiError) -> JsonResponse:
    details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in err.errors.items())
    response = error(err.status, f"{err.detail} {details}".strip())
    for name, value in err.headers.items():
        response[name] = value
    return response


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _request(feedback: Feedback, *, by_code: bool = False) -> dict:
    published = feedback.status == Status.PUBLISHED
    unit = feedback.assigned_unit if feedback.assigned_unit_id else None
    if published:
        notes = feedback.public_answer
    else:
        notes = str(feedback.get_status_display())
        extra = feedback.forwarded_to if feedback.status == Status.FORWARDED else feedback.decision_reason
        if extra and feedback.status in {Status.NOT_ACCEPTED, Status.FORWARDED}:
            notes = f"{notes}: {extra}"
    expected = None
    if feedback.status in OPEN_STATUSES and feedback.due_on:
        expected = _iso(timezone.make_aware(dt.datetime.combine(feedback.due_on, dt.time(17, 0))))
    updated = max(
        d
        for d in [
            feedback.received_at,
            feedback.accepted_at,
            feedback.assigned_at,
            feedback.answered_at,
            feedback.closed_at,
            feedback.published_at,
        ]
        if d
    )
    return {
        "service_request_id": feedback.code if by_code else feedback.public_id,
        "status": "open" if feedback.status in OPEN_STATUSES else "closed",
        "status_notes": notes,
        "service_name": str(feedback.get_kind_display()),
        "service_code": feedback.kind,
        "description": feedback.public_content if published else "",
        "agency_responsible": unit.name if unit and feedback.status != Status.ACCEPTED else "",
        "service_notice": "",
        "requested_datetime": _iso(feedback.received_at),
        "updated_datetime": _iso(updated),
        "expected_datetime": expected,
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


@csrf_exempt  # GET only; exempt so other methods get a plain 405, not a CSRF page
@require_GET
def services_list(request: HttpRequest) -> JsonResponse:
    return json_response(services())


@csrf_exempt
@require_GET
def service_detail(request: HttpRequest, code: str) -> JsonResponse:
    if code not in FeedbackKind.values:
        return error(404, _("Không có dịch vụ (loại phản ánh) này."))
    return json_response(service_definition(code))


def _when(request: HttpRequest, name: str) -> dt.datetime | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    try:
        value = parse_datetime(raw.strip().upper())
    except ValueError:
        value = None
    if value is None:
        raise ApiError(
            400, _("%(name)s phải là thời điểm theo ISO 8601, ví dụ 2025-03-01T00:00:00+07:00.") % {"name": name}
        )
    try:
        value = value if timezone.is_aware(value) else timezone.make_aware(value)
        # In UTC: PostgreSQL refuses offsets past ±15:59 that ISO 8601 strings may carry.
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ApiError(400, _("%(name)s nằm ngoài khoảng thời gian cho phép.") % {"name": name}) from None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_list(request: HttpRequest) -> JsonResponse:
    """GET: published requests (newest first, at most 1000). POST: submit a request."""
    try:
        return _submit(request) if request.method == "POST" else _list(request)
    except ApiError as err:
        return _api_error(err)


def _list(request: HttpRequest) -> JsonResponse:
    # Every parameter is checked first, even those the chosen search ignores: a bad one is always reported.
    service_code = request.GET.get("service_code")
    if service_code is not None and service_code not in FeedbackKind.values:
        raise ApiError(400, _("service_code không hợp lệ."))
    status = request.GET.get("status")
    if status is not None and status not in {"open", "closed"}:
        raise ApiError(400, _("status phải là open hoặc closed."))
    start, end = _when(request, "start_date"), _when(request, "end_date")
    items = published_items()
    ids = request.GET.get("service_request_id")
    if ids is not None:  # GeoReport v2: the other parameters are then ignored
        wanted = [i.strip() for i in ids.split(",") if i.strip()][:MAX_RESULTS]
        return json_response([_request(f) for f in items.filter(public_id__in=wanted).only(*_COLUMNS)])
    if status == "open":  # only closed (answered and published) requests are public
        return json_response([])
    if service_code is not None:
        items = items.filter(kind=service_code)
    if start:
        items = items.filter(received_at__gte=start)
    if end:
        items = items.filter(received_at__lte=end)
    return json_response([_request(f) for f in items.only(*_COLUMNS)[:MAX_RESULTS]])


_COLUMNS = [*PUBLIC_COLUMNS, "accepted_at", "assigned_at", "closed_at", "status", "due_on"]


@csrf_exempt
@require_GET
def request_detail(request: HttpRequest, request_id: str) -> JsonResponse:
    """A published request by its public id, or any request by the tracking code its sender was given."""
    if re.match(PUBLIC_ID_PATTERN, request_id):
        feedback = published_items().filter(public_id=request_id).only(*_COLUMNS).first()
        if feedback is not None:
            return json_response([_request(feedback)])
    if not (decision := protection.tracking_allowed(request)).allowed:
        response = error(429, protection.tracking_limited_message(decision))
        response["Retry-After"] = str(decision.retry_after)
        return response
    feedback = find_by_code(request_id)
    if feedback is None:
        return error(404, _("Không tìm thấy yêu cầu này."))
    return json_response([_request(feedback, by_code=True)])


def _field(data, name: str, pattern: str, max_length: int, errors: dict) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if len(value) > max_length or not re.search(pattern, value) or "\x00" in value:
        errors[name] = [_("Giá trị không hợp lệ.")]
        return ""
    return value


def _coordinate(data, name: str, limit: float, errors: dict) -> None:
    raw = data.get(name)
    if raw is None:
        return
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        errors[name] = [_("Toạ độ không hợp lệ.")]


def _submit(request: HttpRequest) -> JsonResponse:
    data = request.POST
    errors: dict[str, list[str]] = {}
    service_code = data.get("service_code")
    if service_code not in FeedbackKind.values:
        errors["service_code"] = [_("Hãy chọn service_code trong services.json.")]
    description = _field(data, "description", TEXT_PATTERN, MAX_CONTENT_CHARS, errors)
    if "description" not in data:
        errors["description"] = [_("Hãy nhập nội dung phản ánh, kiến nghị.")]
    first = _field(data, "first_name", TEXT_PATTERN, 70, errors)
    last = _field(data, "last_name", TEXT_PATTERN, 79, errors)
    if "first_name" not in data and "last_name" not in data:
        errors["first_name"] = [_("Hãy gửi họ tên người gửi (first_name, last_name).")]
    address_string = _field(data, "address_string", TEXT_PATTERN, 255, errors)
    sender_address = _field(data, "attribute[sender_address]", TEXT_PATTERN, 255, errors)
    if "address_string" not in data and "attribute[sender_address]" not in data:
        errors["address_string"] = [_("Hãy gửi địa chỉ liên hệ của người gửi (address_string).")]
    email = _field(data, "email", EMAIL_PATTERN, 254, errors)
    phone = _field(data, "phone", PHONE_PATTERN, 20, errors)
    if "email" not in data and "phone" not in data:
        errors["email"] = [_("Hãy gửi thư điện tử hoặc số điện thoại để cơ quan liên hệ, trả lời.")]
    procedure_code = _field(data, "attribute[procedure_code]", PROCEDURE_CODE_PATTERN, 40, errors)
    regulation = _field(data, "attribute[regulation]", r"^[^\x00]*$", 500, errors)
    _coordinate(data, "lat", 90, errors)
    _coordinate(data, "long", 180, errors)
    if errors:
        raise ApiError(400, _("Dữ liệu gửi lên chưa hợp lệ."), errors)
    form = form_for(
        {
            "kind": service_code,
            "sender_name": f"{first.strip()} {last.strip()}".strip(),
            "address": (sender_address or address_string).strip(),
            "email": email,
            "phone": phone,
            "subject": _subject_of(description),
            "content": description,
            "procedure_code": procedure_code,
            "regulation": regulation,
        },
        Channel.OPEN311,
    )
    result = accept(request, form, token=idempotency_token(request, "open311"))
    notice = _("Đã nhận. Dùng mã %(code)s để theo dõi kết quả xử lý.") % {"code": result.feedback.code}
    return json_response(
        [{"service_request_id": result.feedback.code, "service_notice": notice, "account_id": None}],
        status=201 if result.created else 200,
    )


def _subject_of(description: str) -> str:
    """Open311 has no title: the first line of the description, cut at a word under 200 characters."""
    first_line = next((line.strip() for line in description.strip().splitlines() if line.strip()), "")
    if len(first_line) <= 200:
        return first_line
    cut = first_line[:199].rsplit(" ", 1)[0]
    return (cut or first_line[:199]) + "…"


# --- OpenAPI: Open311 is served as GeoReport v2 defines it (form bodies, lists of errors); its paths are
# described here, beside the code, and join the document django-ninja generates for /api/v1/ (cchc.api.views).


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, required: list[str] | None = None, *, closed: bool = True, **extra) -> dict:
    """An object schema; ``closed`` forbids undocumented properties (in responses: no field leaks unnoticed)."""
    schema = {"type": "object", "properties": properties, "required": list(required or properties)}
    if closed:
        schema["additionalProperties"] = False
    schema.update(extra)
    return schema


STRING = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}


def _json_body(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


# --- Open311 GeoReport v2 -----------------------------------------------------------------------------------

OPENAPI_SCHEMAS = {
    "Open311Error": {"type": "array", "items": _obj({"code": {"type": "integer"}, "description": STRING})},
    "Open311Service": _obj(
        {
            "service_code": {**STRING, "enum": FeedbackKind.values},
            "service_name": STRING,
            "description": STRING,
            "metadata": {"type": "boolean"},
            "type": {**STRING, "enum": ["realtime", "batch", "blackbox"]},
            "keywords": STRING,
            "group": STRING,
        }
    ),
    "Open311ServiceDefinition": _obj(
        {
            "service_code": STRING,
            "attributes": {
                "type": "array",
                "items": _obj(
                    {
                        "variable": {"type": "boolean"},
                        "code": STRING,
                        "datatype": STRING,
                        "required": {"type": "boolean"},
                        "datatype_description": STRING,
                        "order": {"type": "integer"},
                        "description": STRING,
                    }
                ),
            },
        }
    ),
    "Open311Request": _obj(
        {
            "service_request_id": STRING,
            "status": {**STRING, "enum": ["open", "closed"]},
            "status_notes": STRING,
            "service_name": STRING,
            "service_code": {**STRING, "enum": FeedbackKind.values},
            "description": STRING,
            "agency_responsible": STRING,
            "service_notice": STRING,
            "requested_datetime": DATE_TIME,
            "updated_datetime": DATE_TIME,
            "expected_datetime": {"anyOf": [DATE_TIME, {"type": "null"}]},
            "address": STRING,
            "address_id": STRING,
            "zipcode": STRING,
            "lat": {"type": ["number", "null"]},
            "long": {"type": ["number", "null"]},
            "media_url": STRING,
        }
    ),
    "Open311RequestCreated": _obj(
        {
            "service_request_id": {**STRING, "pattern": CODE_PATTERN},
            "service_notice": STRING,
            "account_id": {"type": "null"},
        }
    ),
    "Open311Submission": _obj(
        {
            "service_code": {**STRING, "enum": FeedbackKind.values},
            "description": {**STRING, "minLength": 1, "maxLength": MAX_CONTENT_CHARS, "pattern": TEXT_PATTERN},
            "first_name": {**STRING, "minLength": 1, "maxLength": 70, "pattern": TEXT_PATTERN},
            "last_name": {**STRING, "minLength": 1, "maxLength": 79, "pattern": TEXT_PATTERN},
            "email": {**STRING, "maxLength": 254, "pattern": EMAIL_PATTERN},
            "phone": {**STRING, "maxLength": 20, "pattern": PHONE_PATTERN},
            "address_string": {
                **STRING,
                "minLength": 1,
                "maxLength": 255,
                "pattern": TEXT_PATTERN,
                "description": "Địa chỉ liên hệ của người gửi.",
            },
            "attribute[sender_address]": {**STRING, "minLength": 1, "maxLength": 255, "pattern": TEXT_PATTERN},
            "attribute[procedure_code]": {**STRING, "maxLength": 40, "pattern": PROCEDURE_CODE_PATTERN},
            "attribute[regulation]": {**STRING, "maxLength": 500, "pattern": OPTIONAL_TEXT_PATTERN},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "long": {"type": "number", "minimum": -180, "maximum": 180},
        },
        ["service_code", "description"],
        closed=False,
        allOf=[
            {"anyOf": [{"required": ["first_name"]}, {"required": ["last_name"]}]},
            {"anyOf": [{"required": ["address_string"]}, {"required": ["attribute[sender_address]"]}]},
            {"anyOf": [{"required": ["email"]}, {"required": ["phone"]}]},
        ],
        description="Các trường khác của GeoReport v2 (api_key, jurisdiction_id, address_id, device_id, "
        "account_id, media_url) được chấp nhận và bỏ qua.",
    ),
}

OPEN311_ERROR = _ref("Open311Error")
OPENAPI_PATHS = {
    "/open311/v2/services.json": {
        "get": {
            "operationId": "open311Services",
            "summary": "Open311: các loại phản ánh, kiến nghị",
            "tags": ["open311"],
            "responses": {"200": _json_body({"type": "array", "items": _ref("Open311Service")}, "Danh sách dịch vụ.")},
        }
    },
    "/open311/v2/services/{service_code}.json": {
        "get": {
            "operationId": "open311ServiceDefinition",
            "summary": "Open311: các thuộc tính của một dịch vụ",
            "tags": ["open311"],
            "parameters": [
                {"name": "service_code", "in": "path", "required": True, "schema": {**STRING, "minLength": 1}}
            ],
            "responses": {
                "200": _json_body(_ref("Open311ServiceDefinition"), "Định nghĩa dịch vụ."),
                "404": _json_body(OPEN311_ERROR, "Không có dịch vụ này."),
            },
        }
    },
    "/open311/v2/requests.json": {
        "get": {
            "operationId": "open311Requests",
            "summary": "Open311: các yêu cầu đã có kết quả công khai",
            "tags": ["open311"],
            "parameters": [
                {
                    "name": "service_request_id",
                    "in": "query",
                    "required": False,
                    "schema": STRING,
                    "description": "Các mã công khai, cách nhau bởi dấu phẩy.",
                },
                {
                    "name": "service_code",
                    "in": "query",
                    "required": False,
                    "schema": {**STRING, "enum": FeedbackKind.values},
                },
                {"name": "start_date", "in": "query", "required": False, "schema": DATE_TIME},
                {"name": "end_date", "in": "query", "required": False, "schema": DATE_TIME},
                {"name": "status", "in": "query", "required": False, "schema": {**STRING, "enum": ["open", "closed"]}},
            ],
            "responses": {
                "200": _json_body({"type": "array", "items": _ref("Open311Request")}, "Tối đa 1000 yêu cầu."),
                "400": _json_body(OPEN311_ERROR, "Tham số không hợp lệ."),
            },
        },
        "post": {
            "operationId": "open311Submit",
            "summary": "Open311: gửi phản ánh, kiến nghị (không cần api_key)",
            "tags": ["open311"],
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {**STRING, "pattern": IDEMPOTENCY_KEY_PATTERN},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"application/x-www-form-urlencoded": {"schema": _ref("Open311Submission")}},
            },
            "responses": {
                "201": _json_body({"type": "array", "items": _ref("Open311RequestCreated")}, "Đã nhận."),
                "200": _json_body({"type": "array", "items": _ref("Open311RequestCreated")}, "Lần gửi lại."),
                "400": _json_body(OPEN311_ERROR, "Dữ liệu chưa hợp lệ."),
                "409": _json_body(OPEN311_ERROR, "Idempotency-Key đã dùng cho nội dung khác."),
                "429": _json_body(OPEN311_ERROR, "Gửi quá nhiều lần từ cùng địa chỉ mạng.", RETRY_AFTER),
            },
        },
    },
    "/open311/v2/requests/{service_request_id}.json": {
        "get": {
            "operationId": "open311Request",
            "summary": "Open311: một yêu cầu (mã công khai hoặc mã tra cứu)",
            "tags": ["open311"],
            "parameters": [
                {"name": "service_request_id", "in": "path", "required": True, "schema": {**STRING, "minLength": 1}}
            ],
            "responses": {
                "200": _json_body({"type": "array", "items": _ref("Open311Request")}, "Yêu cầu."),
                "404": _json_body(OPEN311_ERROR, "Không có yêu cầu này."),
            },
        }
    },
}
OPENAPI_TAG = {"name": "open311", "description": "Open311 GeoReport v2 cho PAKN."}
