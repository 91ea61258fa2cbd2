"""The JSON API for feedback (``/api/v1/feedback``), on django-ninja: the pydantic schemas below are what the
server accepts and what the OpenAPI document (``/api/v1/openapi.json``) says, so the two cannot drift apart.

Anyone may submit without a key: the same per-address rate limit as the form applies (one bucket for the form,
this API and Open311), through ``cchc.feedback.submission.accept_submission`` like every other door. A client
may send ``Idempotency-Key`` so a retried request is stored once. The schema refuses what the document does not
allow, with a Vietnamese message naming the field; the form then judges the content as it judges the web
form's. The API reads no session: a staff member's cookie changes nothing here, and django-ninja checks no
CSRF token for operations without cookie authentication; a browser posting for another site is refused by
``accept_submission``.
"""

import math
import re
from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Query, Router, Schema
from ninja import Status as Answer  # (status code, body); not the item's Status
from pydantic import ConfigDict

from cchc.feedback import actions, protection, submission
from cchc.feedback.forms import SubmissionForm
from cchc.feedback.models import (
    CODE_PATTERN,
    MAX_CONTENT_CHARS,
    PHONE_PATTERN,
    PROCEDURE_CODE_PATTERN,
    Channel,
    FeedbackKind,
    Status,
)
from cchc.feedback.notify import tracking_url
from cchc.feedback.public import find_by_code, public_item, published_items, status_of
from cchc.lib.jsonapi import OPTIONAL_TEXT_PATTERN, TEXT_PATTERN, ApiError, Error

IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_.:\-]{8,100}$"
# A subset of what Django's EmailValidator accepts, so the document and the server agree exactly.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$"
)
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


def text(max_length: int, description: str) -> Field:
    """A required text: at least one visible character, no NUL."""
    return Field(min_length=1, max_length=max_length, pattern=TEXT_PATTERN, description=description)


def optional_text(max_length: int, description: str) -> Field:
    return Field("", max_length=max_length, pattern=OPTIONAL_TEXT_PATTERN, description=description)


# --- What a client sends -------------------------------------------------------------------------------------


class Sender(Schema):
    """Người gửi. Không bao giờ được công khai."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}
    )

    name: str = text(150, "Họ và tên người gửi (hoặc người đại diện của tổ chức).")
    organisation: str = optional_text(255, "Tên tổ chức, doanh nghiệp khi gửi thay mặt tổ chức.")
    address: str = text(255, "Địa chỉ liên hệ (bắt buộc theo Nghị định 20/2008/NĐ-CP).")
    phone: str = Field(
        "", max_length=20, pattern=PHONE_PATTERN, description="Số điện thoại; cần số điện thoại hoặc thư điện tử."
    )
    email: str = Field(
        "", max_length=254, pattern=EMAIL_PATTERN, description="Thư điện tử; mã tra cứu và kết quả được gửi tới đây."
    )


class FeedbackSubmission(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: FeedbackKind = Field(FeedbackKind.FEEDBACK, description="phan_anh: phản ánh; kien_nghi: kiến nghị.")
    subject: str = text(200, "Tiêu đề.")
    content: str = text(MAX_CONTENT_CHARS, "Nội dung.")
    procedure_code: str | None = Field(
        None,
        max_length=40,
        pattern=PROCEDURE_CODE_PATTERN,
        description="Mã thủ tục hành chính liên quan, ví dụ 1.001234.",
    )
    regulation: str = optional_text(500, "Quy định hành chính liên quan.")
    sender: Sender


# --- What the API answers ------------------------------------------------------------------------------------


class Closed(Schema):
    """A response object: a field the schema does not list is a leak, refused by the server (500) and the test."""

    model_config = ConfigDict(extra="forbid")


class SubmissionReceipt(Closed):
    code: str = Field(pattern=CODE_PATTERN, description="Mã tra cứu; giữ kín (dùng để theo dõi, đánh giá).")
    status: Status
    status_label: str
    received_at: datetime
    due_on: date | None
    tracking_url: str = Field(json_schema_extra={"format": "uri"})


class Agency(Closed):
    code: str
    name: str


class PublishedFeedback(Closed):
    """Một phản ánh, kiến nghị đã công khai và kết quả xử lý; không có thông tin người gửi."""

    id: str = Field(description="Mã công khai (không phải mã tra cứu).")
    kind: FeedbackKind
    kind_label: str
    subject: str
    content: str
    procedure_code: str | None
    regulation: str
    agency: Agency | None
    received_at: datetime
    answered_at: datetime | None
    published_at: datetime | None
    answer: str
    answer_reference: str
    url: str


class FeedbackStatus(Closed):
    """Trạng thái, các mốc thời gian và kết quả đã công khai; không có thông tin người gửi."""

    code: str = Field(pattern=CODE_PATTERN)
    kind: FeedbackKind
    kind_label: str
    status: Status
    status_label: str
    received_at: datetime
    due_on: date | None = Field(description="Hạn của bước đang thực hiện (ngày làm việc).")
    accepted_at: datetime | None
    assigned_at: datetime | None
    agency: Agency | None
    answered_at: datetime | None
    published_at: datetime | None
    closed_at: datetime | None
    reason: str = Field(description="Lý do không tiếp nhận hoặc chuyển đi.")
    forwarded_to: str
    published: PublishedFeedback | None


class PublishedFeedbackList(Closed):
    count: int = Field(ge=0)
    page: int = Field(ge=1)
    page_size: int = Field(ge=1)
    pages: int = Field(ge=1)
    results: list[PublishedFeedback]


# --- From the request to the form ------------------------------------------------------------------------------

SENDER_TO_FORM = {
    "name": "sender_name",
    "organisation": "organisation",
    "address": "address",
    "phone": "phone",
    "email": "email",
}
FORM_TO_PATH = {
    **{v: f"sender.{k}" for k, v in SENDER_TO_FORM.items()},
    "sender_kind": "sender.organisation",
    "__all__": "sender",
}


def form_for(values: dict, channel: str) -> SubmissionForm:
    """The form that judges a submission of this door (the regulation's required contact details, lengths
    after trimming spaces), bound to the values read from the request."""
    form_data = {key: ("" if value is None else value) for key, value in values.items()}
    form_data.setdefault("kind", FeedbackKind.FEEDBACK)
    return SubmissionForm(data=form_data, channel=channel)


def accept(request: HttpRequest, form: SubmissionForm, *, token: str | None) -> actions.Submission:
    """``accept_submission`` with its refusals as ``ApiError`` (Open311 renders them in its own format)."""
    try:
        return submission.accept_submission(request, form, token=token)
    except submission.Refused as err:
        headers = {"Retry-After": str(err.retry_after)} if err.retry_after else {}
        raise ApiError(err.status, err.message, headers=headers) from None
    except submission.InvalidSubmission as err:
        errors = {FORM_TO_PATH.get(field, field): [str(m) for m in msgs] for field, msgs in err.form.errors.items()}
        raise ApiError(400, _("Dữ liệu gửi lên chưa hợp lệ; xem chi tiết từng trường."), errors) from None
    except actions.SubmissionConflict as err:
        raise ApiError(409, _("Idempotency-Key này đã được dùng cho một nội dung khác.")) from err


def idempotency_token(request: HttpRequest, namespace: str) -> str | None:
    """Open311's ``Idempotency-Key`` (the JSON API's header is checked by its schema)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not re.match(IDEMPOTENCY_KEY_PATTERN, key):
        raise ApiError(
            400,
            _("Idempotency-Key phải dài 8–100 ký tự, gồm chữ, số và . _ : -"),
            {"Idempotency-Key": [_("Giá trị không hợp lệ.")]},
        )
    return f"{namespace}:{key}"


def receipt(feedback) -> dict:
    return {
        "code": feedback.code,
        "status": feedback.status,
        "status_label": str(feedback.get_status_display()),
        "received_at": status_of(feedback)["received_at"],
        "due_on": feedback.due_on,
        "tracking_url": tracking_url(feedback),
    }


# --- Operations ---------------------------------------------------------------------------------------------------

router = Router(tags=["feedback"])
REFUSED = {400: Error}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Số giây cần chờ trước khi gửi lại.",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}
LOCATION = {"Location": {"required": True, "schema": {"type": "string"}}}


@router.get(
    "/feedback",
    response={200: PublishedFeedbackList, **REFUSED},
    url_name="feedback",
    operation_id="listPublishedFeedback",
    summary="Các phản ánh, kiến nghị đã công khai và kết quả xử lý",
)
def list_published_feedback(
    request: HttpRequest,
    q: Annotated[
        str, Query(max_length=200, pattern=OPTIONAL_TEXT_PATTERN, description="Từ khóa, không phân biệt dấu.")
    ] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
):
    items = published_items(q)
    count = items.count()
    start = (page - 1) * page_size
    results = [public_item(f) for f in items[start : start + page_size]] if start < count else []
    pages = max(1, math.ceil(count / page_size))
    return {"count": count, "page": page, "page_size": page_size, "pages": pages, "results": results}


@router.post(
    "/feedback",
    response={
        201: SubmissionReceipt,
        200: SubmissionReceipt,
        **REFUSED,
        409: Error,
        413: Error,
        415: Error,
        429: Error,
    },
    url_name="feedback",
    operation_id="submitFeedback",
    summary="Gửi phản ánh, kiến nghị (không cần khóa API; giới hạn số lần gửi theo địa chỉ mạng)",
    openapi_extra={
        "responses": {
            201: {"description": "Đã nhận; mã tra cứu được gửi kèm (và qua thư điện tử).", "headers": LOCATION},
            200: {"description": "Gửi lại phản ánh đã lưu (cùng Idempotency-Key).", "headers": LOCATION},
            429: {"description": "Gửi quá nhiều lần từ cùng địa chỉ mạng.", "headers": RETRY_AFTER},
        }
    },
)
def submit_feedback(
    request: HttpRequest,
    response: HttpResponse,
    data: FeedbackSubmission,
    idempotency_key: Annotated[
        str,  # absent: None (a header is never null, so the document says only "string")
        Header(
            alias="Idempotency-Key",
            pattern=IDEMPOTENCY_KEY_PATTERN,
            description="Khóa do ứng dụng tạo cho mỗi lần gửi; gửi lại cùng khóa và cùng nội dung trả về phản ánh "
            "đã lưu (200) thay vì tạo bản mới.",
        ),
    ] = None,
):
    values = data.model_dump(exclude={"sender"}) | {
        SENDER_TO_FORM[name]: value for name, value in data.sender.model_dump().items()
    }
    form = form_for(values, Channel.API)
    result = accept(request, form, token=f"api:{idempotency_key}" if idempotency_key else None)
    response["Location"] = reverse("api:feedback_item", args=[result.feedback.code])
    return Answer(201 if result.created else 200, receipt(result.feedback))


@router.get(
    "/feedback/{anytext:code}",
    response={200: FeedbackStatus, 404: Error, 429: Error},
    url_name="feedback_item",
    operation_id="getFeedbackStatus",
    summary="Trạng thái và kết quả của một phản ánh theo mã tra cứu",
    openapi_extra={"responses": {429: {"description": "Tra cứu quá nhiều lần.", "headers": RETRY_AFTER}}},
)
def get_feedback_status(
    request: HttpRequest,
    response: HttpResponse,
    code: Annotated[str, Path(min_length=1, description="Mã tra cứu, dạng PAKN-XXXXX-XXXXX; mã khác: 404.")],
):
    # Status, dates and the published answer of the item with this tracking code (the docstring would be the
    # document's description).
    if not (decision := protection.tracking_allowed(request)).allowed:
        message = protection.tracking_limited_message(decision)
        raise ApiError(429, message, headers={"Retry-After": str(decision.retry_after)})
    feedback = find_by_code(code)
    if feedback is None:
        raise ApiError(404, _("Không tìm thấy phản ánh, kiến nghị có mã này."))
    response["Cache-Control"] = "no-store"
    return status_of(feedback)
