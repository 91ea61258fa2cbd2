"""Choosing a unit: a search box instead of a dropdown of hundreds of names.

``UnitChoiceField`` is a ``ModelChoiceField`` whose choices read as ``Unit.label`` (two wards named "Tây Sơn" are
told apart by their former district) and whose widget, ``UnitPicker``, is a plain ``<select>`` that
``cchc/unit-picker.js`` turns into a search box asking ``orgs:search`` (accent-insensitive: "tay son" finds
"Tây Sơn"). Without JavaScript the ``<select>`` still works.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class UnitPicker(forms.Select):
    def __init__(self, attrs=None, *, include_closed: bool = False):
        super().__init__(attrs)
        self.include_closed = include_closed

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse("orgs:search") + ("?all=1" if self.include_closed else "")
        context["widget"]["attrs"].update(
            {
                "data-unit-picker": url,
                "data-placeholder": str(_("Gõ vài chữ của tên đơn vị, ví dụ “tay son pleiku”")),
                "data-none": str(_("Không tìm thấy đơn vị nào.")),
                "data-hint": str(_("Dùng phím mũi tên để chọn, Enter để xác nhận.")),
            }
        )
        return context


class UnitChoiceField(forms.ModelChoiceField):
    widget = UnitPicker

    def __init__(self, queryset, *, include_closed: bool = False, **kwargs):
        kwargs.setdefault("widget", UnitPicker(include_closed=include_closed))
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj) -> str:
        return obj.label
