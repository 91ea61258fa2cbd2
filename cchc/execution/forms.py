"""Forms of the execution pages. They parse and check input; the actions hold the rules."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from cchc.execution.models import Audience, Deliverable, ResultKind
from cchc.execution.topics import suggest
from cchc.lib.uploads import EVIDENCE_KINDS, UploadRejected, check_upload
from cchc.plans.models import Activity, Obligation, Plan, PlanStatus, Recurrence, Topic

MAX_FILES = 10
MAX_LINKS = 10
# Dates are typed and shown dd/mm/yyyy whatever the browser's language (a native date picker would show
# mm/dd/yyyy in an English browser); ISO dates are accepted too, for scripts.
DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}, format="%d/%m/%Y")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# A day as people write it: 05/03/2024, 5.3.2024, 05-03-2024; or ISO 2024-03-05.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class DayField(forms.DateField):
    """A date typed dd/mm/yyyy (or ISO). A date written correctly that does not exist (31/02/2024) is told
    apart from a wrong way of writing one, so that the person knows what to fix."""

    default_error_messages = {
        "invalid": _("Ngày phải ghi dạng dd/mm/yyyy, ví dụ 05/03/2024."),
        "no_month": _("Ngày %(value)s không tồn tại: không có tháng %(month)d."),
        "no_day": _("Ngày %(value)s không tồn tại: tháng %(month)d năm %(year)d chỉ có %(days)d ngày."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DATE_WIDGET)
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if match := _DAY_FIRST.match(text):
                day, month, year = (int(g) for g in match.groups())
            elif match := _ISO_DAY.match(text):
                year, month, day = (int(g) for g in match.groups())
            else:
                return super().to_python(value)
            params = {"value": text, "day": day, "month": month, "year": year}
            if not 1 <= month <= 12:
                raise forms.ValidationError(self.error_messages["no_month"], code="no_month", params=params)
            days = calendar.monthrange(year, month)[1] if year >= 1 else 31
            if not 1 <= day <= days or year < 1:
                raise forms.ValidationError(
                    self.error_messages["no_day"], code="no_day", params={**params, "days": days}
                )
            return dt.date(year, month, day)
        return super().to_python(value)


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
            raise forms.ValidationError(
                _("Đường dẫn không hợp lệ (cần bắt đầu bằng http:// hoặc https://): %(v)s") % {"v": "; ".join(bad)}
            )
        return links


_MONEY_JUNK = re.compile(r"[\s.,_]|đồng|đ|vnđ|vnd", re.IGNORECASE)


def parse_money(text) -> Decimal:
    """Whole đồng: "1.500.000", "1,500,000", "1 500 000 đ" → 1500000. Raises ValueError."""
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, (int, Decimal)):
        if text < 0:
            raise ValueError(text)
        return Decimal(text)
    if isinstance(text, float):
        if text != int(text) or text < 0:
            raise ValueError(text)
        return Decimal(int(text))
    cleaned = _MONEY_JUNK.sub("", str(text))
    if not (cleaned.isascii() and cleaned.isdigit()):
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


QUANTITY_ERROR = _("Số lượng phải là số lớn hơn 0, tối đa 2 chữ số thập phân.")
REACH_ERROR = _("Số người phải là số nguyên không âm.")
MAX_REACH = 2_000_000_000
MAX_DESCRIPTION = 10_000


class ResultFieldsForm(forms.Form):
    """What a result says about itself, with one set of rules for the screen (``ResultForm``) and for each row
    of an Excel file (``cchc.execution.bulk``): a value refused on one is refused, with the same words, on the
    other."""

    kind = forms.ChoiceField(
        label=_("Hình thức"),
        choices=[("", "—"), *ResultKind.choices],
        error_messages={
            "required": _("Hãy chọn hình thức."),
            "invalid_choice": _("Hình thức không có trong danh sách."),
        },
    )
    title = forms.CharField(
        label=_("Tên, tiêu đề"), max_length=300, error_messages={"required": _("Hãy nhập tên, tiêu đề.")}
    )
    occurred_on = DayField(label=_("Ngày thực hiện"), error_messages={"required": _("Hãy nhập ngày thực hiện.")})
    quantity = forms.DecimalField(
        label=_("Số lượng"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        initial=1,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            code: QUANTITY_ERROR
            for code in ("invalid", "min_value", "max_digits", "max_decimal_places", "max_whole_digits")
        },
    )
    quantity_unit = forms.CharField(
        label=_("Đơn vị tính"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("tin, bài; lớp; pa nô...")}),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Đối tượng"), choices=Audience.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    reach = forms.IntegerField(
        label=_("Số người được tuyên truyền"),
        min_value=0,
        max_value=MAX_REACH,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": REACH_ERROR, "min_value": REACH_ERROR, "max_value": _("Số người quá lớn.")},
    )
    cost = MoneyField(label=_("Kinh phí (đồng)"))
    funding_source = forms.CharField(label=_("Nguồn kinh phí"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Mô tả"), required=False, max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_public = forms.BooleanField(label=_("Công khai trên trang tiến độ"), required=False)
    links = LinksField(label=_("Đường dẫn minh chứng (mỗi dòng một đường dẫn)"))


class ResultForm(ResultFieldsForm):
    """Record or change a result of the user's unit. Choices are limited to that unit's open obligations."""

    obligation = forms.ModelChoiceField(
        label=_("Nhiệm vụ (hoạt động của kế hoạch)"), queryset=Obligation.objects.none()
    )
    deliverable = forms.ModelChoiceField(
        label=_("Kỳ sản phẩm"),
        queryset=Deliverable.objects.none(),
        required=False,
        widget=DeliverableSelect,
        empty_label=_("— theo ngày thực hiện —"),
        help_text=_("Để trống: kết quả được tính vào kỳ chứa ngày thực hiện."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Nội dung tuyên truyền"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants = forms.IntegerField(
        label=_("Số người tham gia"),
        help_text=_("Cuộc thi: người dự thi; khảo sát: người trả lời phiếu; lớp tập huấn, hội nghị: người dự"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    prizes = forms.IntegerField(label=_("Số giải thưởng (cuộc thi)"), min_value=0, required=False)
    broadcasts = forms.IntegerField(label=_("Số lần phát sóng (phát thanh, truyền hình)"), min_value=0, required=False)
    contract_cost = MoneyField(label=_("Giá trị hợp đồng (đồng)"))
    files = EvidenceFilesField(
        label=_("Tệp minh chứng"), help_text=_("PDF, ảnh, Word, Excel, PowerPoint; mỗi tệp tối đa 20 MB.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set once the officer has seen the topics suggested from the title (and kept, changed or cleared them).
    topics_reviewed = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        obligations = (
            Obligation.objects.filter(unit_id=user.unit_id, activity__plan__status=PlanStatus.ACTIVE)
            .select_related("activity__plan")
            .order_by("-activity__plan__year", "activity__order")
        )
        self.fields["obligation"].queryset = obligations
        self.fields["obligation"].label_from_instance = obligation_label
        deliverables = (
            Deliverable.objects.filter(
                obligation__unit_id=user.unit_id, obligation__activity__plan__status=PlanStatus.ACTIVE
            )
            .select_related("obligation__activity")
            .order_by("obligation", "sequence")
        )
        self.fields["deliverable"].queryset = deliverables
        self.fields["deliverable"].label_from_instance = lambda d: (
            f"{d.label} — {_('hoạt động')} {d.obligation.activity.number}"
        )
        self.fields["topics"].queryset = (
            Topic.objects.filter(plan__activities__obligations__unit_id=user.unit_id, plan__status=PlanStatus.ACTIVE)
            .distinct()
            .select_related("plan")
            .order_by("-plan__year", "order")
        )
        self.fields["topics"].label_from_instance = lambda t: f"{t.number}. {t.text[:140]}"

    def suggested_topics(self) -> list:
        """Topics of the obligation's plan the title speaks of, when the officer ticked none and has not yet seen
        a suggestion, and attached no file (a file input cannot be shown again filled in)."""
        data = self.cleaned_data
        if data.get("topics") or data.get("topics_reviewed") or data.get("files") or not data.get("obligation"):
            return []
        plan_id = data["obligation"].activity.plan_id
        return suggest(data.get("title") or "", [t for t in self.fields["topics"].queryset if t.plan_id == plan_id])

    def result_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("topics_reviewed", None)
        for name in ("files", "links", "version"):
            data.pop(name, None)
        data["reach"] = data.get("reach")
        # An empty contract value is "none", not 0 đồng (MoneyField reads empty as 0 for the cost).
        data["contract_cost"] = data.get("contract_cost") or None
        data["audiences"] = list(data.get("audiences") or [])
        return data


def result_initial(result) -> dict:
    return {
        "obligation": result.obligation_id,
        "deliverable": result.deliverable_id,
        "kind": result.kind,
        "title": result.title,
        "occurred_on": result.occurred_on,
        "quantity": result.quantity,
        "quantity_unit": result.quantity_unit,
        "topics": list(result.topics.values_list("pk", flat=True)),
        "audiences": result.audiences,
        "reach": result.reach,
        "cost": f"{result.cost:,.0f}".replace(",", ".") if result.cost else "",
        "funding_source": result.funding_source,
        "participants": result.participants,
        "prizes": result.prizes,
        "broadcasts": result.broadcasts,
        "contract_cost": f"{result.contract_cost:,.0f}".replace(",", ".") if result.contract_cost else "",
        "description": result.description,
        "is_public": result.is_public,
        "version": result.version,
    }


class EvidenceForm(forms.Form):
    files = EvidenceFilesField(
        label=_("Tệp minh chứng"), help_text=_("PDF, ảnh, Word, Excel, PowerPoint; mỗi tệp tối đa 20 MB.")
    )
    links = LinksField(label=_("Đường dẫn minh chứng (mỗi dòng một đường dẫn)"))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("files") and not data.get("links"):
            raise forms.ValidationError(_("Hãy chọn tệp hoặc nhập đường dẫn minh chứng."))
        return data


class ResultFilterForm(forms.Form):
    """Filters of the results list; every field optional, bad values ignored rather than refused."""

    activity = forms.ModelChoiceField(
        label=_("Hoạt động"), queryset=Activity.objects.none(), required=False, empty_label=_("Tất cả")
    )
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
    reference = forms.CharField(
        label=_("Số, ký hiệu văn bản"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "12/KH-UBND"}),
    )
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SubPlanItemForm(VersionForm):
    activity = forms.ModelChoiceField(
        label=_("Thuộc hoạt động của tỉnh"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("— hoạt động riêng, không thuộc mục nào —"),
    )
    title = forms.CharField(label=_("Tên hoạt động"), widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label=_("Cách thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    period_start = DayField(label=_("Bắt đầu"))
    period_end = DayField(label=_("Kết thúc"))
    recurrence_every = forms.ChoiceField(
        label=_("Lặp lại mỗi"), required=False, choices=[("", _("không định kỳ")), *Recurrence.choices]
    )
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
