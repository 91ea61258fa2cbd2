"""Forms of the public channel, the desk and the ratings. The JSON API and Open311 validate with
``SubmissionForm`` too (``cchc.feedback.submission.accept_submission``), so a submission is judged the same way
whichever door it comes in by."""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cchc.feedback.actions import SUBMISSION_FIELDS
from cchc.feedback.models import (
    CRITERIA,
    MAX_CONTENT_CHARS,
    PHONE_PATTERN,
    PROCEDURE_CODE_PATTERN,
    STAFF_CHANNELS,
    Channel,
    FeedbackKind,
    SenderKind,
)
from cchc.lib import captcha, proofofwork
from cchc.lib.uploads import DOCX, IMAGE_KINDS, MB, PDF, CheckedUpload, UploadRejected, check_upload
from cchc.orgs.forms import UnitChoiceField
from cchc.orgs.models import Unit

ATTACHMENT_KINDS = (PDF, *IMAGE_KINDS, DOCX)
TOKEN_VALIDATOR = RegexValidator(r"^[0-9a-f]{32}$", _lazy("Biểu mẫu không hợp lệ; hãy tải lại trang."))
phone_validator = RegexValidator(
    PHONE_PATTERN, _lazy("Số điện thoại chỉ gồm chữ số (có thể có dấu cách, dấu chấm, dấu gạch), ví dụ 0912 345 678.")
)
procedure_code_validator = RegexValidator(
    PROCEDURE_CODE_PATTERN, _lazy("Mã thủ tục chỉ gồm chữ, số và dấu chấm, ví dụ 1.001234.")
)


def new_form_token() -> str:
    return uuid.uuid4().hex


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is checked by content (``check_upload``), and their number and total size
    are limited. Cleans to a list of ``CheckedUpload``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.gif,.webp,.docx"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    @property
    def help_text(self) -> str:  # from the settings in force, so the limits shown are the limits applied
        return _(
            "Ảnh (JPG, PNG, GIF, WebP), PDF hoặc Word (.docx); tối đa %(n)d tệp, mỗi tệp %(one)d MB, tổng %(total)d MB."
        ) % {
            "n": settings.FEEDBACK_MAX_ATTACHMENTS,
            "one": settings.FEEDBACK_MAX_ATTACHMENT_MB,
            "total": settings.FEEDBACK_MAX_TOTAL_MB,
        }

    @help_text.setter
    def help_text(self, value) -> None:
        pass

    def clean(self, data, initial=None) -> list[CheckedUpload]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        limit = settings.FEEDBACK_MAX_ATTACHMENTS
        if len(files) > limit:
            raise forms.ValidationError(_("Chỉ gửi được tối đa %(n)d tệp đính kèm.") % {"n": limit})
        total = sum(getattr(f, "size", 0) or 0 for f in files)
        if total > settings.FEEDBACK_MAX_TOTAL_MB * MB:
            raise forms.ValidationError(
                _("Tổng dung lượng tệp đính kèm vượt quá %(n)d MB.") % {"n": settings.FEEDBACK_MAX_TOTAL_MB}
            )
        checked = []
        for upload in files:
            try:
                checked.append(
                    check_upload(upload, allowed=ATTACHMENT_KINDS, max_bytes=settings.FEEDBACK_MAX_ATTACHMENT_MB * MB)
                )
            except UploadRejected as err:
                raise forms.ValidationError(str(err)) from None
        return checked


class SubmissionForm(forms.Form):
    """Who sends it and what it says. Nghị định 20/2008/NĐ-CP requires the sender's name, address and a way to
    reach them (phone or e-mail; a letter may give only its postal address)."""

    kind = forms.ChoiceField(
        label=_lazy("Loại"), choices=FeedbackKind.choices, initial=FeedbackKind.FEEDBACK, widget=forms.RadioSelect
    )
    sender_kind = forms.ChoiceField(
        label=_lazy("Người gửi là"),
        choices=SenderKind.choices,
        initial=SenderKind.INDIVIDUAL,
        widget=forms.RadioSelect,
        required=False,
    )
    sender_name = forms.CharField(label=_lazy("Họ và tên"), max_length=150)
    organisation = forms.CharField(
        label=_lazy("Tên tổ chức, doanh nghiệp"),
        max_length=255,
        required=False,
        help_text=_lazy("Khi gửi thay mặt một tổ chức, doanh nghiệp."),
    )
    address = forms.CharField(label=_lazy("Địa chỉ liên hệ"), max_length=255)
    phone = forms.CharField(
        label=_lazy("Số điện thoại"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_lazy("Thư điện tử"),
        required=False,
        help_text=_lazy("Mã tra cứu và kết quả xử lý sẽ được gửi tới địa chỉ này."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(label=_lazy("Tiêu đề"), max_length=200)
    content = forms.CharField(
        label=_lazy("Nội dung phản ánh, kiến nghị"),
        max_length=MAX_CONTENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    procedure_code = forms.CharField(
        label=_lazy("Mã thủ tục hành chính (nếu có)"),
        max_length=40,
        required=False,
        validators=[procedure_code_validator],
        help_text=_lazy("Mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001234."),
    )
    regulation = forms.CharField(
        label=_lazy("Quy định hành chính liên quan (nếu có)"),
        max_length=500,
        required=False,
        help_text=_lazy("Tên văn bản, điều khoản hoặc thủ tục mà bạn phản ánh."),
    )

    contact_optional_channels: set[str] = set()

    def __init__(self, *args, channel: str = Channel.WEB, **kwargs):
        super().__init__(*args, **kwargs)
        self._channel = channel

    def channel(self) -> str:
        """The door it came in by (the web form, the JSON API, Open311; the desk's form says which)."""
        return self._channel

    def submission(self) -> dict:
        """The cleaned fields that ``actions.do_submit_feedback`` stores."""
        return {name: self.cleaned_data.get(name) for name in SUBMISSION_FIELDS}

    def attachments(self) -> list[CheckedUpload]:
        return self.cleaned_data.get("attachments") or []

    def received_at(self) -> dt.datetime | None:
        """When it was received, if not now (the desk enters letters of earlier days)."""
        return None

    def clean(self):
        data = super().clean()
        sender_kind = data.get("sender_kind") or (
            SenderKind.ORGANISATION if data.get("organisation") else SenderKind.INDIVIDUAL
        )
        data["sender_kind"] = sender_kind
        if sender_kind == SenderKind.ORGANISATION and not data.get("organisation"):
            self.add_error("organisation", _("Hãy nhập tên tổ chức, doanh nghiệp."))
        if sender_kind == SenderKind.INDIVIDUAL:
            data["organisation"] = ""
        if (
            not data.get("phone")
            and not data.get("email")
            and "phone" not in self.errors
            and "email" not in self.errors
            and self.channel() not in self.contact_optional_channels
        ):
            self.add_error("phone", _("Hãy nhập số điện thoại hoặc thư điện tử để cơ quan liên hệ, trả lời."))
        return data


class ProtectedFormMixin(forms.Form):
    """The honeypot, the one-time submission token and the offline CAPTCHA bound to it."""

    # Hidden by CSS from people; bots fill every field. Named like a field a bot wants to fill.
    website = forms.CharField(
        required=False,
        label=_lazy("Để trống ô này"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, validators=[TOKEN_VALIDATOR])
    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Required unless the browser solved the proof of work (cchc.lib.proofofwork): the sum is the accessible fallback.
    captcha_answer = forms.CharField(
        label=_lazy("Câu hỏi kiểm tra"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
    )
    pow_challenge = forms.CharField(widget=forms.HiddenInput, required=False)
    pow_solution = forms.CharField(widget=forms.HiddenInput, required=False, max_length=proofofwork.MAX_SOLUTION_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        token = self.data.get("form_token") if self.is_bound else None
        if not token or not TOKEN_VALIDATOR.regex.match(str(token)):
            token = new_form_token()
        self.token = token
        self.initial["form_token"] = token
        self.challenge = captcha.new_challenge(token)
        self.pow_token = proofofwork.new_challenge(token, settings.FEEDBACK_POW_BITS)
        self.pow_bits = settings.FEEDBACK_POW_BITS

    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def pow_solved(self) -> bool:
        return proofofwork.solved(
            str(self.data.get("pow_challenge", "")),
            str(self.data.get("pow_solution", "")),
            bound_to=self.token,
            max_age=settings.FEEDBACK_CAPTCHA_MAX_AGE,
        )

    def clean_captcha_answer(self) -> str:
        answer = self.cleaned_data.get("captcha_answer", "")
        if self.pow_solved():
            return answer
        if not answer.strip():
            raise forms.ValidationError(_("Hãy trả lời câu hỏi kiểm tra."), code="required")
        try:
            captcha.verify(
                self.data.get("captcha_token", ""),
                answer,
                bound_to=self.token,
                max_age=settings.FEEDBACK_CAPTCHA_MAX_AGE,
            )
        except captcha.CaptchaError as err:
            raise forms.ValidationError(str(err)) from None
        return answer


# What proves a person sent it, not what they sent: a repeated POST is recognised without them (the CAPTCHA of a
# reloaded page may have expired).
PROTECTION_FIELDS = set(ProtectedFormMixin.base_fields)


class PublicFeedbackForm(ProtectedFormMixin, SubmissionForm):
    attachments = AttachmentsField(label=_lazy("Tệp đính kèm (nếu có)"))

    field_order = [
        "kind",
        "sender_kind",
        "sender_name",
        "organisation",
        "address",
        "phone",
        "email",
        "subject",
        "content",
        "procedure_code",
        "regulation",
        "attachments",
        "captcha_answer",
    ]


class StaffFeedbackForm(SubmissionForm):
    """The desk enters feedback received on paper, by phone, in person or by e-mail."""

    channel_choice = forms.ChoiceField(
        label=_lazy("Kênh tiếp nhận"), choices=[(c.value, c.label) for c in STAFF_CHANNELS]
    )
    received_on = forms.DateField(
        label=_lazy("Ngày nhận"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    form_token = forms.CharField(widget=forms.HiddenInput, validators=[TOKEN_VALIDATOR])
    attachments = AttachmentsField(label=_lazy("Bản chụp, tệp kèm theo (nếu có)"))

    contact_optional_channels = {Channel.POST}
    field_order = [
        "channel_choice",
        "received_on",
        "kind",
        "sender_kind",
        "sender_name",
        "organisation",
        "address",
        "phone",
        "email",
        "subject",
        "content",
        "procedure_code",
        "regulation",
        "attachments",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())
        self.initial.setdefault("form_token", new_form_token())

    def channel(self) -> str:
        return self.data.get("channel_choice", "") if self.is_bound else ""

    @property
    def token(self) -> str | None:
        """The one-time token the page was given, if well formed (a malformed one is refused by validation)."""
        value = str(self.data.get("form_token", "")) if self.is_bound else ""
        return value if TOKEN_VALIDATOR.regex.match(value) else None

    def received_at(self) -> dt.datetime | None:
        day = self.cleaned_data["received_on"]
        if day == timezone.localdate():
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày nhận không thể ở tương lai."))
        return day


# --- The desk's decisions ---------------------------------------------------------------------------------


class VersionedForm(forms.Form):
    """Carries the version of the item the officer looked at, so a decision on a stale page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RejectForm(VersionedForm):
    reason = forms.CharField(
        label=_lazy("Lý do không tiếp nhận"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def unit_choices():
    return Unit.objects.valid_on(timezone.localdate()).order_by("kind", "name")


class AssignForm(VersionedForm):
    unit = UnitChoiceField(label=_lazy("Cơ quan xử lý"), queryset=Unit.objects.none())
    note = forms.CharField(
        label=_lazy("Ghi chú nội bộ (nếu có)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices()


class ReassignForm(VersionedForm):
    unit = UnitChoiceField(label=_lazy("Chuyển cho cơ quan"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_lazy("Lý do chuyển"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices()


class ForwardForm(VersionedForm):
    recipient = forms.CharField(
        label=_lazy("Cơ quan có thẩm quyền nhận"),
        max_length=255,
        help_text=_lazy("Ví dụ: Bộ Tư pháp; Văn phòng Chính phủ."),
    )
    reason = forms.CharField(
        label=_lazy("Lý do (không thuộc thẩm quyền của tỉnh)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(VersionedForm):
    answer = forms.CharField(
        label=_lazy("Kết quả xử lý, nội dung trả lời"),
        max_length=MAX_CONTENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    reference = forms.CharField(label=_lazy("Số, ký hiệu văn bản trả lời (nếu có)"), max_length=100, required=False)


class ReturnForm(VersionedForm):
    reason = forms.CharField(
        label=_lazy("Nội dung đề nghị bổ sung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(VersionedForm):
    """Every field the public will see, as it will be seen: the desk edits each one before publishing."""

    public_subject = forms.CharField(label=_lazy("Tiêu đề công khai"), max_length=200)
    public_content = forms.CharField(
        label=_lazy("Nội dung công khai"), max_length=MAX_CONTENT_CHARS, widget=forms.Textarea(attrs={"rows": 6})
    )
    public_answer = forms.CharField(
        label=_lazy("Kết quả xử lý, trả lời công khai"),
        max_length=MAX_CONTENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    public_answer_reference = forms.CharField(
        label=_lazy("Số, ký hiệu văn bản trả lời công khai"), max_length=100, required=False
    )
    public_regulation = forms.CharField(label=_lazy("Quy định hành chính liên quan"), max_length=500, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_lazy("Ghi chú nội bộ"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


# --- Satisfaction -------------------------------------------------------------------------------------------

SCORE_CHOICES = [
    ("5", _lazy("5 · Rất hài lòng")),
    ("4", _lazy("4 · Hài lòng")),
    ("3", _lazy("3 · Bình thường")),
    ("2", _lazy("2 · Không hài lòng")),
    ("1", _lazy("1 · Rất không hài lòng")),
]


class RatingForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_lazy("Đánh giá chung"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_lazy("Góp ý thêm (nếu có)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                choices=[*SCORE_CHOICES, ("", _("Không đánh giá"))],
            )
        self.order_fields([name for name, _label in CRITERIA] + ["overall", "comment"])

    def criteria_fields(self):
        return [self[name] for name, _label in CRITERIA]

    def scores(self) -> dict:
        return {name: self.cleaned_data.get(name) for name, _label in CRITERIA} | {
            "overall": self.cleaned_data["overall"],
            "comment": self.cleaned_data.get("comment", ""),
        }


class ServiceRatingForm(ProtectedFormMixin, RatingForm):
    """After a procedure at a one-stop desk: reached from the QR code on the receipt."""

    dossier_code = forms.CharField(
        label=_lazy("Mã hồ sơ (in trên giấy tiếp nhận)"),
        max_length=60,
        required=False,
        validators=[RegexValidator(r"^[0-9A-Za-z.\-/_]*$", _lazy("Mã hồ sơ chỉ gồm chữ, số và . - / _"))],
    )
    procedure_code = forms.CharField(
        label=_lazy("Mã thủ tục (nếu có)"), max_length=40, required=False, validators=[procedure_code_validator]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["dossier_code", "procedure_code"]
            + [name for name, _label in CRITERIA]
            + ["overall", "comment", "captcha_answer"]
        )
