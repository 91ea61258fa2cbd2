"""The procedure catalogue as JSON: ``GET /api/v1/procedures`` (search, or browse by filters) and
``GET /api/v1/procedures/{code}`` (one procedure, every field). Public, read-only.

``OPENAPI_PATHS`` and ``OPENAPI_SCHEMAS`` describe both in OpenAPI 3 form; cchc/api/views.py
adds them to the API's document.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from cchc.procedures.models import Procedure, ProcedureStatus
from cchc.procedures.records import LEVELS, ONLINE_LEVELS
from cchc.procedures.search import MAX_RESULTS, Filters, browse_procedures, search_procedures
from cchc.procedures.views import MAX_QUERY_LENGTH

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000


def _error(detail: str, errors: dict[str, list[str]] | None = None, status: int = 400) -> JsonResponse:
    body: dict = {"detail": detail}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _integer(params, name: str, default: int, low: int, high: int) -> int | str:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        return f"Phải là số nguyên từ {low} đến {high}."
    return int(raw)


def _choice(params, name: str, allowed) -> str | None:
    value = params.get(name, "")
    return value if value == "" or value in allowed else None


def _summary(procedure: Procedure, request: HttpRequest) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "url": request.build_absolute_uri(procedure.get_absolute_url()),
        "field": procedure.field,
        "levels": procedure.levels,
        "online_level": procedure.online_level,
        "status": procedure.status,
        "implementing_agencies": procedure.implementing_agencies,
    }


@csrf_exempt  # GET only; exempt so other methods get a plain 405, not a CSRF page
@require_GET
def procedure_collection(request: HttpRequest) -> JsonResponse:
    params = request.GET
    errors: dict[str, list[str]] = {}
    limit = _integer(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _integer(params, "offset", 0, 0, MAX_OFFSET)
    for name, value in (("limit", limit), ("offset", offset)):
        if isinstance(value, str):
            errors[name] = [value]
    for name, allowed in (("level", LEVELS), ("online_level", ONLINE_LEVELS), ("withdrawn", ("0", "1"))):
        if _choice(params, name, allowed) is None:
            errors[name] = [f"Giá trị hợp lệ: {', '.join(allowed)}."]
    q = params.get("q", "")
    for name, cap in (("q", MAX_QUERY_LENGTH), ("field", 255), ("agency", 255)):
        if len(params.get(name, "")) > cap:
            errors[name] = [f"Tối đa {cap} ký tự."]
    if errors:
        return _error("Tham số không hợp lệ.", errors)
    filters = Filters(
        field=params.get("field", ""),
        level=params.get("level", ""),
        agency=params.get("agency", ""),
        online_level=params.get("online_level", ""),
        include_withdrawn=params.get("withdrawn") == "1",
    )
    if q.strip():
        results = search_procedures(q, filters, limit=MAX_RESULTS)
        hits = results.load(results.hits[offset : offset + limit])
        items = [
            {
                **_summary(hit.procedure, request),
                "score": None if hit.score == float("inf") else round(hit.score, 4),
                "name_highlighted": str(hit.name_html),
            }
            for hit in hits
        ]
        count = len(results)
    else:
        procedures = browse_procedures(filters)
        count = procedures.count()
        items = [
            {**_summary(p, request), "score": None, "name_highlighted": None}
            for p in procedures[offset : offset + limit]
        ]
    return JsonResponse(
        {"query": q, "count": count, "limit": limit, "offset": offset, "results": items},
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
@require_GET
def procedure_item(request: HttpRequest, code: str) -> JsonResponse:
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        return _error("Không có thủ tục với mã này.", status=404)
    body = {
        **procedure.to_data().to_dict(),
        "url": request.build_absolute_uri(procedure.get_absolute_url()),
        "status": procedure.status,
        "withdrawn_at": procedure.withdrawn_at.isoformat() if procedure.withdrawn_at else None,
        "changed_at": procedure.changed_at.isoformat(),
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


# --- OpenAPI ---------------------------------------------------------------------------------------

_STRING = {"type": "string"}
_STRINGS = {"type": "array", "items": _STRING}
_NULLABLE_STRING = {"type": ["string", "null"]}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required or properties),
        "additionalProperties": False,
    }


_LEVEL = {"type": "string", "enum": list(LEVELS), "description": ", ".join(f"{k}: {v}" for k, v in LEVELS.items())}
_ONLINE = {
    "type": ["string", "null"],
    "enum": [*ONLINE_LEVELS, None],
    "description": "Mức độ dịch vụ công trực tuyến; null khi nguồn không nói.",
}
_STATUS = {
    "type": "string",
    "enum": [choice.value for choice in ProcedureStatus],
    "description": "active: đang áp dụng; withdrawn: đã bãi bỏ (vẫn công khai).",
}

OPENAPI_SCHEMAS = {
    "ProcedureSummary": _object(
        {
            "code": {**_STRING, "description": "Mã thủ tục (CSDL quốc gia về TTHC)."},
            "name": _STRING,
            "url": {"type": "string", "format": "uri", "description": "Trang công khai của thủ tục."},
            "field": {**_STRING, "description": "Lĩnh vực."},
            "levels": {"type": "array", "items": _LEVEL},
            "online_level": _ONLINE,
            "status": _STATUS,
            "implementing_agencies": _STRINGS,
            "score": {
                "type": ["number", "null"],
                "description": "Điểm xếp hạng (null: không tìm theo từ khóa hoặc khớp đúng mã thủ tục).",
            },
            "name_highlighted": {**_NULLABLE_STRING, "description": "Tên, HTML đã thoát ký tự, từ khớp trong <mark>."},
        }
    ),
    "ProcedureList": _object(
        {
            "query": _STRING,
            "count": {
                "type": "integer",
                "minimum": 0,
                "description": f"Số thủ tục tìm thấy (tìm theo từ khóa: tối đa {MAX_RESULTS} thủ tục phù hợp nhất).",
            },
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/ProcedureSummary"}},
        }
    ),
    "Procedure": {
        "type": "object",
        "description": "Mọi trường của thủ tục (xem IMPORT_FORMAT.md); bảng giữ dạng hàng, *_text giữ nguyên "
        "văn khi không tách được hàng.",
        "required": ["code", "name", "url", "status"],
        "properties": {
            "code": _STRING,
            "name": _STRING,
            "url": {"type": "string", "format": "uri"},
            "status": _STATUS,
            "levels": {"type": "array", "items": _LEVEL},
            "online_level": _ONLINE,
            "withdrawn_at": {"type": ["string", "null"], "format": "date-time"},
            "changed_at": {"type": "string", "format": "date-time"},
        },
    },
}

_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        "description": "Từ khóa, có hoặc không dấu; để trống để liệt kê theo bộ lọc.",
    },
    {"name": "field", "in": "query", "schema": {"type": "string", "maxLength": 255}, "description": "Lĩnh vực."},
    {
        "name": "level",
        "in": "query",
        "schema": {"type": "string", "enum": ["", *LEVELS]},
        "description": "Cấp thực hiện.",
    },
    {
        "name": "agency",
        "in": "query",
        "schema": {"type": "string", "maxLength": 255},
        "description": "Cơ quan thực hiện (các từ trong tên, không cần dấu).",
    },
    {
        "name": "online_level",
        "in": "query",
        "schema": {"type": "string", "enum": ["", *ONLINE_LEVELS]},
        "description": "Mức độ dịch vụ công trực tuyến.",
    },
    {
        "name": "withdrawn",
        "in": "query",
        "schema": {"type": "string", "enum": ["", "0", "1"]},
        "description": "1: cả thủ tục đã bãi bỏ.",
    },
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}},
]


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
    }


OPENAPI_PATHS = {
    "/api/v1/procedures": {
        "get": {
            "operationId": "searchProcedures",
            "tags": ["procedures"],
            "summary": "Tìm thủ tục hành chính (không phân biệt dấu), tốt nhất trước; hoặc liệt kê theo bộ lọc.",
            "parameters": _PARAMETERS,
            "responses": {"200": _json("ProcedureList", "Kết quả."), "400": _json("Error", "Tham số không hợp lệ.")},
        }
    },
    "/api/v1/procedures/{code}": {
        "get": {
            "operationId": "getProcedure",
            "tags": ["procedures"],
            "summary": "Một thủ tục với mọi trường.",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _json("Procedure", "Thủ tục."), "404": _json("Error", "Không có thủ tục này.")},
        }
    },
}
OPENAPI_TAG = {"name": "procedures", "description": "Danh mục thủ tục hành chính."}
