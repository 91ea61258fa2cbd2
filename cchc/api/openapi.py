"""The OpenAPI 3.1 document of ``/api/v1/`` (and of the Open311 endpoints), served at ``/api/v1/openapi.json``.

One module lists every path and schema. To add an API: write its schemas into a ``<NOUN>_SCHEMAS`` dict and its
paths into a ``<NOUN>_PATHS`` dict below, then add both to ``SCHEMAS``/``PATHS`` at the end. Field rules come from
the code that enforces them (``cchc.feedback.api``), so the document and the server cannot drift apart; the
schemathesis test (``cchc/api/tests/test_schemathesis.py``) checks every path against the running app.
"""

from __future__ import annotations

from cchc.feedback.api import (
    EMAIL_PATTERN,
    IDEMPOTENCY_KEY_PATTERN,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    OPTIONAL_TEXT_PATTERN,
    SENDER_REQUIRED,
    SENDER_RULES,
    SUBMISSION_REQUIRED,
    SUBMISSION_RULES,
    TEXT_PATTERN,
)
from cchc.feedback.models import (
    CODE_PATTERN,
    MAX_CONTENT_CHARS,
    PHONE_PATTERN,
    PROCEDURE_CODE_PATTERN,
    FeedbackKind,
    Status,
)
from cchc.procedures import api as procedures_api

VERSION = "1.0.0"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict, required: list[str] | None = None, *, closed: bool = True, **extra) -> dict:
    """An object schema; ``closed`` forbids undocumented properties (in responses: no field leaks unnoticed)."""
    schema = {"type": "object", "properties": properties, "required": list(required or properties)}
    if closed:
        schema["additionalProperties"] = False
    schema.update(extra)
    return schema


STRING = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}


def json_body(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def rule_schema(rule: dict) -> dict:
    """A field rule of ``cchc.feedback.api`` as JSON Schema."""
    if "enum" in rule:
        return {"type": "string", "enum": list(rule["enum"])}
    schema = {"type": ["string", "null"] if rule.get("nullable") else "string", "maxLength": rule["max"],
              "pattern": rule["pattern"]}
    if rule["pattern"] == TEXT_PATTERN:
        schema["minLength"] = 1
    return schema


RETRY_AFTER = {"Retry-After": {"description": "Số giây cần chờ trước khi gửi lại.", "required": True,
                               "schema": {"type": "string", "pattern": "^[0-9]+$"}}}

# --- Shared -------------------------------------------------------------------------------------------------

COMMON_SCHEMAS = {
    "Error": obj({
        "detail": {**STRING, "description": "Lý do từ chối, bằng tiếng Việt."},
        "errors": {"type": "object", "description": "Lỗi theo từng trường (tên trường → các thông báo).",
                   "additionalProperties": {"type": "array", "items": STRING}},
    }, ["detail"]),
}

# --- Feedback (PAKN) ------------------------------------------------------------------------------------------

FEEDBACK_SCHEMAS = {
    "Sender": obj(
        {name: {**rule_schema(rule), "description": description} for (name, rule), description in zip(
            SENDER_RULES.items(),
            ["Họ và tên người gửi (hoặc người đại diện của tổ chức).",
             "Tên tổ chức, doanh nghiệp khi gửi thay mặt tổ chức.",
             "Địa chỉ liên hệ (bắt buộc theo Nghị định 20/2008/NĐ-CP).",
             "Số điện thoại; cần số điện thoại hoặc thư điện tử.",
             "Thư điện tử; mã tra cứu và kết quả được gửi tới đây."], strict=True)},
        SENDER_REQUIRED, description="Người gửi. Không bao giờ được công khai.",
        anyOf=[{"required": ["phone"]}, {"required": ["email"]}],
    ),
    "FeedbackSubmission": obj({
        "kind": {**rule_schema(SUBMISSION_RULES["kind"]), "default": FeedbackKind.FEEDBACK.value,
                 "description": "phan_anh: phản ánh; kien_nghi: kiến nghị."},
        "subject": {**rule_schema(SUBMISSION_RULES["subject"]), "description": "Tiêu đề."},
        "content": {**rule_schema(SUBMISSION_RULES["content"]), "description": "Nội dung."},
        "procedure_code": {**rule_schema(SUBMISSION_RULES["procedure_code"]),
                           "description": "Mã thủ tục hành chính liên quan, ví dụ 1.001234."},
        "regulation": {**rule_schema(SUBMISSION_RULES["regulation"]),
                       "description": "Quy định hành chính liên quan."},
        "sender": ref("Sender"),
    }, SUBMISSION_REQUIRED),
    "SubmissionReceipt": obj({
        "code": {**STRING, "pattern": CODE_PATTERN, "description": "Mã tra cứu; giữ kín (dùng để theo dõi, đánh giá)."},
        "status": {**STRING, "enum": Status.values},
        "status_label": STRING,
        "received_at": DATE_TIME,
        "due_on": nullable(DATE),
        "tracking_url": {**STRING, "format": "uri"},
    }),
    "Agency": obj({"code": STRING, "name": STRING}),
    "PublishedFeedback": obj({
        "id": {**STRING, "description": "Mã công khai (không phải mã tra cứu)."},
        "kind": {**STRING, "enum": FeedbackKind.values},
        "kind_label": STRING,
        "subject": STRING,
        "content": STRING,
        "procedure_code": nullable(STRING),
        "regulation": STRING,
        "agency": nullable(ref("Agency")),
        "received_at": DATE_TIME,
        "answered_at": nullable(DATE_TIME),
        "published_at": nullable(DATE_TIME),
        "answer": STRING,
        "answer_reference": STRING,
        "url": STRING,
    }, description="Một phản ánh, kiến nghị đã công khai và kết quả xử lý; không có thông tin người gửi."),
    "FeedbackStatus": obj({
        "code": {**STRING, "pattern": CODE_PATTERN},
        "kind": {**STRING, "enum": FeedbackKind.values},
        "kind_label": STRING,
        "status": {**STRING, "enum": Status.values},
        "status_label": STRING,
        "received_at": DATE_TIME,
        "due_on": {**nullable(DATE), "description": "Hạn của bước đang thực hiện (ngày làm việc)."},
        "accepted_at": nullable(DATE_TIME),
        "assigned_at": nullable(DATE_TIME),
        "agency": nullable(ref("Agency")),
        "answered_at": nullable(DATE_TIME),
        "published_at": nullable(DATE_TIME),
        "closed_at": nullable(DATE_TIME),
        "reason": {**STRING, "description": "Lý do không tiếp nhận hoặc chuyển đi."},
        "forwarded_to": STRING,
        "published": nullable(ref("PublishedFeedback")),
    }, description="Trạng thái, các mốc thời gian và kết quả đã công khai; không có thông tin người gửi."),
    "PublishedFeedbackList": obj({
        "count": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "results": {"type": "array", "items": ref("PublishedFeedback")},
    }),
}

ERROR = ref("Error")
FEEDBACK_PATHS = {
    "/api/v1/feedback": {
        "get": {
            "operationId": "listPublishedFeedback",
            "summary": "Các phản ánh, kiến nghị đã công khai và kết quả xử lý",
            "tags": ["feedback"],
            "parameters": [
                {"name": "q", "in": "query", "required": False, "description": "Từ khóa, không phân biệt dấu.",
                 "schema": {**STRING, "maxLength": 200, "pattern": OPTIONAL_TEXT_PATTERN}},
                {"name": "page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
                {"name": "page_size", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 20}},
            ],
            "responses": {
                "200": json_body(ref("PublishedFeedbackList"), "Một trang kết quả, mới nhất trước."),
                "400": json_body(ERROR, "Tham số không hợp lệ."),
            },
        },
        "post": {
            "operationId": "submitFeedback",
            "summary": "Gửi phản ánh, kiến nghị (không cần khóa API; giới hạn số lần gửi theo địa chỉ mạng)",
            "tags": ["feedback"],
            "parameters": [
                {"name": "Idempotency-Key", "in": "header", "required": False,
                 "description": "Khóa do ứng dụng tạo cho mỗi lần gửi; gửi lại cùng khóa và cùng nội dung trả về "
                                "phản ánh đã lưu (200) thay vì tạo bản mới.",
                 "schema": {**STRING, "pattern": IDEMPOTENCY_KEY_PATTERN}},
            ],
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": ref("FeedbackSubmission")}}},
            "responses": {
                "201": json_body(ref("SubmissionReceipt"), "Đã nhận; mã tra cứu được gửi kèm (và qua thư điện tử).",
                                 {"Location": {"required": True, "schema": STRING}}),
                "200": json_body(ref("SubmissionReceipt"), "Gửi lại phản ánh đã lưu (cùng Idempotency-Key).",
                                 {"Location": {"required": True, "schema": STRING}}),
                "400": json_body(ERROR, "Dữ liệu chưa hợp lệ."),
                "409": json_body(ERROR, "Idempotency-Key đã dùng cho nội dung khác."),
                "413": json_body(ERROR, "Nội dung quá lớn."),
                "415": json_body(ERROR, "Không phải JSON."),
                "429": json_body(ERROR, "Gửi quá nhiều lần từ cùng địa chỉ mạng.", RETRY_AFTER),
            },
        },
    },
    "/api/v1/feedback/{code}": {
        "get": {
            "operationId": "getFeedbackStatus",
            "summary": "Trạng thái và kết quả của một phản ánh theo mã tra cứu",
            "tags": ["feedback"],
            "parameters": [{"name": "code", "in": "path", "required": True,
                            "description": "Mã tra cứu, dạng PAKN-XXXXX-XXXXX.",
                            "schema": {**STRING, "minLength": 1, "maxLength": 40}}],
            "responses": {
                "200": json_body(ref("FeedbackStatus"), "Trạng thái."),
                "404": json_body(ERROR, "Không có mã này."),
            },
        },
    },
}

# --- Open311 GeoReport v2 -----------------------------------------------------------------------------------

OPEN311_SCHEMAS = {
    "Open311Error": {"type": "array", "items": obj({"code": {"type": "integer"}, "description": STRING})},
    "Open311Service": obj({
        "service_code": {**STRING, "enum": FeedbackKind.values},
        "service_name": STRING, "description": STRING, "metadata": {"type": "boolean"},
        "type": {**STRING, "enum": ["realtime", "batch", "blackbox"]}, "keywords": STRING, "group": STRING,
    }),
    "Open311ServiceDefinition": obj({
        "service_code": STRING,
        "attributes": {"type": "array", "items": obj({
            "variable": {"type": "boolean"}, "code": STRING, "datatype": STRING, "required": {"type": "boolean"},
            "datatype_description": STRING, "order": {"type": "integer"}, "description": STRING,
        })},
    }),
    "Open311Request": obj({
        "service_request_id": STRING,
        "status": {**STRING, "enum": ["open", "closed"]},
        "status_notes": STRING, "service_name": STRING, "service_code": {**STRING, "enum": FeedbackKind.values},
        "description": STRING, "agency_responsible": STRING, "service_notice": STRING,
        "requested_datetime": DATE_TIME, "updated_datetime": DATE_TIME, "expected_datetime": nullable(DATE_TIME),
        "address": STRING, "address_id": STRING, "zipcode": STRING,
        "lat": {"type": ["number", "null"]}, "long": {"type": ["number", "null"]}, "media_url": STRING,
    }),
    "Open311RequestCreated": obj({
        "service_request_id": {**STRING, "pattern": CODE_PATTERN}, "service_notice": STRING,
        "account_id": {"type": "null"},
    }),
    "Open311Submission": obj({
        "service_code": {**STRING, "enum": FeedbackKind.values},
        "description": {**STRING, "minLength": 1, "maxLength": MAX_CONTENT_CHARS, "pattern": TEXT_PATTERN},
        "first_name": {**STRING, "minLength": 1, "maxLength": 70, "pattern": TEXT_PATTERN},
        "last_name": {**STRING, "minLength": 1, "maxLength": 79, "pattern": TEXT_PATTERN},
        "email": {**STRING, "maxLength": 254, "pattern": EMAIL_PATTERN},
        "phone": {**STRING, "maxLength": 20, "pattern": PHONE_PATTERN},
        "address_string": {**STRING, "minLength": 1, "maxLength": 255, "pattern": TEXT_PATTERN,
                           "description": "Địa chỉ liên hệ của người gửi."},
        "attribute[sender_address]": {**STRING, "minLength": 1, "maxLength": 255, "pattern": TEXT_PATTERN},
        "attribute[procedure_code]": {**STRING, "maxLength": 40, "pattern": PROCEDURE_CODE_PATTERN},
        "attribute[regulation]": {**STRING, "maxLength": 500, "pattern": OPTIONAL_TEXT_PATTERN},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
    }, ["service_code", "description"], closed=False, allOf=[
        {"anyOf": [{"required": ["first_name"]}, {"required": ["last_name"]}]},
        {"anyOf": [{"required": ["address_string"]}, {"required": ["attribute[sender_address]"]}]},
        {"anyOf": [{"required": ["email"]}, {"required": ["phone"]}]},
    ], description="Các trường khác của GeoReport v2 (api_key, jurisdiction_id, address_id, device_id, "
                   "account_id, media_url) được chấp nhận và bỏ qua."),
}

OPEN311_ERROR = ref("Open311Error")
OPEN311_PATHS = {
    "/open311/v2/services.json": {"get": {
        "operationId": "open311Services", "summary": "Open311: các loại phản ánh, kiến nghị", "tags": ["open311"],
        "responses": {"200": json_body({"type": "array", "items": ref("Open311Service")}, "Danh sách dịch vụ.")},
    }},
    "/open311/v2/services/{service_code}.json": {"get": {
        "operationId": "open311ServiceDefinition", "summary": "Open311: các thuộc tính của một dịch vụ",
        "tags": ["open311"],
        "parameters": [{"name": "service_code", "in": "path", "required": True,
                        "schema": {**STRING, "minLength": 1}}],
        "responses": {"200": json_body(ref("Open311ServiceDefinition"), "Định nghĩa dịch vụ."),
                      "404": json_body(OPEN311_ERROR, "Không có dịch vụ này.")},
    }},
    "/open311/v2/requests.json": {
        "get": {
            "operationId": "open311Requests", "summary": "Open311: các yêu cầu đã có kết quả công khai",
            "tags": ["open311"],
            "parameters": [
                {"name": "service_request_id", "in": "query", "required": False, "schema": STRING,
                 "description": "Các mã công khai, cách nhau bởi dấu phẩy."},
                {"name": "service_code", "in": "query", "required": False,
                 "schema": {**STRING, "enum": FeedbackKind.values}},
                {"name": "start_date", "in": "query", "required": False, "schema": DATE_TIME},
                {"name": "end_date", "in": "query", "required": False, "schema": DATE_TIME},
                {"name": "status", "in": "query", "required": False,
                 "schema": {**STRING, "enum": ["open", "closed"]}},
            ],
            "responses": {"200": json_body({"type": "array", "items": ref("Open311Request")}, "Tối đa 1000 yêu cầu."),
                          "400": json_body(OPEN311_ERROR, "Tham số không hợp lệ.")},
        },
        "post": {
            "operationId": "open311Submit", "summary": "Open311: gửi phản ánh, kiến nghị (không cần api_key)",
            "tags": ["open311"],
            "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                            "schema": {**STRING, "pattern": IDEMPOTENCY_KEY_PATTERN}}],
            "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": ref("Open311Submission")}}},
            "responses": {
                "201": json_body({"type": "array", "items": ref("Open311RequestCreated")}, "Đã nhận."),
                "200": json_body({"type": "array", "items": ref("Open311RequestCreated")}, "Lần gửi lại."),
                "400": json_body(OPEN311_ERROR, "Dữ liệu chưa hợp lệ."),
                "409": json_body(OPEN311_ERROR, "Idempotency-Key đã dùng cho nội dung khác."),
                "429": json_body(OPEN311_ERROR, "Gửi quá nhiều lần từ cùng địa chỉ mạng.", RETRY_AFTER),
            },
        },
    },
    "/open311/v2/requests/{service_request_id}.json": {"get": {
        "operationId": "open311Request", "summary": "Open311: một yêu cầu (mã công khai hoặc mã tra cứu)",
        "tags": ["open311"],
        "parameters": [{"name": "service_request_id", "in": "path", "required": True,
                        "schema": {**STRING, "minLength": 1}}],
        "responses": {"200": json_body({"type": "array", "items": ref("Open311Request")}, "Yêu cầu."),
                      "404": json_body(OPEN311_ERROR, "Không có yêu cầu này.")},
    }},
}

# --- The document ----------------------------------------------------------------------------------------------

SCHEMAS = {**COMMON_SCHEMAS, **FEEDBACK_SCHEMAS, **OPEN311_SCHEMAS, **procedures_api.OPENAPI_SCHEMAS}
PATHS = {**FEEDBACK_PATHS, **OPEN311_PATHS, **procedures_api.OPENAPI_PATHS}
TAGS = [
    {"name": "feedback", "description": "Phản ánh, kiến nghị về quy định hành chính (PAKN)."},
    {"name": "open311", "description": "Open311 GeoReport v2 cho PAKN."},
    procedures_api.OPENAPI_TAG,
]


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "cchc API",
            "version": VERSION,
            "description": "API công khai của hệ thống cải cách hành chính tỉnh: phản ánh, kiến nghị (PAKN), "
                           "danh mục thủ tục hành chính. "
                           "Không trả về thông tin cá nhân của người gửi.",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "tags": TAGS,
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
