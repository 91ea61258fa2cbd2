"""Audit action names: one registry with labels; ``record()`` only from actions and the refusal middleware;
one row per refused request."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from cchc.audit.middleware import REFUSED
from cchc.audit.models import AuditEntry
from cchc.audit.registry import ACTIONS, label

ROOT = Path(__file__).resolve().parents[2]


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _record_calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "record":
            yield node


def _names(node) -> list[str]:
    """The action names an argument can take: a literal, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _names(node.body) + _names(node.orelse)
    return []


def _is_view_module(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("_views.py") or path.parent.name == "views"


class TestRegistry:
    def test_it_knows_every_action_name_the_code_records(self):
        unknown = sorted(
            f"{path.relative_to(ROOT)}:{call.lineno} {name}"
            for path, tree in _modules()
            for call in _record_calls(tree)
            if call.args
            for name in _names(call.args[0])
            if name not in ACTIONS
        )
        assert unknown == [] and set(REFUSED.values()) <= set(ACTIONS)

    def test_it_labels_in_vietnamese_and_english(self):
        assert label("plans.create") == "Tạo kế hoạch"
        with translation.override("en"):
            assert label("plans.create") == "Plan created"
        assert label("old.unknown_name") == "old.unknown_name"

    def test_it_finds_no_view_module_that_records(self):
        offenders = sorted(
            f"{path.relative_to(ROOT)}:{call.lineno}"
            for path, tree in _modules()
            if _is_view_module(path)
            for call in _record_calls(tree)
        )
        assert offenders == []


@pytest.mark.django_db
class TestOneRowPerRefusal:
    def test_it_writes_one_row_when_an_observer_is_refused_a_news_post(self, client, personas):
        client.force_login(personas.observer)
        assert client.get(reverse("portal:news_create")).status_code == 403
        assert AuditEntry.objects.filter(action__startswith="access.").count() == 1

    def test_it_writes_one_row_when_an_officer_is_refused_a_desk_decision(self, client, personas):
        from cchc.feedback.tests.factory import make_accepted

        feedback = make_accepted(personas)
        client.force_login(personas.coordinator)
        url = reverse("feedback:decide", args=[feedback.code, "assign"])
        assert client.post(url, {"version": feedback.version}).status_code == 403
        assert AuditEntry.objects.filter(action__startswith="access.").count() == 1

    def test_it_shows_labels_not_codes_on_the_audit_page(self, client, personas):
        client.force_login(personas.observer)
        client.get(reverse("portal:news_create"))
        client.force_login(personas.admin)
        page = client.get(reverse("audit:list")).content.decode()
        assert "Từ chối truy cập" in page and ">access.refused<" not in page
