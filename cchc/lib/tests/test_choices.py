"""The choice labels' look-up answers as Django's own ``get_FOO_display`` does, in each language."""

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps
from django.utils import translation

from cchc.lib.choices import install
from cchc.orgs.models import Unit, UnitKind


def _fields_with_choices():
    for model in apps.get_models():
        if model.__module__.startswith("cchc."):
            for field in model._meta.concrete_fields:
                if field.choices is not None:
                    yield model, field


def test_every_cchc_choice_field_uses_the_lookup():
    fields = list(_fields_with_choices())
    assert len(fields) > 20
    for model, field in fields:
        method = getattr(model, f"get_{field.name}_display")
        assert method.__module__ == "cchc.lib.choices", (model, field.name)


def test_same_labels_as_django_in_both_languages():
    for model, field in _fields_with_choices():
        values = [value for value, _label in field.flatchoices] + ["not-a-choice", None]
        for language in ("vi", "en"):
            with translation.override(language):
                for value in values:
                    obj = model()
                    setattr(obj, field.attname, value)
                    ours = getattr(obj, f"get_{field.name}_display")()
                    djangos = models.Model._get_FIELD_display(obj, field)
                    assert ours == djangos, (model.__name__, field.name, language, value)


def test_label_follows_the_active_language():
    unit = Unit(kind=UnitKind.COMMUNE_COMMITTEE)
    with translation.override("vi"):
        assert unit.get_kind_display() == "UBND cấp xã"
    with translation.override("en"):
        english = unit.get_kind_display()
    assert english == "Commune People's Committee"
    with translation.override("vi"):
        assert unit.get_kind_display() == "UBND cấp xã"


@isolate_apps("cchc.lib")
def test_a_method_the_model_wrote_itself_is_kept():
    class Custom(models.Model):
        state = models.CharField(max_length=5, choices=[("a", "A")])

        def __str__(self):
            return self.state

        def get_state_display(self):
            return "mine"

    assert install([Custom]) == 0
    assert Custom(state="a").get_state_display() == "mine"
