"""One shape for optimistic locking: ``Versioned`` + ``bump_version`` + ``StaleEdit``, nothing else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

from cchc.lib.versioning import StaleEdit, Versioned, bump_version, keep_input

ROOT = Path(__file__).resolve().parents[2]


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts or path.name == "versioning.py":
            continue
        yield path, path.read_text(encoding="utf-8")


class TestOneShape:
    def test_it_finds_every_model_with_a_version_a_versioned_one(self):
        loose = [
            model._meta.label
            for model in apps.get_models()
            if model.__module__.startswith("cchc.")
            and any(f.name == "version" for f in model._meta.fields)
            and not issubclass(model, Versioned)
        ]
        assert loose == []

    def test_it_finds_no_other_stale_edit_exception_or_hand_made_version_bump(self):
        bump = re.compile(r"version\s*\+=\s*1|version=F\(\"version\"\)|\.version \+ 1|version=version \+ 1")
        problems = []
        for path, text in _sources():
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "id", getattr(base, "attr", "")) in {"ValidationError", "Exception"}
                    for base in node.bases
                ):
                    if re.search(r"stale|editconflict|concurrent", node.name, re.I):
                        problems.append(f"{path.name}: class {node.name}")
            for number, line in enumerate(text.splitlines(), 1):
                if bump.search(line) or 'code="stale"' in line:
                    problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
        assert problems == []


@pytest.mark.django_db
class TestBumpVersion:
    def test_it_moves_the_version_on_and_refuses_an_older_one(self, personas):
        from cchc.portal.actions import do_save_contact

        contact = do_save_contact(
            personas.units.commune_a, {"hotline": "1", "address": "a"}, actor=personas.officer_a, expected_version=None
        )
        bump_version(contact, 1, actor=personas.officer_a)
        assert contact.version == 2 and contact.updated_by == personas.officer_a
        with pytest.raises(StaleEdit) as stale:
            bump_version(type(contact).objects.get(), 1, actor=personas.head_a)
        assert stale.value.current.version == 2
        assert "officer-a" in stale.value.messages[0] and stale.value.code == "stale"

    def test_it_keeps_the_input_and_answers_409(self):
        from django import forms

        class Form(forms.Form):
            title = forms.CharField()

        form = Form({"title": "Bản của tôi"})
        form.is_valid()
        assert keep_input(form, StaleEdit(None)) == 409
        assert form.non_field_errors() and form["title"].value() == "Bản của tôi"
