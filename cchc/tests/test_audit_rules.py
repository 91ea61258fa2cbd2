"""Who writes to the audit log (issue 17, item 3): ``record()`` is called from actions and from the refusal
middleware, never from a view: a view calls one action, which writes its row, and a refused request is
recorded once, by the middleware (a view that also recorded it wrote two rows for one refusal)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def view_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and (path.name == "views.py" or path.parent.name == "views")
    )


def record_calls(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "record":
                lines.append(node.lineno)
    return lines


def test_it_finds_the_views():
    assert len(view_modules()) >= 10


def test_no_view_calls_record():
    calls = {path.relative_to(ROOT.parent).as_posix(): record_calls(path) for path in view_modules()}
    calls = {name: lines for name, lines in calls.items() if lines}
    assert not calls, f"views write audit rows themselves (call an action instead): {calls}"


def test_no_view_imports_record():
    imports = []
    for path in view_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and any(alias.name == "record" for alias in node.names):
                imports.append(path.relative_to(ROOT.parent).as_posix())
    assert not imports, imports
