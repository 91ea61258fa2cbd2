"""Accessibility, WCAG 2.1 A and AA, checked by axe-core on every page of every role (issue 18, item 3).

The pages are those of the URL × role matrix (``cchc/<app>/tests/access.py``): every pattern whose GET
answers a role with 200 and HTML is opened in Chromium, signed in as that role through the log-in form,
and axe-core runs over it. axe-core comes from the npm registry for the tests only, never served:
``npm install --prefix var/node --no-save axe-core@4.14.1`` (``.ci/run`` does it). Without it the test is
skipped on a developer's machine and fails in CI.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from cchc.browser import browser_page, log_in
from cchc.testing import PASSWORD
from cchc.tests.matrix import ROLES
from cchc.tests.test_access_matrix import build_world, pages_of

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("CCHC_AXE", ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"))
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core is missing at {AXE} (npm install --prefix var/node --no-save axe-core@4.14.1)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def run_axe(page, source: str) -> list[dict]:
    """axe-core's violations on the page as it is now (injected through DevTools, so the CSP stays on)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result = page.evaluate(
        "async (tags) => JSON.stringify(await axe.run(document, {runOnly: {type: 'tag', values: tags}}))", TAGS
    )
    return json.loads(result)["violations"]


def describe(violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        out.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return out


@pytest.mark.long
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_has_no_wcag_a_or_aa_violation(live_server, role):
    source = axe_source()
    w = build_world()
    problems: dict[str, str] = {}
    with browser_page() as page:
        # axe is injected through DevTools: the page's own CSP is not loosened.
        if role != "anonymous":
            log_in(page, live_server.url, getattr(w.personas, role).username, PASSWORD)
        for url in pages_of(role, w):
            try:
                response = page.goto(live_server.url + url)
            except PlaywrightError as err:
                if "Download is starting" in str(err):
                    continue  # a file (Excel template, export), not a page
                raise
            if response is None or response.status != 200:
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            if not page.evaluate("() => document.doctype !== null"):
                continue  # an htmx fragment (search suggestions, a table's rows), shown inside its page
            for line in describe(run_axe(page, source)):
                problems.setdefault(line, f"{url} as {role}")
    lines = [f"{line}  ({where})" for line, where in sorted(problems.items())]
    assert not lines, f"{len(lines)} accessibility violations:\n  " + "\n  ".join(lines)
