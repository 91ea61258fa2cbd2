"""Forms of the plan screens: uploading a plan document and correcting what was read from it."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.orgs.resolve import NONE, Match, Resolver
from cchc.plans.imports import CONFIRMED, RegistryOptions, set_match
from cchc.plans.models import PLAN_HEADER_FIELDS, AgencyRole, CountingRule, Recurrence

DOCUMENT_TYPES = ".docx,.doc,.odt,.rtf,.md,.txt,.pdf"


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    """dd/mm/yyyy typed as text: a browser's date picker shows its own locale's order (mm/dd on an English
    system), which on a Vietnamese plan is a mistake waiting to happen."""

    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 10, **(attrs or {})}, format="%d/%m/%Y"
        )


def date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Ngày phải viết theo dạng dd/mm/yyyy, ví dụ 30/06/2024.")},
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kế hoạch"),
        help_text=_("Văn bản .docx, .doc, .odt, .rtf, .md, .txt hoặc .pdf (kể cả bản quét), tối đa 20 MB."),
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
            "signer_name": signer.get("name"),
            "signer_title": signer.get("title"),
        }

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "year": data["year"],
            "issuer": data["issuer"].strip(),
            "number": data["number"].strip() or None,
            "symbol": data["symbol"].strip() or None,
            "place": data["place"].strip() or None,
            "issued_on": _iso(data["issued_on"]),
            "signer": (
                {"name": data["signer_name"].strip() or None, "title": data["signer_title"].strip() or None}
                if data["signer_name"] or data["signer_title"]
                else None
            ),
            "audience": data["audience"].strip() or None,
        }


ONE_A_LINE = _("Mỗi ý một dòng.")


def lines_field(label, help_text=ONE_A_LINE, rows: int = 6) -> forms.CharField:
    """A list edited as a textarea, one item a line (simple, and robust to pasting from Word)."""
    widget = forms.Textarea(attrs={"rows": rows})
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ListsForm(forms.Form):
    """Objectives, requirements and recipients: one item a line."""

    objectives = lines_field(_("Mục đích"))
    requirements = lines_field(_("Yêu cầu"))
    recipients = lines_field(_("Nơi nhận"), _("Mỗi nơi nhận một dòng, kể cả dòng “Lưu”."))

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
    recurrence_every = forms.ChoiceField(
        label=_("Lặp lại mỗi"), required=False, choices=[("", _("không lặp lại")), *Recurrence.choices]
    )
    recurrence_count = forms.IntegerField(label=_("Số lượng mỗi kỳ"), required=False, min_value=1, max_value=10000)
    recurrence_unit = forms.CharField(label=_("Đơn vị tính"), required=False, max_length=50)
    funding = forms.CharField(label=_("Kinh phí"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def initial_from(activity: dict) -> dict:
        period = activity.get("period") or {}
        recurrence = activity.get("recurrence") or {}
        return {
            "title": activity.get("title"),
            "funding": activity.get("funding"),
            "period_start": _date(period.get("start")),
            "period_end": _date(period.get("end")),
            "recurrence_every": recurrence.get("every") or "",
            "recurrence_count": recurrence.get("count"),
            "recurrence_unit": recurrence.get("unit"),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if bool(start) != bool(end):
            raise forms.ValidationError(
                _("Hãy nhập cả ngày bắt đầu và ngày kết thúc, hoặc để trống cả hai (hoạt động không có thời hạn).")
            )
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
            if data["period_start"]
            else None,
            "recurrence": {
                "every": every,
                "count": data["recurrence_count"] or 1,
                "unit": data["recurrence_unit"].strip() or None,
            }
            if every
            else None,
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
        self.fields["match"].widget.attrs.update(
            {
                "list": "registry-options",
                "aria-label": _("Đơn vị trong danh mục"),
                "placeholder": _("gõ để tìm trong danh mục"),
                "autocomplete": "off",
            }
        )
        if "DELETE" in self.fields:
            self.fields["DELETE"].widget.attrs["aria-label"] = _("Bỏ cơ quan này")

    def clean_match(self) -> str:
        label = self.cleaned_data["match"].strip()
        if label and label not in self.options.by_label:
            raise forms.ValidationError(
                _(
                    "Không có “%(label)s” trong danh mục đơn vị năm %(year)s. Hãy chọn trong danh sách gợi ý, hoặc "
                    "để trống nếu cơ quan này không có trong danh mục."
                )
                % {"label": label, "year": self.year}
            )
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
                set_match(
                    agency, Match(unit=None if is_group else target, group=target if is_group else None), CONFIRMED
                )
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


AgencyFormSet = forms.formset_factory(
    AgencyForm, formset=BaseAgencyFormSet, extra=1, can_delete=True, max_num=60, validate_max=True
)


# --- the plan editor ----------------------------------------------------------------------------------


class EditForm(forms.Form):
    """What every form of the plan editor carries: the version it was loaded at and, on an active plan,
    why it is changed (the amendment's reason, kept in the plan's history and told to the agencies)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Lý do sửa đổi"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi sửa kế hoạch đang thực hiện: sửa đổi được lưu thành phiên bản mới."),
    )


class PlanHeaderForm(EditForm, HeaderForm):
    @staticmethod
    def initial_from_plan(plan) -> dict:
        return {
            **{name: getattr(plan, name) for name in ("title", "year", "issuer", "number", "symbol", "place")},
            "issued_on": plan.issued_on,
            "signer_name": plan.signer_name,
            "signer_title": plan.signer_title,
            "audience": plan.audience,
            "expected_version": plan.version,
        }

    def columns(self) -> dict:
        data = self.cleaned_data
        return {k: (data[k].strip() if isinstance(data[k], str) else data[k]) for k in PLAN_HEADER_FIELDS}


class PlanContentForm(EditForm, ListsForm):
    """The plan's lists, each a textarea with one item a line: the import review's, and legal bases, topics
    and duties."""

    legal_bases = lines_field(
        _("Căn cứ"),
        _("Mỗi căn cứ một dòng: loại văn bản | số, ký hiệu | ngày (dd/mm/yyyy) | cơ quan ban hành | trích yếu."),
    )
    topics = lines_field(
        _("Nội dung tuyên truyền"),
        _("Mỗi nội dung một dòng, bắt đầu bằng số (“1. …”); các ý của nội dung ở các dòng sau, bắt đầu bằng “-”."),
        rows=10,
    )
    duties = lines_field(_("Tổ chức thực hiện"), _("Mỗi nhiệm vụ một dòng."))
    field_order = ["legal_bases", "objectives", "requirements", "topics", "duties", "recipients"]

    @staticmethod
    def initial_from_plan(plan) -> dict:
        topics = []
        for topic in plan.topics.all():
            topics.append(f"{topic.number}. {topic.text}")
            topics += [f"- {item}" for item in topic.items]
        return {
            "legal_bases": "\n".join(_basis_line(b) for b in plan.legal_bases),
            "objectives": "\n".join(plan.objectives),
            "requirements": "\n".join(plan.requirements),
            "topics": "\n".join(topics),
            "duties": "\n".join(d.get("text", "") if isinstance(d, dict) else str(d) for d in plan.duties),
            "recipients": "\n".join(plan.recipients),
            "expected_version": plan.version,
        }

    def clean_legal_bases(self) -> list[dict]:
        out = []
        for n, line in enumerate(self.cleaned_data["legal_bases"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + [""] * 5
            kind, number, day, issuer, title = parts[:5]
            date = None
            if day:
                try:
                    date = dt.datetime.strptime(day, "%d/%m/%Y").date().isoformat()
                except ValueError:
                    raise forms.ValidationError(
                        _("Dòng %(n)s: ngày “%(d)s” phải viết theo dạng dd/mm/yyyy.") % {"n": n, "d": day}
                    ) from None
            if "|" not in line:  # a line without separators: all of it is the title
                kind, number, date, issuer, title = "", "", None, "", line.strip()
            out.append({"kind": kind, "number": number, "date": date, "issuer": issuer, "title": title})
        return out

    def clean_topics(self) -> list[dict]:
        topics: list[dict] = []
        for n, line in enumerate(self.cleaned_data["topics"].splitlines(), 1):
            text = line.strip()
            if not text:
                continue
            if text[0] in "-+•":
                if not topics:
                    raise forms.ValidationError(
                        _("Dòng %(n)s: ý “%(t)s” đứng trước mọi nội dung; hãy viết nội dung trước.")
                        % {"n": n, "t": text[:60]}
                    )
                topics[-1]["items"].append(text.lstrip("-+• ").strip())
                continue
            m = re.match(r"^(\d+)[.)]\s*(.*)$", text)
            number, body = (m.group(1), m.group(2)) if m else (str(len(topics) + 1), text)
            topics.append({"number": number, "text": body, "items": []})
        numbers = [t["number"] for t in topics]
        if len(numbers) != len(set(numbers)):
            raise forms.ValidationError(_("Hai nội dung tuyên truyền trùng số thứ tự."))
        return topics

    def values(self, plan) -> dict:
        data = self.cleaned_data
        previous = {d.get("text"): d for d in plan.duties if isinstance(d, dict)}
        duties = [
            {"text": text, "agencies": (previous.get(text) or {}).get("agencies") or []}
            for text in _lines(data["duties"])
        ]
        return {
            "legal_bases": data["legal_bases"],
            "objectives": _lines(data["objectives"]),
            "requirements": _lines(data["requirements"]),
            "topics": data["topics"],
            "duties": duties,
            "recipients": _lines(data["recipients"]),
        }


def _basis_line(basis) -> str:
    if not isinstance(basis, dict):
        return str(basis)
    day = _date(basis.get("date"))
    parts = [
        basis.get("kind") or "",
        basis.get("number") or "",
        day.strftime("%d/%m/%Y") if day else "",
        basis.get("issuer") or "",
        basis.get("title") or "",
    ]
    return " | ".join(parts)


# The activity's columns the editor changes (the action takes the same names).
ACTIVITY_COLUMNS = (
    "number",
    "title",
    "content",
    "period_start",
    "period_end",
    "recurrence_every",
    "recurrence_count",
    "recurrence_unit",
    "counting",
    "funding",
    "funding_amount",
)


class PlanActivityForm(EditForm, ActivityForm):
    """An activity in the editor: the import review's fields and its number, content, counting rule and
    funding amount."""

    number = forms.CharField(label=_("Số thứ tự"), max_length=10)
    content = lines_field(_("Nội dung"), rows=5)
    counting = forms.ChoiceField(label=_("Kết quả được tính"), choices=CountingRule.choices)
    funding_amount = forms.DecimalField(
        label=_("Kinh phí (đồng)"), required=False, min_value=0, max_digits=16, decimal_places=0
    )

    field_order = [*ACTIVITY_COLUMNS, "reason", "expected_version"]

    @staticmethod
    def initial_from_activity(activity, plan) -> dict:
        if activity is None:
            return {"counting": CountingRule.LEAD_COORDINATE, "expected_version": plan.version}
        values = {name: getattr(activity, name) for name in ACTIVITY_COLUMNS}
        return {**values, "content": "\n".join(activity.content or []), "expected_version": plan.version}

    def columns(self) -> dict:
        data = self.cleaned_data
        every = data["recurrence_every"]
        return {
            "number": data["number"].strip(),
            "title": data["title"].strip(),
            "content": _lines(data["content"]),
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "recurrence_every": every,
            "recurrence_count": (data["recurrence_count"] or 1) if every else None,
            "recurrence_unit": data["recurrence_unit"].strip() if every else "",
            "funding": data["funding"].strip(),
            "funding_amount": data["funding_amount"],
            "counting": data["counting"],
        }


class EditorAgencyForm(AgencyForm):
    """An agency row of the editor: the search box asks the server (accent-insensitive) as one types."""

    reviewed = forms.BooleanField(label=_("Đã rà soát"), required=False)

    def __init__(self, *args, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        datalist = f"{self.prefix}-options"
        self.fields["match"].widget.attrs.update(
            {
                "list": datalist,
                "hx-get": search_url,
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{datalist}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )

    def agency(self, previous, resolver):
        agency = super().agency(previous, resolver)
        agency["reviewed"] = self.cleaned_data.get("reviewed", False)
        return agency


EditorAgencyFormSet = forms.formset_factory(
    EditorAgencyForm, formset=BaseAgencyFormSet, extra=2, can_delete=True, max_num=60, validate_max=True
)
