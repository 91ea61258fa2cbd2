from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.reports.actions import CALENDAR_FIELDS, MIN_REASON
from cchc.reports.models import ReportingCalendar

TEXTAREA = {"rows": 8, "class": "narrative"}


class ReportForm(forms.Form):
    """What the agency writes. ``version`` is the version the page was opened at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    results_text = forms.CharField(
        label=_("1. Kết quả đạt được"),
        required=False,
        widget=forms.Textarea(TEXTAREA),
        help_text=_(
            "Đánh giá chung kết quả thực hiện trong kỳ; số liệu chi tiết được lấy tự động từ các kết quả đã ghi nhận."
        ),
    )
    shortcomings_text = forms.CharField(
        label=_("2. Tồn tại, hạn chế và nguyên nhân"), required=False, widget=forms.Textarea(TEXTAREA)
    )
    proposals_text = forms.CharField(label=_("3. Đề xuất, kiến nghị"), required=False, widget=forms.Textarea(TEXTAREA))
    doc_number = forms.CharField(
        label=_("Số văn bản"), required=False, max_length=20, help_text=_("Để trống nếu văn thư cấp số khi ban hành.")
    )
    signer_authority = forms.CharField(
        label=_("Thẩm quyền ký"),
        required=False,
        max_length=100,
        help_text=_("Ví dụ: KT. GIÁM ĐỐC; TM. ỦY BAN NHÂN DÂN"),
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=100)
    signer_name = forms.CharField(label=_("Họ tên người ký"), required=False, max_length=150)


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("accept", _("Tiếp nhận")), ("return", _("Trả lại"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Bắt buộc khi trả lại: ghi rõ đơn vị cần bổ sung, sửa gì."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and len((data.get("reason") or "").strip()) < MIN_REASON:
            self.add_error(
                "reason",
                _("Phải ghi rõ lý do trả lại (ít nhất %(n)s ký tự) để đơn vị biết cần sửa gì.") % {"n": MIN_REASON},
            )
        return data


class ProvinceReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Words of the official document, pre-filled in Vietnamese whatever the screen's language.
    general_text = forms.CharField(
        label=_("Đánh giá chung"), required=False, widget=forms.Textarea({**TEXTAREA, "lang": "vi"})
    )
    # The "Đánh giá chung" the figures gave when the page was opened: what an edit was written against.
    general_basis = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    shortcomings_text = forms.CharField(
        label=_("Tồn tại, hạn chế và nguyên nhân"), required=False, widget=forms.Textarea(TEXTAREA)
    )
    proposals_text = forms.CharField(label=_("Đề xuất, kiến nghị"), required=False, widget=forms.Textarea(TEXTAREA))
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"), required=False, widget=forms.Textarea({"rows": 5})
    )
    doc_number = forms.CharField(label=_("Số văn bản"), required=False, max_length=20)
    signer_authority = forms.CharField(label=_("Thẩm quyền ký"), required=False, max_length=100)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=100)
    signer_name = forms.CharField(label=_("Họ tên người ký"), required=False, max_length=150)


class CalendarForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    extra_kinds = forms.MultipleChoiceField(
        label=_("Kỳ báo cáo bổ sung"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("Q2", _("Quý II")), ("Q4", _("Quý IV")), ("M", _("Hằng tháng"))],
    )

    class Meta:
        model = ReportingCalendar
        fields = list(CALENDAR_FIELDS)  # the action saves the same columns
