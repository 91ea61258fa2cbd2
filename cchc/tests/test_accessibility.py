"""Accessibility, WCAG 2.1 A and AA, checked by axe-core on every page of every role (issue 18, item 3).

The pages are those of the URL × role matrix (``cchc/<app>/tests/access.py``): every pattern whose GET
answers a role with 200 and HTML is opened in Chromium, signed in as that role (a test client's session),
and axe-core runs over it, once for each structure (``structure()``): a page that another role, or another
address, showed with the same elements and attributes gets the same verdict and is not opened again.
axe-core comes from the npm registry for the tests only, never served:
``npm install --prefix var/node --no-save axe-core@4.14.1`` (``.ci/run`` does it). Without it the test is
skipped on a developer's machine and fails in CI.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cchc.browser import browser_page, use_session
from cchc.tests.matrix import ROLES
from cchc.tests.test_access_matrix import build_world, pages_of, signed_in_client
from cchc.tests.test_english import VOID

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
        """async (tags) => JSON.stringify((await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations)""",
        TAGS,
    )
    return json.loads(result)


def describe(violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        out.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return out


# Attributes whose value changes from page to page (addresses, times, tokens) without changing what axe-core
# decides: only whether they are there and filled counts. An in-page link's target counts whole (the skip link).
VARYING = {"href", "action", "src", "value", "datetime", "content", "hx-get", "hx-post", "hx-vals", "data-url", "nonce"}


class _Structure(HTMLParser):
    """A page's elements with their attributes and whether they hold text, the text itself left out; the
    site header apart, without ``aria-current`` (which only says where in the menu the page is)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page: list[str] = []
        self.header: list[str] = []
        self.depth = 0
        self.header_depth: int | None = None

    def _out(self) -> list[str]:
        return self.header if self.header_depth is not None else self.page

    def handle_starttag(self, tag, attrs):
        if tag == "header" and self.header_depth is None and "site-header" in (dict(attrs).get("class") or ""):
            self.header_depth = self.depth
        keep = []
        for name, value in sorted(attrs, key=lambda a: a[0]):
            value = value or ""
            if name == "aria-current" and self.header_depth is not None:
                continue
            keep.append(
                f"{name}{'+' if value else ''}" if name in VARYING and not value.startswith("#") else f"{name}={value}"
            )
        self._out().append(f"{self.depth}<{tag} {' '.join(keep)}>")
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.depth -= 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.depth -= 1
        if self.header_depth is not None and self.depth == self.header_depth:
            self.header.append("</header>")
            self.header_depth = None

    def handle_data(self, data):
        if data.strip():
            out = self._out()
            if out and not out[-1].endswith("T"):
                out[-1] += "T"


def structure(html: str) -> tuple[str, str]:
    """(the page's key, its site header's key)."""
    parser = _Structure()
    parser.feed(html)
    return "\n".join(parser.page), "\n".join(parser.header)


def _to_check(w, chunk: int, clients: dict) -> dict[str, list[str]]:
    """Each role's pages in this chunk whose structure no role before showed (from the server's HTML, fetched
    with the test client: a tenth of the time Chromium takes to open a page)."""
    seen: set[str] = set()
    out: dict[str, list[str]] = {}
    for role in ROLES:
        client = clients[role]
        for url in pages_of(role, w):
            if _chunk(url) != chunk:
                continue
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue  # a file (Excel template, export) or a redirect: not a page axe can look at
            if getattr(response, "streaming", False):
                continue
            page, header = structure(response.content.decode("utf-8", "replace"))
            new = {"page:" + page, "header:" + header} - seen
            if new:
                seen |= new
                out.setdefault(role, []).append(url)
    return out


CHUNKS = 2


def _chunk(url: str) -> int:
    """Pages split by their address with the numbers taken out: one page of every role in the same chunk."""
    return zlib.crc32(re.sub(r"\d+", "", url).encode()) % CHUNKS


@pytest.mark.long
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_page_of_every_role_has_no_wcag_a_or_aa_violation(live_server, chunk):
    source = axe_source()
    w = build_world()
    problems: dict[str, str] = {}
    checked = 0
    clients = {role: signed_in_client(role, w) for role in ROLES}  # one sign-in per role: pre-pass and Chromium
    for role, urls in _to_check(w, chunk, clients).items():
        with browser_page() as page:
            # axe is injected through DevTools, into every page as it opens: the page's own CSP is not loosened.
            page.add_init_script(source)
            if role != "anonymous":
                use_session(page, live_server.url, clients[role])
            for url in urls:
                response = page.goto(live_server.url + url)  # an HTML page: files were left out by _to_check
                if response is None or response.status != 200:
                    continue
                if not page.evaluate("() => document.doctype !== null"):
                    continue  # an htmx fragment (search suggestions, a table's rows), shown inside its page
                checked += 1
                for line in describe(run_axe(page, source)):
                    problems.setdefault(line, f"{url} as {role}")
    print(f"chunk {chunk}: {checked} pages checked")
    assert checked > 20, f"only {checked} pages checked"
    lines = [f"{line}  ({where})" for line, where in sorted(problems.items())]
    assert not lines, f"{len(lines)} accessibility violations:\n  " + "\n  ".join(lines)


def test_two_roles_seeing_the_same_page_share_a_structure_and_a_button_more_is_another():
    page = """<!doctype html><html lang="vi"><body><header class="site-header"><nav>
        <a href="/a/" aria-current="page">A</a><a href="/b/">B</a></nav></header>
        <main id="main"><h1>{title}</h1><a href="/plans/{pk}/">Xem</a>{extra}</main></body></html>"""
    one = structure(page.format(title="Kế hoạch 2024", pk=1, extra=""))
    same = structure(page.format(title="Kế hoạch 2025", pk=7, extra=""))
    more = structure(page.format(title="Kế hoạch 2024", pk=1, extra="<button>Sửa</button>"))
    empty_heading = structure(page.format(title="", pk=1, extra=""))
    assert one == same
    assert one[0] != more[0] and one[1] == more[1]
    assert empty_heading[0] != one[0]
    moved = structure(
        page.format(title="A", pk=1, extra="")
        .replace('aria-current="page"', "")
        .replace('<a href="/b/">', '<a href="/b/" aria-current="page">')
    )
    assert moved[1] == one[1], "the menu's key does not depend on where the page is in it"
    assert (
        structure(page.format(title="A", pk=1, extra='<a href="#main">x</a>'))[0]
        != structure(page.format(title="A", pk=1, extra='<a href="#nowhere">x</a>'))[0]
    )
