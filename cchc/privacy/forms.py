from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.privacy.models import DataSubjectRequest, Incident

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )


def _datetime_field(label, required=False):
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"}),
        error_messages={"invalid": _("Nhập thời điểm theo dạng dd/mm/yyyy hh:mm.")},
    )


class RequestForm(forms.ModelForm):
    received_on = _date_field(_("Ngày nhận"))

    class Meta:
        model = DataSubjectRequest
        fields = ["kind", "received_on", "channel", "requester_name", "requester_contact", "subject"]
        widgets = {"subject": forms.Textarea(attrs={"rows": 4})}


class RequestStepForm(forms.Form):
    STEPS = [
        ("acknowledge", _("Đã phản hồi tiếp nhận")),
        ("complete", _("Đã thực hiện xong")),
        ("refuse", _("Từ chối (nêu lý do)")),
    ]
    step = forms.ChoiceField(label=_("Cập nhật"), choices=STEPS)
    on = _date_field(_("Ngày"))
    outcome = forms.CharField(
        label=_("Kết quả đã thông báo cho người yêu cầu / lý do từ chối"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class IncidentReportForm(forms.ModelForm):
    detected_at = _datetime_field(_("Thời điểm phát hiện"), required=True)
    occurred_at = _datetime_field(_("Thời điểm xảy ra (nếu biết)"))

    class Meta:
        model = Incident
        fields = [
            "title",
            "detected_at",
            "occurred_at",
            "severity",
            "personal_data_involved",
            "data_categories",
            "subjects_affected",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class IncidentUpdateForm(forms.ModelForm):
    detected_at = _datetime_field(_("Thời điểm phát hiện"), required=True)
    occurred_at = _datetime_field(_("Thời điểm xảy ra (nếu biết)"))
    initial_reported_at = _datetime_field(_("Đã báo cáo ban đầu lúc"))
    authority_notified_at = _datetime_field(_("Đã thông báo cơ quan chuyên trách lúc"))
    subjects_notified_at = _datetime_field(_("Đã thông báo người bị ảnh hưởng lúc"))
    contained_at = _datetime_field(_("Đã ngăn chặn lúc"))
    closed_at = _datetime_field(_("Kết thúc lúc"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Incident
        fields = [
            "title",
            "status",
            "severity",
            "detected_at",
            "occurred_at",
            "personal_data_involved",
            "data_categories",
            "subjects_affected",
            "initial_reported_at",
            "authority_notified_at",
            "subjects_notified_at",
            "contained_at",
            "closed_at",
            "actions_taken",
            "late_reason",
            "description",
        ]
        widgets = {k: forms.Textarea(attrs={"rows": 3}) for k in ("actions_taken", "late_reason", "description")}
