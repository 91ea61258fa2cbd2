"""Templates ask ``can_*`` permissions; they never compare the user's role themselves."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROLE_TEST = re.compile(r"user\.role\s*(==|!=|\bin\b|\bnot in\b)")


def test_it_finds_no_template_that_compares_the_users_role():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_TEST.search(line)
    ]
    assert found == []
