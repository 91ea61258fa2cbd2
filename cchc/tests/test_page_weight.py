"""Light public pages (issue 18, item 4): what a first visit transfers — HTML, CSS, JavaScript, fonts,
images — measured in Chromium with the Resource Timing API, at most 250 kB per public page.

The test server sends files uncompressed; production (WhiteNoise, ``cchc collectstatic``) sends them
compressed with far-future cache headers on the hashed names, so these figures are an upper bound.
The figures are written to ``test-artifacts/page-weights.json``.
"""

from __future__ import annotations

import json
import re

import pytest

from cchc.browser import ARTIFACTS, browser_page
from cchc.tests.test_access_matrix import build_world, pages_of

LIMIT = 250 * 1024
WEIGHT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const parts = performance.getEntriesByType('resource').map(r => [r.name, r.transferSize || r.encodedBodySize]);
  return {html: nav ? (nav.transferSize || nav.encodedBodySize) : 0, parts: parts};
}"""


@pytest.mark.long
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_public_page_weighs_at_most_250_kb_on_a_first_visit(live_server):
    w = build_world()
    weights, heavy = {}, []
    urls = [u for u in pages_of("anonymous", w) if not re.search(r"\.(xlsx|docx|pdf|csv|json|xml)(\?|$)|/feed/", u)]
    urls = [u for u in urls if not u.startswith(("/api/", "/healthz", "/readyz", "/open311/"))]
    assert len(urls) >= 10
    for url in urls:
        with browser_page() as page:  # a new browser context each time, with its own empty cache: a first visit
            response = page.goto(live_server.url + url)
            if response is None or response.status != 200:
                continue
            page.wait_for_load_state("load")
            measured = page.evaluate(WEIGHT)
        total = measured["html"] + sum(size for _name, size in measured["parts"])
        weights[url] = {"total_bytes": total, "html_bytes": measured["html"], "files": len(measured["parts"])}
        if total > LIMIT:
            heavy.append(f"{url}: {total / 1024:.0f} kB")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weights.json").write_text(json.dumps(weights, indent=2), encoding="utf-8")
    assert not heavy, "public pages over 250 kB on a first visit:\n" + "\n".join(heavy)
