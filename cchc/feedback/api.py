"""The JSON API for feedback (``/api/v1/feedback``), described in ``cchc/api/openapi.py``.

Anyone may submit without a key: the same per-address rate limit as the form applies (one bucket for the form,
this API and Open311). A client may send ``Idempotency-Key`` so a retried request is stored once. Validation is
strict and mirrors the OpenAPI document: what the document allows is accepted, anything else is refused with a
Vietnamese message naming the field. The API reads no session: a staff member's cookie changes nothing here,
which is why its views are exempt from CSRF.
"""

from __future__ import annotations

import json
import math
import re

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cchc.feedback import actions, protection
from cchc.feedback.forms import SubmissionForm
from cchc.feedback.models import (
    MAX_CONTENT_CHARS,
    PHONE_PATTERN,
    PROCEDURE_CODE_PATTERN,
    Channel,
    Feedback,
    FeedbackKind,
)
from cchc.feedback.notify import tracking_url
from cchc.feedback.public import find_by_code, public_item, published_items, status_of

IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_.:\-]{8,100}$"
# A subset of what Django's EmailValidator accepts, so the document and the server agree exactly.
EMAIL_PATTERN = (r"^[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
                 r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$")
# Text with at least one visible character and no NUL (which no database stores).
TEXT_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"
OPTIONAL_TEXT_PATTERN = r"^[^\x00]*$"
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


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


# --- Field rules, shared with the OpenAPI document ----------------------------------------------------------

def text_rule(max_length: int, *, required: bool) -> dict:
    return {"max": max_length, "pattern": TEXT_PATTERN if required else OPTIONAL_TEXT_PATTERN}


SUBMISSION_RULES = {
    "kind": {"enum": FeedbackKind.values},
    "subject": text_rule(200, required=True),
    "content": text_rule(MAX_CONTENT_CHARS, required=True),
    "procedure_code": {"max": 40, "pattern": PROCEDURE_CODE_PATTERN, "nullable": True},
    "regulation": text_rule(500, required=False),
}
SENDER_RULES = {
    "name": text_rule(150, required=True),
    "organisation": text_rule(255, required=False),
    "address": text_rule(255, required=True),
    "phone": {"max": 20, "pattern": PHONE_PATTERN},
    "email": {"max": 254, "pattern": EMAIL_PATTERN},
}
SUBMISSION_REQUIRED = ["subject", "content", "sender"]
SENDER_REQUIRED = ["name", "address"]
SENDER_TO_FORM = {"name": "sender_name", "organisation": "organisation", "address": "address", "phone": "phone",
                  "email": "email"}
FORM_TO_PATH = {**{v: f"sender.{k}" for k, v in SENDER_TO_FORM.items()},
                **{k: k for k in SUBMISSION_RULES}, "sender_kind": "sender.organisation", "__all__": "sender"}


def check_value(value, rule: dict, path: str, errors: dict) -> str | None:
    """Check one JSON value against its rule; record a message under ``path`` and return None when it fails."""
    if value is None and rule.get("nullable"):
        return ""
    if "enum" in rule:
        if value not in rule["enum"]:
            errors[path] = [_("Giá trị phải là một trong: %(v)s.") % {"v": ", ".join(rule["enum"])}]
            return None
        return value
    if not isinstance(value, str):
        errors[path] = [_("Phải là một chuỗi ký tự.")]
        return None
    if len(value) > rule["max"]:
        errors[path] = [_("Dài tối đa %(n)d ký tự.") % {"n": rule["max"]}]
        return None
    if not re.search(rule["pattern"], value) or not _encodable(value):
        errors[path] = [_("Giá trị không hợp lệ.") if rule["pattern"] not in (TEXT_PATTERN, OPTIONAL_TEXT_PATTERN)
                        else _("Không được để trống hoặc chứa ký tự điều khiển NUL.")]
        return None
    return value


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from "\ud800" in JSON
        return False
    return True


def _check_object(data, rules: dict, required: list[str], prefix: str, errors: dict) -> dict:
    out = {}
    if not isinstance(data, dict):
        errors[prefix.rstrip(".") or "body"] = [_("Phải là một đối tượng JSON.")]
        return out
    for key in sorted(set(data) - set(rules) - ({"sender"} if not prefix else set())):
        errors[f"{prefix}{key}"] = [_("Trường không được hỗ trợ.")]
    for key in required:
        if key not in data:
            errors[f"{prefix}{key}"] = [_("Trường này là bắt buộc.")]
    for key, rule in rules.items():
        if key in data:
            value = check_value(data[key], rule, f"{prefix}{key}", errors)
            if value is not None:
                out[key] = value
    return out


def read_json(request: HttpRequest) -> dict:
    if request.content_type != "application/json":
        raise ApiError(415, _("Nội dung gửi lên phải là JSON (Content-Type: application/json)."))
    limit = settings.FEEDBACK_API_MAX_BODY
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise ApiError(413, _("Nội dung gửi lên quá lớn (tối đa %(n)d KB).") % {"n": limit // 1024})
    body = request.read(limit + 1)
    if len(body) > limit:
        raise ApiError(413, _("Nội dung gửi lên quá lớn (tối đa %(n)d KB).") % {"n": limit // 1024})
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, _("Nội dung gửi lên không phải JSON hợp lệ (UTF-8).")) from None
    if not isinstance(data, dict):
        raise ApiError(400, _("Nội dung gửi lên phải là một đối tượng JSON."))
    return data


def _reject_constant(name: str):
    raise ValueError(name)  # NaN, Infinity: not JSON


def parse_submission(data: dict) -> dict:
    """Validate a JSON submission exactly as the OpenAPI document describes it, then as the form does."""
    errors: dict[str, list[str]] = {}
    top = _check_object(data, SUBMISSION_RULES, SUBMISSION_REQUIRED, "", errors)
    sender = _check_object(data.get("sender", {}), SENDER_RULES, SENDER_REQUIRED, "sender.", errors) \
        if "sender" in data else {}
    if "sender" in data and isinstance(data["sender"], dict) and not ({"phone", "email"} & set(data["sender"])):
        errors.setdefault("sender.phone", [_("Hãy gửi số điện thoại hoặc thư điện tử để cơ quan liên hệ, trả lời.")])
    if errors:
        raise ApiError(400, _("Dữ liệu gửi lên chưa hợp lệ; xem chi tiết từng trường."), errors)
    return validate_with_form({**top, **{SENDER_TO_FORM[k]: v for k, v in sender.items()}}, Channel.API)


def validate_with_form(values: dict, channel: str) -> dict:
    """The form's rules (the regulation's required contact details, lengths after trimming spaces)."""
    form_data = {key: ("" if value is None else value) for key, value in values.items()}
    form_data.setdefault("kind", FeedbackKind.FEEDBACK)
    form = SubmissionForm(data=form_data)
    form.channel = lambda: channel
    if not form.is_valid():
        errors = {FORM_TO_PATH.get(field, field): [str(m) for m in messages]
                  for field, messages in form.errors.items()}
        raise ApiError(400, _("Dữ liệu gửi lên chưa hợp lệ; xem chi tiết từng trường."), errors)
    return {name: form.cleaned_data.get(name) for name in actions.SUBMISSION_FIELDS}


def idempotency_token(request: HttpRequest, namespace: str) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not re.match(IDEMPOTENCY_KEY_PATTERN, key):
        raise ApiError(400, _("Idempotency-Key phải dài 8–100 ký tự, gồm chữ, số và . _ : -"),
                       {"Idempotency-Key": [_("Giá trị không hợp lệ.")]})
    return f"{namespace}:{key}"


def submit(request: HttpRequest, values: dict, *, channel: str, token: str | None):
    """Store a validated submission, once: a repeat of a stored one is returned without counting against the
    rate limit; otherwise one attempt is counted for the client's address."""
    try:
        if token and (stored := Feedback.objects.filter(submission_token=token).first()) is not None:
            return actions.replay_submission(stored, values)
        decision = protection.submission_allowed(request)
        if not decision.allowed:
            raise ApiError(429, protection.rate_limited_message(decision),
                           headers={"Retry-After": str(decision.retry_after)})
        return actions.do_submit_feedback(values, channel=channel, token=token)
    except actions.SubmissionConflict as err:
        raise ApiError(409, _("Idempotency-Key này đã được dùng cho một nội dung khác.")) from err


def receipt(feedback) -> dict:
    return {
        "code": feedback.code,
        "status": feedback.status,
        "status_label": str(feedback.get_status_display()),
        "received_at": status_of(feedback)["received_at"],
        "due_on": feedback.due_on.isoformat() if feedback.due_on else None,
        "tracking_url": tracking_url(feedback),
    }


def _int_param(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", raw) or not 1 <= int(raw) <= maximum:
        raise ApiError(400, _("Tham số %(name)s phải là số nguyên từ 1 đến %(max)d.") % {"name": name, "max": maximum},
                       {name: [_("Giá trị không hợp lệ.")]})
    return int(raw)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def feedback_collection(request: HttpRequest) -> JsonResponse:
    """GET: published items and answers (search ``q``, accent-insensitive). POST: submit a new item."""
    try:
        if request.method == "GET":
            return _published_list(request)
        data = read_json(request)
        values = parse_submission(data)
        result = submit(request, values, channel=Channel.API, token=idempotency_token(request, "api"))
    except ApiError as err:
        return error_response(err)
    feedback = result.feedback
    return json_response(receipt(feedback), status=201 if result.created else 200,
                         headers={"Location": reverse("api:feedback_item", args=[feedback.code])})


def _published_list(request: HttpRequest) -> JsonResponse:
    q = request.GET.get("q", "")
    if len(q) > 200 or "\x00" in q:
        raise ApiError(400, _("Từ khóa tìm kiếm dài tối đa 200 ký tự."), {"q": [_("Giá trị không hợp lệ.")]})
    page = _int_param(request, "page", 1, MAX_PAGE)
    size = _int_param(request, "page_size", 20, MAX_PAGE_SIZE)
    items = published_items(q)
    count = items.count()
    start = (page - 1) * size
    results = [public_item(f) for f in items[start:start + size]] if start < count else []
    return json_response({"count": count, "page": page, "page_size": size,
                          "pages": max(1, math.ceil(count / size)), "results": results})


@csrf_exempt  # GET only; exempt so other methods get a plain 405, not a CSRF page
@require_GET
def feedback_item(request: HttpRequest, code: str) -> JsonResponse:
    """Status, dates and the published answer of the item with this tracking code."""
    feedback = find_by_code(code)
    if feedback is None:
        return error_response(ApiError(404, _("Không tìm thấy phản ánh, kiến nghị có mã này.")))
    return json_response(status_of(feedback), headers={"Cache-Control": "no-store"})
