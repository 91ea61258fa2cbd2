"""The rooms of DESIGN.md import one way: ``lib`` imports no app, and an app imports only rooms below it.

Ranks follow DESIGN.md's "Rooms" list, with the rooms it leaves out placed where their imports put them
(privacy below feedback, which registers with it; ops, api and demo on top). ``audit`` sits just above
``lib`` because every action, orgs' included, writes to it. The one exception: a page module (views,
urls, admin) may import ``accounts``, whose ``role_required`` guards every door — so audit's own pages can
be guarded although accounts writes to the audit log.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RANK = {
    "lib": 0,
    "audit": 1,
    "orgs": 2,
    "accounts": 3,
    "privacy": 4,
    "plans": 5,
    "procedures": 5,
    "execution": 6,
    "feedback": 6,
    "reports": 7,
    "dashboards": 8,
    "portal": 9,
    "ops": 10,
    "api": 10,
    "demo": 10,
}
PAGE_MODULES = ("views.py", "urls.py", "admin.py")


def imported_rooms(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "cchc" and len(parts) > 1 and parts[1] in RANK:
                yield parts[1], node.lineno


def backward_imports(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if len(parts) < 2 or parts[0] not in RANK or "tests" in parts or "migrations" in parts:
            continue
        room = parts[0]
        page = path.name in PAGE_MODULES or path.name.endswith("_views.py")
        for other, line in imported_rooms(path):
            if other == room or (page and other == "accounts"):
                continue
            if room == "lib" or RANK[other] >= RANK[room]:
                found.append(f"{path.relative_to(root)}:{line} imports cchc.{other}")
    return found


def test_it_knows_every_room():
    rooms = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists() or p.name == "lib"}
    assert rooms - {"locale", "templates"} <= set(RANK)


def test_it_finds_no_import_that_runs_the_wrong_way():
    assert backward_imports() == []


def test_it_would_see_a_backward_import(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "text.py").write_text("from cchc.plans.models import Plan\n")
    (tmp_path / "orgs").mkdir()
    (tmp_path / "orgs" / "views.py").write_text("from cchc.plans.models import Obligation\nimport cchc.accounts\n")
    assert backward_imports(tmp_path) == [
        "lib/text.py:1 imports cchc.plans",
        "orgs/views.py:1 imports cchc.plans",
    ]
