"""The search page's filter counts are those of the results shown (issue 14, item 8): a filter offered
after a search never leads to "Không tìm thấy", on the demo catalogue and on the 2,642 real records."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from cchc.procedures.testing import demo_records, import_records

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="([^"]+)"(?: selected)?>([^<]+) \((\d+)\)</option>')


def offered(body: str, name: str) -> list[tuple[str, int]]:
    """The values of the select ``name`` with their counts."""
    select = re.search(rf'<select name="{name}">(.*?)</select>', body, re.S).group(1)
    return [(html.unescape(value), int(n)) for value, _label, n in OPTION.findall(select)]


def result_count(body: str) -> int:
    match = re.search(r'class="muted result-count">(\d+)', body)
    return int(match.group(1)) if match else 0


def search(client, htmx: bool = False, **params) -> str:
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"} if htmx else {}
    response = client.get(reverse("procedures:search"), params, **headers)
    assert response.status_code == 200
    return response.content.decode()


class TestOnTheDemoCatalogue:
    @pytest.fixture(autouse=True)
    def demo(self):
        import_records(demo_records())

    def test_the_start_page_counts_the_catalogue(self, client):
        fields = dict(offered(search(client), "field"))
        assert fields["Hộ tịch"] == 12

    def test_after_a_search_the_filters_count_its_results(self, client):
        body = search(client, q="cap giay phep xay dung")
        fields = dict(offered(body, "field"))
        assert "Hộ tịch" not in fields
        assert sum(fields.values()) == result_count(body) == 2

    def test_the_live_search_brings_its_filters_out_of_band(self, client):
        # The page was loaded on the catalogue's counts ("Hộ tịch (12)"); typing a query replaces the results
        # and, out of band, the filters' options: the catalogue's counts are gone.
        body = search(client, htmx=True, q="cap giay phep xay dung")
        assert "<html" not in body and 'id="filters" hx-swap-oob="innerHTML"' in body
        assert "Hộ tịch" not in dict(offered(body, "field"))
        for value, n in offered(body, "field"):
            assert result_count(search(client, q="cap giay phep xay dung", field=value)) == n

    def test_the_value_chosen_stays_offered(self, client):
        body = search(client, q="cap giay phep xay dung", field="Hộ tịch")
        assert "Không tìm thấy thủ tục nào." in body
        assert dict(offered(body, "field")) == {"Hộ tịch": 0}


def test_counts_are_written_with_the_vietnamese_thousands_separator(rf):
    from django.template.loader import render_to_string

    from cchc.procedures.views import FacetCount

    facets = {"field": [FacetCount("Hộ tịch", "Hộ tịch", 1800)], "level": [], "online": [], "agency": []}
    context = {"searched": True, "browsing": True, "total": 1800, "facets": facets, "request": rf.get("/")}
    assert "1.800 thủ tục" in render_to_string("procedures/_results.html", context)
    assert "Hộ tịch (1.800)" in render_to_string("procedures/_filters.html", context)
    assert "(1800)" not in render_to_string("procedures/_filters.html", context)
