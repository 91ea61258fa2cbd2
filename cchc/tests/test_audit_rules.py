"""Who writes to the audit log (issue 17, item 3): ``record()`` is called from actions and from the refusal
middleware, never from a view: a view calls one action, which writes its row, and a refused request is
recorded once, by the middleware (a view that also recorded it wrote two rows for one refusal).

An action is a ``do_*`` function, or a private helper in an ``actions.py`` module that those functions call.
Commands, signal receivers, middleware and models call an action rather than ``record()`` itself."""

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


# The refusal middleware records refused requests (one row per refusal); record() is defined in audit/actions.py.
REFUSAL_MIDDLEWARE = ROOT / "audit" / "middleware.py"


def source_modules() -> list[Path]:
    return sorted(path for path in ROOT.rglob("*.py") if not {"tests", "migrations"} & set(path.parts))


def record_calls_outside_actions(path: Path) -> list[str]:
    """``record()`` calls in ``path`` that are not inside a ``do_*`` function (any call, in an ``actions.py``
    module, is allowed: its private helpers serve its actions)."""
    if path.name == "actions.py" or path == REFUSAL_MIDDLEWARE:
        return []
    found = []

    def walk(node: ast.AST, functions: tuple[str, ...]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                walk(child, (*functions, child.name))
                continue
            if isinstance(child, ast.Call):
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if name == "record" and not any(f.startswith("do_") for f in functions):
                    found.append(f"{child.lineno} in {'.'.join(functions) or 'the module'}")
            walk(child, functions)

    walk(ast.parse(path.read_text(encoding="utf-8")), ())
    return found


def test_record_is_called_only_by_actions_and_the_refusal_middleware():
    calls = {path.relative_to(ROOT.parent).as_posix(): record_calls_outside_actions(path) for path in source_modules()}
    calls = {name: lines for name, lines in calls.items() if lines}
    assert not calls, f"audit rows written outside an action (call a do_* action instead): {calls}"


def test_the_rule_sees_a_call_outside_an_action(tmp_path):
    module = tmp_path / "signals.py"
    module.write_text(
        "def _logged_in(user):\n    record('accounts.login', user)\n\ndef do_note(user):\n    record('x', user)\n",
        encoding="utf-8",
    )
    assert record_calls_outside_actions(module) == ["2 in _logged_in"]


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
