"""Choice labels looked up, not rebuilt: ``get_FOO_display()`` for the models of cchc's apps.

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` on every call,
which translates every label of the field's choices to show one of them: the unit list's 50 rows paid
550 ``gettext`` calls for 50 labels, a fifth of the page's time. ``install()`` (called once, from
``LibConfig.ready``) gives each such method of cchc's models a map from value to label built once per field
and language, with the same answers: the label in the active language, the value itself when it is not
one of the choices.
"""

from __future__ import annotations

from functools import partialmethod

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


def _display_method(field):
    by_language: dict[str | None, dict] = {}

    def get_display(self):
        value = getattr(self, field.attname)
        language = get_language()
        labels = by_language.get(language)
        if labels is None:
            labels = {make_hashable(v): force_str(label, strings_only=True) for v, label in field.flatchoices}
            by_language[language] = labels
        try:
            return labels[value]
        except (KeyError, TypeError):  # not a choice, or a value a dictionary cannot hold as it is
            return force_str(labels.get(make_hashable(value), value), strings_only=True)

    get_display.__name__ = f"get_{field.name}_display"
    get_display.__doc__ = f"The label of {field.name}'s value in the active language."
    return get_display


def _is_djangos(method) -> bool:
    return isinstance(method, partialmethod) and method.func is models.Model._get_FIELD_display


def install(model_classes) -> int:
    """Replace Django's ``get_FOO_display`` on these models (never one a model wrote itself); returns how many."""
    replaced = 0
    for model in model_classes:
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if field.choices is not None and _is_djangos(model.__dict__.get(name)):
                setattr(model, name, _display_method(field))
                replaced += 1
    return replaced
