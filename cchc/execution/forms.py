"""Forms of the execution pages. They parse and check input; the actions hold the rules."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from cchc.execution.models import Audience, Deliverable, ResultKind
from cchc.lib.uploads import EVIDENCE_KINDS, UploadRejected, check_upload
from cchc.plans.models import Activity, Obligation, Plan, PlanStatus, Recurrence, Topic

MAX_FILES = 10
MAX_LINKS = 10
# Dates are typed and shown dd/mm/yyyy whatever the browser's language (a native date picker would show
# mm/dd/yyyy in an English browser); ISO dates are accepted too, for scripts.
DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}, format="%d/%m/%Y")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files in one input; each is checked by content (``cchc.lib.uploads.check_upload``)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Mỗi lần gửi tối đa %(n)d tệp.") % {"n": MAX_FILES})
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(check_upload(upload, allowed=EVIDENCE_KINDS))
            except UploadRejected as err:
                errors.append(str(err))
        if errors:
            raise forms.ValidationError(errors)
        return checked


class LinksField(forms.CharField):
    """Links to evidence published elsewhere (a portal article, a video), one per line; http(s) only."""

    widget = forms.Textarea(attrs={"rows": 2, "placeholder": "https://"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        links = [line.strip() for line in (value or "").splitlines() if line.strip()]
        if len(links) > MAX_LINKS:
            raise forms.ValidationError(_("Tối đa %(n)d đường dẫn mỗi lần.") % {"n": MAX_LINKS})
        validate = URLValidator(schemes=["http", "https"])
        bad = []
        for link in links:
            try:
                if len(link) > 500:
                    raise forms.ValidationError("too long")
                validate(link)
            except forms.ValidationError:
                bad.append(link[:80])
        if bad:
            raise forms.ValidationError(_("Đường dẫn không hợp lệ (cần bắt đầu bằng http:// hoặc https://): %(v)s")
                                        % {"v": "; ".join(bad)})
        return links


_MONEY_JUNK = re.compile(r"[\s.,_]|đồng|đ|vnđ|vnd", re.IGNORECASE)


def parse_money(text) -> Decimal:
    """Whole đồng: "1.500.000", "1,500,000", "1 500 000 đ" → 1500000. Raises ValueError."""
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        if text != int(text):
            raise ValueError(text)
        return Decimal(int(text))
    cleaned = _MONEY_JUNK.sub("", str(text))
    if not cleaned.isdigit():
        raise ValueError(text)
    return Decimal(cleaned)


class MoneyField(forms.CharField):
    widget = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "0"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return Decimal(0)
        try:
            amount = parse_money(value)
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(_("Kinh phí là số đồng, ví dụ 1.500.000.")) from None
        if amount >= Decimal(10) ** 15:
            raise forms.ValidationError(_("Kinh phí quá lớn."))
        return amount


class DeliverableSelect(forms.Select):
    """Options carry their obligation so the page script can show only the chosen obligation's periods."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-obligation"] = str(instance.obligation_id)
        return option


def obligation_label(obligation: Obligation) -> str:
    return f"{obligation.activity.plan.year} · {obligation.activity.number}. {obligation.activity.title[:110]}"


class ResultForm(forms.Form):
    """Record or change a result of the user's unit. Choices are limited to that unit's open obligations."""

    obligation = forms.ModelChoiceField(label=_("Nhiệm vụ (hoạt động của kế hoạch)"),
                                        queryset=Obligation.objects.none())
    deliverable = forms.ModelChoiceField(label=_("Kỳ sản phẩm"), queryset=Deliverable.objects.none(), required=False,
                                         widget=DeliverableSelect, empty_label=_("— theo ngày thực hiện —"),
                                         help_text=_("Để trống: kết quả được tính vào kỳ chứa ngày thực hiện."))
    kind = forms.ChoiceField(label=_("Hình thức"), choices=[("", "—"), *ResultKind.choices])
    title = forms.CharField(label=_("Tên, tiêu đề"), max_length=300)
    occurred_on = forms.DateField(label=_("Ngày thực hiện"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    quantity = forms.DecimalField(label=_("Số lượng"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                                  initial=1, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    quantity_unit = forms.CharField(label=_("Đơn vị tính"), max_length=50, required=False,
                                    widget=forms.TextInput(attrs={"placeholder": _("tin, bài; lớp; pa nô...")}))
    topics = forms.ModelMultipleChoiceField(label=_("Nội dung tuyên truyền"), queryset=Topic.objects.none(),
                                            required=False, widget=forms.CheckboxSelectMultiple)
    audiences = forms.MultipleChoiceField(label=_("Đối tượng"), choices=Audience.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    reach = forms.IntegerField(label=_("Số người được tuyên truyền"), min_value=0, required=False,
                               widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    cost = MoneyField(label=_("Kinh phí (đồng)"))
    funding_source = forms.CharField(label=_("Nguồn kinh phí"), max_length=200, required=False)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(label=_("Công khai trên trang tiến độ"), required=False)
    files = EvidenceFilesField(label=_("Tệp minh chứng"),
                               help_text=_("PDF, ảnh, Word, Excel, PowerPoint; mỗi tệp tối đa 20 MB."))
    links = LinksField(label=_("Đường dẫn minh chứng (mỗi dòng một đường dẫn)"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        obligations = (Obligation.objects.filter(unit_id=user.unit_id, activity__plan__status=PlanStatus.ACTIVE)
                       .select_related("activity__plan").order_by("-activity__plan__year", "activity__order"))
        self.fields["obligation"].queryset = obligations
        self.fields["obligation"].label_from_instance = obligation_label
        deliverables = (Deliverable.objects.filter(obligation__unit_id=user.unit_id,
                                                   obligation__activity__plan__status=PlanStatus.ACTIVE)
                        .select_related("obligation__activity").order_by("obligation", "sequence"))
        self.fields["deliverable"].queryset = deliverables
        self.fields["deliverable"].label_from_instance = (
            lambda d: f"{d.label} — {_('hoạt động')} {d.obligation.activity.number}")
        self.fields["topics"].queryset = (Topic.objects.filter(plan__activities__obligations__unit_id=user.unit_id,
                                                               plan__status=PlanStatus.ACTIVE)
                                          .distinct().select_related("plan").order_by("-plan__year", "order"))
        self.fields["topics"].label_from_instance = lambda t: f"{t.number}. {t.text[:140]}"

    def result_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("files", "links", "version"):
            data.pop(name, None)
        data["reach"] = data.get("reach")
        data["audiences"] = list(data.get("audiences") or [])
        return data


def result_initial(result) -> dict:
    return {
        "obligation": result.obligation_id, "deliverable": result.deliverable_id, "kind": result.kind,
        "title": result.title, "occurred_on": result.occurred_on, "quantity": result.quantity,
        "quantity_unit": result.quantity_unit, "topics": list(result.topics.values_list("pk", flat=True)),
        "audiences": result.audiences, "reach": result.reach,
        "cost": f"{result.cost:,.0f}".replace(",", ".") if result.cost else "",
        "funding_source": result.funding_source, "description": result.description, "is_public": result.is_public,
        "version": result.version,
    }


class EvidenceForm(forms.Form):
    files = EvidenceFilesField(label=_("Tệp minh chứng"),
                               help_text=_("PDF, ảnh, Word, Excel, PowerPoint; mỗi tệp tối đa 20 MB."))
    links = LinksField(label=_("Đường dẫn minh chứng (mỗi dòng một đường dẫn)"))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("files") and not data.get("links"):
            raise forms.ValidationError(_("Hãy chọn tệp hoặc nhập đường dẫn minh chứng."))
        return data


class ResultFilterForm(forms.Form):
    """Filters of the results list; every field optional, bad values ignored rather than refused."""

    activity = forms.ModelChoiceField(label=_("Hoạt động"), queryset=Activity.objects.none(), required=False,
                                      empty_label=_("Tất cả"))
    kind = forms.ChoiceField(label=_("Hình thức"), choices=[("", _("Tất cả")), *ResultKind.choices], required=False)
    period = forms.ChoiceField(label=_("Thời gian"), required=False)
    unit = forms.CharField(label=_("Đơn vị (mã)"), required=False, max_length=40)
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100)


class ImportForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Kế hoạch"), queryset=Plan.objects.none(), empty_label=None)
    file = forms.FileField(label=_("Tệp Excel (.xlsx) đã điền"))

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = lambda p: f"{p.year} · {p.reference} — {p.title[:90]}"


# --- Sub-plans ---------------------------------------------------------------------------------------


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class SubPlanForm(VersionForm):
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    reference = forms.CharField(label=_("Số, ký hiệu văn bản"), max_length=60, required=False,
                                widget=forms.TextInput(attrs={"placeholder": "12/KH-UBND"}))
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SubPlanItemForm(VersionForm):
    activity = forms.ModelChoiceField(label=_("Thuộc hoạt động của tỉnh"), queryset=Activity.objects.none(),
                                      required=False, empty_label=_("— hoạt động riêng, không thuộc mục nào —"))
    title = forms.CharField(label=_("Tên hoạt động"), widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label=_("Cách thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    period_start = forms.DateField(label=_("Bắt đầu"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    period_end = forms.DateField(label=_("Kết thúc"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    recurrence_every = forms.ChoiceField(label=_("Lặp lại mỗi"), required=False,
                                         choices=[("", _("không định kỳ")), *Recurrence.choices])
    target_quantity = forms.IntegerField(label=_("Số lượng"), min_value=1, required=False)
    target_unit = forms.CharField(label=_("Đơn vị tính"), max_length=50, required=False)

    def __init__(self, *args, plan: Plan, own: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if own:
            self.fields["activity"].queryset = plan.activities.order_by("order")
            self.fields["activity"].label_from_instance = lambda a: f"{a.number}. {a.title[:100]}"
        else:
            del self.fields["activity"]  # a derived line stays under the activity it came from

    def item_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["target_unit"] = data.get("target_unit") or ""
        return data


class ReturnForm(VersionForm):
    reason = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(choices=[("accept", _("Chấp nhận")), ("keep", _("Giữ nguyên"))])
