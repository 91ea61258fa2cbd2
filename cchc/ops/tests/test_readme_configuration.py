"""The README's configuration table names every variable settings.py reads, once, and nothing else (issue 14,
item 10: rows had strayed below another section, one was listed twice, one named a setting that no longer exists)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READ = re.compile(r"\benv(?:str|int|bool|list|rate)\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")


def _table() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return "\n".join(row.split(" | ", 1)[0] for row in rows)  # the first column only


def test_it_lists_every_variable_settings_reads():
    read = set(READ.findall((ROOT / "cchc" / "settings.py").read_text(encoding="utf-8")))
    listed = re.findall(r"`([A-Z][A-Z0-9_]*)`", _table())
    assert not sorted(read - set(listed)), "settings.py reads variables the README does not list"
    assert not sorted(set(listed) - read), "the README lists variables settings.py does not read"
    assert len(listed) == len(set(listed)), "a variable is listed twice"


def test_no_configuration_row_sits_outside_the_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    outside = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[1]
    assert not re.search(r"^\| `[A-Z][A-Z0-9_]*`", outside, re.MULTILINE)
