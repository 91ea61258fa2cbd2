"""Forms of the plan screens: uploading a plan document and correcting what was read from it."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.orgs.resolve import NONE, Match, Resolver
from cchc.plans.imports import CONFIRMED, RegistryOptions, set_match
from cchc.plans.models import AgencyRole, Recurrence

DOCUMENT_TYPES = ".docx,.md,.txt,.pdf"


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    """dd/mm/yyyy typed as text: a browser's date picker shows its own locale's order (mm/dd on an English
    system), which on a Vietnamese plan is a mistake waiting to happen."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10, **(attrs or {})},
                         format="%d/%m/%Y")


def date_field(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput(), input_formats=DATE_FORMATS,
                           error_messages={"invalid": _("Ngày phải viết theo dạng dd/mm/yyyy, ví dụ 30/06/2024.")})


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kế hoạch"), help_text=_("Văn bản .docx, .md, .txt hoặc .pdf có lớp chữ, tối đa 20 MB."),
        widget=forms.FileInput(attrs={"accept": DOCUMENT_TYPES}),
    )


class HeaderForm(forms.Form):
    """The plan's identity: who issued it, its number, date, title and year, its signer and audience."""

    title = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=2000, max_value=2100)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=50, required=False)
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False)
    issued_on = date_field(_("Ngày ban hành"))
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False)
    audience = forms.CharField(label=_("Đối tượng"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    # field -> the warning/source path it answers for
    PATHS = {"signer_name": "signer", "signer_title": "signer"}

    @staticmethod
    def initial_from(document: dict) -> dict:
        signer = document.get("signer") or {}
        return {
            **{k: document.get(k) for k in ("title", "year", "issuer", "number", "symbol", "place", "audience")},
            "issued_on": _date(document.get("issued_on")),
            "signer_name": signer.get("name"), "signer_title": signer.get("title"),
        }

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(), "year": data["year"], "issuer": data["issuer"].strip(),
            "number": data["number"].strip() or None, "symbol": data["symbol"].strip() or None,
            "place": data["place"].strip() or None, "issued_on": _iso(data["issued_on"]),
            "signer": ({"name": data["signer_name"].strip() or None, "title": data["signer_title"].strip() or None}
                       if data["signer_name"] or data["signer_title"] else None),
            "audience": data["audience"].strip() or None,
        }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ListsForm(forms.Form):
    """Objectives, requirements and recipients: one item a line."""

    objectives = forms.CharField(label=_("Mục đích"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text=_("Mỗi ý một dòng."))
    requirements = forms.CharField(label=_("Yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                   help_text=_("Mỗi ý một dòng."))
    recipients = forms.CharField(label=_("Nơi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text=_("Mỗi nơi nhận một dòng, kể cả dòng “Lưu”."))

    @staticmethod
    def initial_from(document: dict) -> dict:
        return {k: "\n".join(document.get(k) or []) for k in ("objectives", "requirements", "recipients")}

    def values(self) -> dict:
        return {k: _lines(self.cleaned_data[k]) for k in ("objectives", "requirements", "recipients")}


class ActivityForm(forms.Form):
    """One activity: its title, period, recurrence and funding (its agencies are an AgencyFormSet)."""

    title = forms.CharField(label=_("Tên hoạt động"), widget=forms.Textarea(attrs={"rows": 2}))
    period_start = date_field(_("Từ ngày"))
    period_end = date_field(_("Đến ngày"))
    recurrence_every = forms.ChoiceField(label=_("Lặp lại mỗi"), required=False,
                                         choices=[("", _("không lặp lại")), *Recurrence.choices])
    recurrence_count = forms.IntegerField(label=_("Số lượng mỗi kỳ"), required=False, min_value=1, max_value=10000)
    recurrence_unit = forms.CharField(label=_("Đơn vị tính"), required=False, max_length=50)
    funding = forms.CharField(label=_("Kinh phí"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def initial_from(activity: dict) -> dict:
        period = activity.get("period") or {}
        recurrence = activity.get("recurrence") or {}
        return {
            "title": activity.get("title"), "funding": activity.get("funding"),
            "period_start": _date(period.get("start")), "period_end": _date(period.get("end")),
            "recurrence_every": recurrence.get("every") or "", "recurrence_count": recurrence.get("count"),
            "recurrence_unit": recurrence.get("unit"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("Hãy nhập cả ngày bắt đầu và ngày kết thúc, hoặc để trống cả hai "
                                          "(hoạt động không có thời hạn)."))
        if start and end and end < start:
            self.add_error("period_end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        if data.get("recurrence_count") and not data.get("recurrence_every"):
            self.add_error("recurrence_every", _("Hãy chọn kỳ lặp lại cho chỉ tiêu này."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        every = data["recurrence_every"]
        return {
            "title": data["title"].strip(),
            "period": {"start": _iso(data["period_start"]), "end": _iso(data["period_end"])}
            if data["period_start"] else None,
            "recurrence": {"every": every, "count": data["recurrence_count"] or 1,
                           "unit": data["recurrence_unit"].strip() or None} if every else None,
            "funding": data["funding"].strip() or None,
        }


class AgencyForm(forms.Form):
    """One agency of an activity: the name as written, its role, and the registry unit or group it is."""

    name = forms.CharField(label=_("Tên như văn bản"), max_length=255)
    role = forms.ChoiceField(label=_("Vai trò"), choices=AgencyRole.choices, initial=AgencyRole.IMPLEMENT)
    match = forms.CharField(label=_("Đơn vị trong danh mục"), required=False, max_length=300)

    def __init__(self, *args, options: RegistryOptions, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.year = year
        # The fields sit in table cells under column headers: each input still needs its own name.
        self.fields["name"].widget.attrs["aria-label"] = _("Tên cơ quan như văn bản")
        self.fields["role"].widget.attrs["aria-label"] = _("Vai trò")
        self.fields["match"].widget.attrs.update({
            "list": "registry-options", "aria-label": _("Đơn vị trong danh mục"),
            "placeholder": _("gõ để tìm trong danh mục"), "autocomplete": "off",
        })
        if "DELETE" in self.fields:
            self.fields["DELETE"].widget.attrs["aria-label"] = _("Bỏ cơ quan này")

    def clean_match(self) -> str:
        label = self.cleaned_data["match"].strip()
        if label and label not in self.options.by_label:
            raise forms.ValidationError(
                _("Không có “%(label)s” trong danh mục đơn vị năm %(year)s. Hãy chọn trong danh sách gợi ý, hoặc "
                  "để trống nếu cơ quan này không có trong danh mục.") % {"label": label, "year": self.year})
        return label

    def agency(self, previous: dict | None, resolver: Resolver) -> dict:
        """The agency as the document will hold it. A match the reviewer picked is *confirmed*; a renamed
        agency is matched again; otherwise the earlier match stands."""
        data = self.cleaned_data
        agency = {"name": data["name"].strip(), "role": data["role"]}
        if previous is None or "match" in self.changed_data:
            label = data["match"]
            if label:
                code = self.options.by_label[label]
                target = resolver.by_code[code]
                is_group = code in self.options.groups
                set_match(agency, Match(unit=None if is_group else target, group=target if is_group else None),
                          CONFIRMED)
            elif previous is None:
                set_match(agency, resolver.match(agency["name"]))
            else:
                set_match(agency, Match(quality=NONE))  # the reviewer cleared it: not in the registry
        elif "name" in self.changed_data:
            set_match(agency, resolver.match(agency["name"]))
        else:
            agency.update({k: previous.get(k) for k in ("unit", "group", "match")})
        return agency


class BaseAgencyFormSet(forms.BaseFormSet):
    def agencies(self, previous: list[dict], resolver: Resolver) -> list[dict]:
        out = []
        for i, form in enumerate(self.forms):
            if not form.has_changed() and i >= len(previous):
                continue  # the empty row for adding an agency, left empty
            if self.can_delete and self._should_delete_form(form):
                continue
            out.append(form.agency(previous[i] if i < len(previous) else None, resolver))
        return out


AgencyFormSet = forms.formset_factory(AgencyForm, formset=BaseAgencyFormSet, extra=1, can_delete=True,
                                      max_num=60, validate_max=True)
