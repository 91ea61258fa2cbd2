"""The realistic queries of data/search_queries.json on the 2,642 real national records: each must
find its procedures in the top three (the score is printed). Also name-versus-text ranking,
code look-up and everyday words, on the same catalogue."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.lib.text import fold
from cchc.procedures.actions import do_import_procedures
from cchc.procedures.models import Procedure
from cchc.procedures.search import refresh_search_statistics
from cchc.procedures.testing import PORTAL_DATA, portal_records
from cchc.procedures.tests.test_facets import offered, result_count, search
from cchc.procedures.tests.test_search import codes

QUERIES = json.loads((Path(__file__).parent / "data" / "search_queries.json").read_text(encoding="utf-8"))["queries"]
EVERYDAY = json.loads((Path(__file__).parent / "data" / "everyday_queries.json").read_text(encoding="utf-8"))["queries"]
EVERYDAY_TARGET = 0.9  # share of everyday queries that must find one of their procedures in the top three


# --- the realistic queries on the real catalogue ------------------------------------------------------


@pytest.fixture(scope="module")
def national_catalogue(django_db_setup, django_db_blocker):
    """The 2,642 national records imported once for the module (committed, removed afterwards)."""
    with django_db_blocker.unblock():
        do_import_procedures(portal_records(), source=PORTAL_DATA.name)
        yield
        Procedure.objects.all().delete()
        refresh_search_statistics()
        AuditEntry.objects.filter(action="procedures.import").purge_before(timezone.now() + timedelta(days=1))


@pytest.mark.slow
@pytest.mark.django_db
class TestRealisticQueries:
    def test_every_realistic_query_finds_its_procedures_in_the_top_three(self, national_catalogue, capsys):
        misses = []
        for query in QUERIES:
            top = codes(query["query"], limit=3)
            if not set(query["expected_in_top3"]) <= set(top):
                misses.append((query["query"], query["expected_in_top3"], top))
        with capsys.disabled():
            print(f"\nrealistic queries in the top three: {len(QUERIES) - len(misses)}/{len(QUERIES)}")
        assert misses == []

    def test_a_name_match_beats_a_match_in_the_steps(self, national_catalogue):
        # "Giấy chứng sinh" is in the dossier of the birth registration, not in its name: it is
        # found by its texts, after every procedure whose name holds all three words.
        found = codes("giay chung sinh")
        whole_names = [
            p.code
            for p in Procedure.objects.filter(code__in=found)
            if {"giay", "chung", "sinh"} <= set(fold(p.name).split())
        ]
        assert whole_names and "1.001193" in found
        assert max(found.index(code) for code in whole_names) < found.index("1.001193")
        # A procedure naming the words comes before one that only mentions them in its steps.
        assert codes("dang ky khai tu")[0] == "1.000656"

    def test_a_code_finds_its_procedure_first(self, national_catalogue):
        assert codes("1.004222")[0] == "1.004222"

    @pytest.mark.slow
    def test_everyday_words_find_their_procedures_in_the_top_three(self, national_catalogue, capsys):
        # Citizens' words (synonyms, old names, abbreviations, questions, typing mistakes): the
        # lexicon and the typo fallback on the real catalogue. The score is printed.
        misses = []
        for query in EVERYDAY:
            top = codes(query["query"], limit=3)
            if not set(query["expected_any_in_top3"]) & set(top):
                misses.append((query["query"], query["expected_any_in_top3"], top))
        score = 1 - len(misses) / len(EVERYDAY)
        with capsys.disabled():
            print(
                f"\neveryday queries in the top three: {len(EVERYDAY) - len(misses)}/{len(EVERYDAY)}; missed: {misses}"
            )
        assert len(EVERYDAY) >= 60
        assert score >= EVERYDAY_TARGET, misses

    def test_the_words_citizens_use_find_the_catalogues_name(self, national_catalogue):
        assert "1.014063" in codes("doi cccd")[:3]
        assert "3.000347" in codes("đổi bằng lái xe")[:3]


# --- the filters' counts on the real catalogue --------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db  # as the class above: pytest-django sorts tests by database use, and this keeps them together
@pytest.mark.parametrize(
    "query", ["cap giay phep xay dung", "dang ky khai sinh", "chứng thực bản sao", "cap doi the can cuoc", "tam tru"]
)
def test_on_the_real_catalogue_every_filter_offered_finds_what_it_counts(client, national_catalogue, query):
    """Here rather than in test_facets.py: the catalogue is imported once for the module (seconds each time).
    Without its ``django_db`` mark this test was sorted among the tests without a database, far from the class
    above, and ran on the other worker: the catalogue was imported twice in every run."""
    body = search(client, q=query)
    total = result_count(body)
    assert total
    for name in ("field", "level", "online_level"):
        values = offered(body, name)
        assert values or name == "online_level", name
        for value, n in values:
            assert n <= total
            found = result_count(search(client, q=query, **{name: value}))
            # Filtered, the search looks further for that value alone: never fewer than counted.
            assert found >= n > 0, (name, value, n, found)
