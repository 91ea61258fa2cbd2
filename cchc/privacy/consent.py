"""Consent on forms that collect personal data, for every app's forms to use.

Where consent is the legal basis (``LegalBasis.CONSENT``), the form shows an unticked box stating the
purpose; the person ticks it themselves. The law forbids a default "yes" (a pre-ticked box, a box that
comes back ticked from the server): ``ConsentField`` never renders ticked unless the person ticked it in
the data they just sent.

    class FeedbackForm(ConsentFormMixin, forms.ModelForm):
        consent = ConsentField(
            purpose="feedback.contact",
            statement=_("Tôi đồng ý để cơ quan dùng số điện thoại, thư điện tử của tôi để trả lời phản ánh này."),
        )

    # in the view, after saving the object that holds the data:
    form.record_consents(feedback, actor=None)

    {# in the template, above the fields: #}
    {% include "privacy/notice.html" with purpose=_("Tiếp nhận, trả lời phản ánh") legal_basis="consent" %}
    {{ form.consent }} <label for="{{ form.consent.id_for_label }}">{{ form.consent.label }}</label>

``required=True`` (the default) means the form cannot be sent without it — use that when the data
cannot be processed without consent; ``required=False`` for an optional use (e.g. being contacted for a
satisfaction survey), and ``record_consents`` records only what was ticked.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cchc.privacy.actions import do_record_consent


class ConsentCheckbox(forms.CheckboxInput):
    """A checkbox that is ticked only when the submitted data ticked it — never by an initial value."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if not getattr(self, "_bound", False):
            context["widget"]["attrs"].pop("checked", None)
        return context


class ConsentField(forms.BooleanField):
    widget = ConsentCheckbox

    def __init__(self, *, purpose: str, statement, required: bool = True, **kwargs):
        kwargs.pop("initial", None)  # no pre-ticked box, whatever the caller passes
        kwargs.setdefault("label", statement)
        kwargs.setdefault("error_messages", {"required": _("Cần bạn đồng ý với nội dung này để gửi biểu mẫu.")})
        super().__init__(required=required, initial=False, **kwargs)
        self.purpose = purpose
        self.statement = statement


class ConsentFormMixin:
    """Keeps consent boxes unticked on a fresh form and records the consents that were given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.consent_fields():
            self.initial.pop(name, None)
            field.initial = False
            field.widget._bound = self.is_bound

    def consent_fields(self):
        return [(name, field) for name, field in self.fields.items() if isinstance(field, ConsentField)]

    def record_consents(self, subject, *, actor=None) -> list:
        """One ``ConsentRecord`` per ticked box, for the saved object ``subject`` that holds the data."""
        records = []
        for name, field in self.consent_fields():
            if self.cleaned_data.get(name):
                records.append(
                    do_record_consent(
                        subject,
                        purpose=field.purpose,
                        statement=str(field.statement),
                        notice_version=settings.PRIVACY_NOTICE_VERSION,
                        actor=actor,
                    )
                )
        return records
