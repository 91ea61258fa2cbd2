from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Role
from cchc.orgs.forms import UnitChoiceField
from cchc.orgs.models import Unit
from cchc.portal.models import AgencyContact, CchcMessage, NewsCategory, PaperSize

PHONE = r"^[0-9+().\s-]{3,40}$"


class NewsPostForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=255)
    category = forms.ModelChoiceField(label=_("Chuyên mục"), queryset=NewsCategory.objects.all(), empty_label=None)
    unit = UnitChoiceField(
        label=_("Cơ quan đăng tin"), queryset=Unit.objects.none(), empty_label=None, include_closed=True
    )
    summary = forms.CharField(
        label=_("Tóm tắt"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Một hai câu hiện ở danh sách tin và trong RSS."),
    )
    body = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Văn bản thường; để một dòng trống giữa các đoạn."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_superuser or user.role in {Role.COORDINATOR, Role.ADMIN}:
            self.fields["unit"].queryset = Unit.objects.order_by("kind", "name")
            self.fields["unit"].initial = user.unit_id
        else:
            # An agency officer writes for their own agency only: one choice, no search box.
            self.fields["unit"].widget = forms.Select()
            self.fields["unit"].queryset = Unit.objects.filter(pk=user.unit_id)
            self.fields["unit"].initial = user.unit_id

    def post_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "category", "unit", "summary", "body")}


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    at = forms.DateTimeField(
        label=_("Đăng vào lúc (để trống: ngay bây giờ)"),
        required=False,
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ContactForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AgencyContact
        fields = ["hotline", "phone", "email", "address", "hours", "note"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "hotline": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {"hours": _("vd: Sáng 7h30–11h30, chiều 13h30–17h, thứ Hai đến thứ Sáu")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        phone = RegexValidator(PHONE, _("Số điện thoại chỉ gồm chữ số, dấu cách, + - . ( )"))
        for name in ("hotline", "phone"):
            self.fields[name].validators.append(phone)


class BackPageForm(forms.Form):
    paper = forms.ChoiceField(label=_("Khổ giấy"), choices=PaperSize.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    messages = forms.ModelMultipleChoiceField(
        label=_("Thông điệp CCHC in trên phiếu"),
        queryset=CchcMessage.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    own_message = forms.CharField(
        label=_("Thông điệp riêng của cơ quan"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
