"""Vietnamese full-text search: what we index, how queries are read, how candidates are found
and ranked, and the two engines behind one interface (SQLite FTS5, PostgreSQL tsvector + GIN).

It knows no app: ``cchc.procedures.search`` is its user and owns the tables (see the
procedures migration that creates them). SEARCH.md beside the procedures app explains the
design and the measurements.

Why the terms are computed here and not by the engines' tokenizers:

- Accent-insensitive matching needs folded text. FTS5 strips tone marks only with
  ``remove_diacritics 2`` and never maps đ to d; PostgreSQL's ``unaccent`` does, but is not
  immutable and so cannot be indexed directly. Folding here does both the same way for both
  databases, and the engines index the result as it is.
- Folding merges different words (thể, thế, the), so the exact form of every word is indexed
  too, as an ASCII key that does not depend on where the tone mark was typed ("hoà" and "hòa"
  give the same key); a query typed with accents ranks correctly accented names first.
- Vietnamese words are mostly two syllables ("đăng ký", "khai tử"): each pair of neighbouring
  syllables is indexed as one term ("dang_ky"), so the phrase is found with a plain term
  look-up (far rarer than either syllable) and ranks above scattered syllables, without
  positional indexes.

How a query runs (``find``): a few bounded look-ups gather at most a few hundred candidates —
names holding every query word (shortest names first, read in index order and stopped at the
limit, so a query on "cấp" costs the same as one on "khai tử"), names missing one word, names
holding the query's rarest terms (ranked by the engine, over at most ``RARE_BUDGET`` names), and
for accented queries names with the exact words — then :func:`score` ranks them in Python.
The texts (steps, dossier, legal bases) are searched only when names answer poorly.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as _html_escape
from itertools import islice
from typing import Any

from django.db import OperationalError, connections, transaction
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

# --- analysis ------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_TERM = re.compile(r"[a-z0-9]+")

# Tone marks (combining characters after NFD) → a digit, as in the VNI typing convention.
_TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
# Vowel marks → a digit after the vowel (VNI: â ê ô = 6, ơ ư = 7, ă = 8; đ = d9).
_MARKS = {"\u0302": "6", "\u031b": "7", "\u0306": "8"}

PAIR = "_"


def _ascii_fold(text: str) -> str:
    """Lower-case, no marks, đ → d, and any letter without an ASCII base dropped. Much faster than
    :func:`cchc.lib.text.fold` on long texts; index and queries both go through it."""
    return unicodedata.normalize("NFD", text.lower()).replace("đ", "d").encode("ascii", "ignore").decode()


def words(text: str) -> list[str]:
    """The words of a text as written, lower-cased and NFC-composed ("Đăng ký" → ["đăng", "ký"])."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def term_of(word: str) -> str:
    """The folded search term of one word ("Đăng" → "dang")."""
    return "".join(_TERM.findall(_ascii_fold(word)))


def terms(text: str) -> list[str]:
    """Folded search terms of a text, in order, repeats kept."""
    return _TERM.findall(_ascii_fold(text))


def exact_key(word: str) -> str:
    """The exact spelling of a word as an ASCII key, wherever its tone mark sits: "xoá" and "xóa"
    → "xoa1", "đăng" → "d9a8ng", "thể" → "the63"; a word without marks is its own key."""
    letters: list[str] = []
    tone = ""
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES:
            tone = _TONES[char]
        elif char in _MARKS:
            letters.append(_MARKS[char])
        elif char == "đ":
            letters.append("d9")
        elif char.isascii() and char.isalnum():
            letters.append(char)
    return "".join(letters) + tone


def pairs(sequence: Sequence[str]) -> list[str]:
    return [a + PAIR + b for a, b in zip(sequence, sequence[1:], strict=False)]


def name_terms(name: str) -> list[str]:
    """Folded words of a name, then their neighbouring pairs."""
    folded = [term for term in map(term_of, words(name)) if term]
    return folded + pairs(folded)


def exact_terms(name: str) -> list[str]:
    return [key for key in map(exact_key, words(name)) if key]


def text_terms(text: str, *, with_pairs: bool = False) -> list[str]:
    folded = terms(text)
    return folded + pairs(folded) if with_pairs else folded


def index_text(items: Iterable[str]) -> str:
    """Terms as the space-separated text both engines index, each once (FTS5 with ``_`` as a
    token character; PostgreSQL through ``array_to_tsvector``, which takes them as they are)."""
    return " ".join(dict.fromkeys(item for item in items if item))


def facet_token(kind: str, value: str) -> str:
    """A filter value as an index term ("field", "Hộ tịch" → "field_ho_tich")."""
    return PAIR.join([kind, *terms(value)])


# --- queries -------------------------------------------------------------------------------------

MAX_QUERY_WORDS = 24


@dataclass(frozen=True)
class Query:
    """A parsed query: ``terms`` the folded words without repeats, in the order typed; ``pairs``
    their neighbouring pairs; ``exact`` the exact key of each word, only when the user typed
    accents at all (a query without any is taken as typed without them, not as a request for
    unaccented words)."""

    text: str
    terms: tuple[str, ...]
    pairs: tuple[str, ...] = ()
    exact: Mapping[str, str] = field(default_factory=dict)

    @property
    def accented(self) -> bool:
        return bool(self.exact)

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(text: str) -> Query:
    typed = [word for word in words(text) if term_of(word)][:MAX_QUERY_WORDS]
    folded = [term_of(word) for word in typed]
    exact: dict[str, str] = {}
    if any(exact_key(word) != term for word, term in zip(typed, folded, strict=True)):
        for word, term in zip(typed, folded, strict=True):
            exact.setdefault(term, exact_key(word))
    return Query(text=text, terms=tuple(dict.fromkeys(folded)), pairs=tuple(dict.fromkeys(pairs(folded))), exact=exact)


# --- statistics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statistics:
    """How many names hold each term, and how many names are indexed."""

    documents: int
    frequencies: Mapping[str, int]
    generation: int = 0
    _idf: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def frequency(self, term: str) -> int:
        return self.frequencies.get(term, 0)

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency, never negative; an unseen term weighs the most."""
        value = self._idf.get(term)
        if value is None:
            df = self.frequencies.get(term, 0)
            value = self._idf[term] = math.log(1 + (self.documents - df + 0.5) / (df + 0.5))
        return value

    def expected(self, group: Sequence[str]) -> float:
        """About how many names hold every term of ``group`` (words in the order typed): the names
        holding the first, times for each next word the larger of the share of all names holding
        it and the share of the previous word's names holding the two as neighbours. Common
        syllables are not independent ("giấy chứng tử": 28,589 names hold "giay", 1,931 all
        three; this gives 1,941), and the pairs say how far they go together."""
        if not group or not self.documents:
            return 0.0
        frequency = self.frequency
        expected = float(frequency(group[0]))
        for before, term in zip(group, group[1:], strict=False):
            alone = frequency(term) / self.documents
            together = frequency(before + PAIR + term) / frequency(before) if frequency(before) else 0.0
            expected *= max(alone, together)
        return expected

    def known(self, group: Sequence[str]) -> bool:
        """Whether every term of the group is in some name: a group holding a word that no name
        holds (a typing mistake) can match nothing. Without statistics (never counted), any may."""
        return not self.documents or all(self.frequencies.get(term, 0) for term in group)


# --- ranking -------------------------------------------------------------------------------------

# Weights of the features of :func:`score`, set on the realistic queries of
# cchc/procedures/tests/data/search_queries.json and on variations of real names.
COVERAGE, PHRASE, EXACT, PRECISION, SUMMARY, TEXT = 3.0, 1.0, 0.5, 1.0, 0.3, 2.0


@dataclass
class Candidate:
    """What ranking needs to know of one indexed document (from the index table's columns)."""

    key: int
    name_terms: str
    exact_terms: str
    summary_terms: str = ""
    in_text: bool = False  # found by the search of the texts (steps, dossier, ...)
    score: float = 0.0
    coverage: float = 0.0
    phrase: float = 0.0  # the share of the query's word pairs that the name holds (last scored)
    parsed: tuple | None = field(default=None, repr=False, compare=False)  # see Ranker.score


class Ranker:
    """Scores candidates for one query; what depends only on the query is worked out once.

    The score of a document, the name counting most:

    - coverage: the share of the query's weight (IDF) found among the name's words; a missing
      or extra word costs only its own weight, and word order does not matter;
    - phrase: the share of the query's word pairs found as neighbours in the name, so the whole
      phrase beats scattered words;
    - exact: for a query typed with accents, the share found with the same accents;
    - precision: the share of the name's weight that the query asks for, so a short name that
      says just what was asked beats a long one that merely contains it;
    - summary: coverage in the field, agencies and results — a tie-breaker;
    - text: found in the steps, dossier or legal bases (weighed by the share of the query looked
      up there) — lets a procedure whose name says nothing of the query come up, above names
      that hold only part of it, never above a name that holds it all.
    """

    def __init__(self, query: Query, stats: Statistics) -> None:
        self.query = query
        self.idf = stats.idf
        self.weights = {term: stats.idf(term) for term in query.terms}
        self.total = sum(self.weights.values()) or 1.0
        self.pair_weights = {pair: sum(self.weights.get(t, 0.0) for t in pair.split(PAIR)) for pair in query.pairs}
        self.pair_total = sum(self.pair_weights.values()) or 1.0
        self.exact = {query.exact[term]: weight for term, weight in self.weights.items() if term in query.exact}
        self.padded = [(f" {term} ", weight) for term, weight in self.weights.items()]  # see ``summary``
        # A document found by the search of the texts holds the words looked up there.
        self.text = TEXT * sum(self.weights[t] for t in text_lookup_terms(query, stats)) / self.total

    def score(self, candidate: Candidate) -> float:
        parsed = candidate.parsed
        if parsed is None:
            # What does not depend on the query, worked out once per candidate (several forms of
            # one query score the same candidates).
            held = candidate.name_terms.split()
            unigrams = frozenset(term for term in held if PAIR not in term)
            parsed = candidate.parsed = (
                unigrams,
                frozenset(held) - unigrams,
                frozenset(candidate.exact_terms.split()),
                f" {candidate.summary_terms} " if candidate.summary_terms else "",
                sum(self.idf(term) for term in unigrams),
            )
        unigrams, held_pairs, keys, found, name_weight = parsed
        # The query's weight the name holds: its coverage, and what it asks of the name's weight.
        asked = sum(weight for term, weight in self.weights.items() if term in unigrams)
        coverage = asked / self.total
        if self.pair_weights:
            phrase = sum(w for pair, w in self.pair_weights.items() if pair in held_pairs) / self.pair_total
        else:
            phrase = coverage
        exact = 0.0
        if self.exact:
            exact = sum(weight for key, weight in self.exact.items() if key in keys) / self.total
        precision = asked / name_weight if name_weight else 0.0
        summary = 0.0
        if found:  # the summary is long: a few substring searches beat splitting it
            summary = sum(weight for padded, weight in self.padded if padded in found) / self.total
        candidate.coverage, candidate.phrase = coverage, phrase
        return (
            COVERAGE * coverage
            + PHRASE * phrase
            + EXACT * exact
            + PRECISION * precision
            + SUMMARY * summary
            # Only what the name lacks counts from the texts: a name holding every word is never
            # passed by one that holds them in its steps.
            + (self.text * (1.0 - coverage) if candidate.in_text else 0.0)
        )


def score(query: Query, candidate: Candidate, stats: Statistics) -> float:
    """See :class:`Ranker`."""
    return Ranker(query, stats).score(candidate)


# --- finding candidates --------------------------------------------------------------------------

PER_LOOKUP = 40  # documents each look-up returns
RARE_BUDGET = 1500  # the rare-terms look-up ranks at most this many names (sum of their frequencies)
DROP_ONE_MAX_TERMS = 6  # "all words but one" for queries up to this long
FORMS_ENOUGH = 10  # other forms of a query: names holding all their words, enough to stop looking
TEXT_MAX_TERMS = 4  # the texts are searched for this many of the query's rarest words
GOOD_COVERAGE = 0.6  # a name covering this share of the query is shown as a name match (no snippet)
BITMAP_LIMIT = 2_500  # PostgreSQL: up to this many expected matches, take them all from GIN and sort
TEXT_TIMEOUT_MS = 150  # PostgreSQL: a search of the texts that takes longer is given up


def rare_terms(query: Query, stats: Statistics, budget: int = RARE_BUDGET) -> tuple[list[str], list[str]]:
    """The query's rarest name terms and exact keys, rarest first, as long as the names holding
    them add up to at most ``budget``: ranking those is cheap whatever the query."""
    options = [(stats.frequency(t), 0, t) for t in (*query.terms, *query.pairs)]
    options += [(stats.frequency(t), 1, t) for t in set(query.exact.values()) - set(query.terms)]
    chosen: tuple[list[str], list[str]] = ([], [])
    spent = 0
    for frequency, kind, term in sorted(options):
        if frequency == 0:
            continue  # in no name: nothing to find
        if spent + frequency > budget:
            break
        spent += frequency
        chosen[kind].append(term)
    return chosen


def find(
    engine: Engine,
    query: Query,
    stats: Statistics,
    facets: Sequence[str] = (),
    *,
    exclude: Sequence[str] = (),
    thorough: bool = True,
) -> dict[int, bool]:
    """Candidate documents for the query: {key: found in the texts}. Every look-up is bounded
    (see the module docstring). Not ``thorough``: the names holding every word only (other forms
    of the query have found enough)."""
    found: dict[int, bool] = {}
    query_terms = list(query.terms)
    if not query_terms:
        return found

    def add(keys: Iterable[int], in_text: bool = False) -> None:
        for key in keys:
            found.setdefault(key, in_text)

    every = _shortest_names(engine, [query_terms], stats, facets, exclude)
    add(every)
    if not thorough:
        return found
    if len(every) < PER_LOOKUP:
        # Few names hold every word: the query may have a word too many; try without each one.
        if 2 <= len(query_terms) <= DROP_ONE_MAX_TERMS:
            groups = [query_terms[:i] + query_terms[i + 1 :] for i in range(len(query_terms))]
            add(_shortest_names(engine, groups, stats, facets, exclude))
    elif query.accented:
        # Many names hold every word: those written with the query's accents come first. (When
        # few do, they are all candidates already, accented or not.)
        keys = list(dict.fromkeys(query.exact.values()))
        add(_shortest_names(engine, [keys], stats, facets, exclude, index="exact"))
    names, exact = rare_terms(query, stats)
    if names or exact:
        add(engine.ranked(names, exact, facets, exclude))
    if len(every) < PER_LOOKUP:
        # The texts only when names answer poorly: when a full look-up's worth of names hold every
        # word, the shortest-named texts holding the words add nothing a citizen looks for (they
        # are the costliest look-up: 35 ms for "cấp" and an agency on PostgreSQL, SEARCH.md).
        text_keys = engine.shortest("text", [text_lookup_terms(query, stats)], facets, exclude)
        found.update(dict.fromkeys(text_keys, True))
    return found


def _shortest_names(
    engine: Engine,
    groups: Sequence[Sequence[str]],
    stats: Statistics,
    facets: Sequence[str],
    exclude: Sequence[str],
    *,
    index: str = "name",
) -> list[int]:
    """``engine.shortest`` over the groups that can match: a group holding a word that no name
    holds is not looked up ("dang ky khia tu" spent 8 ms on three such groups of four)."""
    groups = [group for group in groups if stats.known(group)]
    if not groups:
        return []
    expected = round(sum(stats.expected(group) for group in groups))
    return engine.shortest(index, groups, facets, exclude, expected=expected)


def find_forms(
    engine: Engine,
    queries: Sequence[Query],
    stats: Statistics,
    facets: Sequence[str] = (),
    *,
    exclude: Sequence[str] = (),
) -> dict[int, bool]:
    """Candidates for other forms of one query (the same words in the catalogue's terms, or
    corrected): the look-ups of :func:`find` made once for all the forms together — names holding
    every word of any form, then (while fewer than ``FORMS_ENOUGH`` names are found) every word
    but one, then the forms' rarest terms within one budget — so that three forms cost what one
    does, and a form whose words name procedures outright costs one look-up."""
    groups = [list(q.terms) for q in queries if q.terms]
    found: dict[int, bool] = {}
    if not groups:
        return found

    every = _shortest_names(engine, groups, stats, facets, exclude)
    found.update(dict.fromkeys(every, False))
    if len(found) < FORMS_ENOUGH:
        fewer = [
            group[:i] + group[i + 1 :]
            for group in groups
            if 2 <= len(group) <= DROP_ONE_MAX_TERMS
            for i in range(len(group))
        ]
        if fewer:
            for key in _shortest_names(engine, fewer, stats, facets, exclude):
                found.setdefault(key, False)
    merged = Query(
        text="",
        terms=tuple(dict.fromkeys(t for q in queries for t in q.terms)),
        pairs=tuple(dict.fromkeys(p for q in queries for p in q.pairs)),
    )
    names, _ = rare_terms(merged, stats)
    if names and len(found) < FORMS_ENOUGH:
        for key in engine.ranked(names, [], facets, exclude):
            found.setdefault(key, False)
    return found


def text_lookup_terms(query: Query, stats: Statistics) -> list[str]:
    """The query's rarest words (by how many names hold them) for the search of the texts."""
    return sorted(query.terms, key=stats.frequency)[:TEXT_MAX_TERMS]


# --- typing mistakes ------------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit(word: str) -> set[str]:
    """Every string one typing mistake away from ``word``: a letter missing, extra, wrong, or two
    neighbours swapped (Damerau distance 1)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    found |= {a + c + b for a, b in splits for c in _LETTERS}
    found.discard(word)
    return found


def correct(typed: Sequence[str], stats: Statistics, known: Iterable[str] = ()) -> list[str] | None:
    """The query's words with each word that no name holds (and that ``known`` does not hold)
    replaced by the word one typing mistake away that names hold, preferring one that forms a
    known pair with its neighbours, then the commoner; None when there is nothing to correct.

    The vocabulary is the statistics already in memory (every word of every name, with how
    many names hold it), so this costs a few hundred dictionary look-ups per unknown word and
    is the same on both databases."""
    known = set(known)
    frequency = stats.frequency

    def unknown(term: str) -> bool:
        return term.isalpha() and len(term) >= 2 and not frequency(term) and term not in known

    if not any(unknown(term) for term in typed):
        return None
    result = list(typed)
    changed = False
    for i, term in enumerate(typed):
        if not unknown(term):
            continue
        options = [w for w in one_edit(term) if w.isalpha() and frequency(w)]
        if not options:
            continue
        before = result[i - 1] if i else ""
        after = typed[i + 1] if i + 1 < len(typed) else ""

        def rank(option: str, before: str = before, after: str = after) -> tuple[int, int]:
            paired = frequency(before + PAIR + option) if before else 0
            paired += frequency(option + PAIR + after) if after else 0
            return paired, frequency(option)

        result[i] = max(sorted(options), key=rank)
        changed = True
    return result if changed else None


# --- engines -------------------------------------------------------------------------------------


class Engine:
    """One interface over the two full-text engines. Indexes: ``name`` (folded words and pairs of
    the name), ``exact`` (exact keys of the name's words), ``text`` (summary and texts); every
    document also carries ``facets`` (filter terms) and a ``key`` whose order is the order of
    :meth:`shortest` (short names first)."""

    def __init__(self, alias: str = "default", **tables: str) -> None:
        self.alias = alias
        self.tables = tables

    @property
    def connection(self):
        return connections[self.alias]

    def shortest(
        self,
        index: str,
        groups: Sequence[Sequence[str]],
        facets: Sequence[str],
        exclude: Sequence[str],
        limit: int = PER_LOOKUP,
        expected: int | None = None,
    ) -> list[int]:
        """Keys of documents holding every term of at least one group, in key order. ``expected``
        bounds how many documents match (from the statistics), for engines that plan by it."""
        raise NotImplementedError

    def ranked(
        self,
        name_terms: Sequence[str],
        exact_terms: Sequence[str],
        facets: Sequence[str],
        exclude: Sequence[str],
        limit: int = PER_LOOKUP,
    ) -> list[int]:
        """Keys of documents holding any of the terms, best first by the engine's own ranking."""
        raise NotImplementedError

    def facet_keys(self, facets: Sequence[str], exclude: Sequence[str]) -> tuple[str, list[Any]]:
        """SQL (and its parameters) selecting the keys of documents holding every facet and none
        of ``exclude``, for use as a subquery (browsing by filter, without a text)."""
        raise NotImplementedError

    def refresh_statistics(self) -> None:
        """Recount how many names hold each term (after the index changed)."""
        raise NotImplementedError

    def load_statistics(self) -> Statistics:
        """The counts, read once per process and per refresh."""
        stats_table = self.tables["statistics"]
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT documents, generation FROM {stats_table} WHERE term = ''")  # noqa: S608 # nosec B608
            row = cursor.fetchone()
            documents, generation = row if row else (0, 0)
            cache_key = (self.alias, stats_table)
            cached = _STATISTICS.get(cache_key)
            if cached is not None and cached.generation == generation and cached.documents == documents:
                return cached
            cursor.execute(f"SELECT term, documents FROM {stats_table} WHERE term <> ''")  # noqa: S608 # nosec B608
            stats = Statistics(documents=documents, frequencies=dict(cursor.fetchall()), generation=generation)
        _STATISTICS[cache_key] = stats
        return stats

    def _store_statistics(self, cursor, select_counts: str) -> None:
        """``select_counts`` selects (term, documents); the generation tells caches to reload.

        The generation is drawn at random, not counted up: a count's next value is taken again
        after a rollback (tests roll back every import), and a process holding the statistics
        of the rolled-back count would take the new ones for them. Since what is looked up
        depends on the statistics (a word that no name holds is not looked up), they must be
        the current ones."""
        stats_table = self.tables["statistics"]
        cursor.execute(f"SELECT generation FROM {stats_table} WHERE term = ''")  # noqa: S608 # nosec B608
        row = cursor.fetchone()
        previous = generation = row[0] if row else 0
        while generation in (0, previous):
            generation = secrets.randbelow(2**31 - 1) + 1  # the column is a positive integer
        cursor.execute(f"DELETE FROM {stats_table}")  # noqa: S608 # nosec B608
        cursor.execute(
            f"INSERT INTO {stats_table} (term, documents, generation) "  # noqa: S608 # nosec B608
            f"SELECT term, documents, {generation} FROM ({select_counts}) AS counts"
        )
        cursor.execute(
            f"INSERT INTO {stats_table} (term, documents, generation) "  # noqa: S608 # nosec B608
            f"SELECT '', COUNT(*), {generation} FROM {self.tables['documents']}"
        )


_STATISTICS: dict[tuple[str, str], Statistics] = {}


def _quoted(terms: Iterable[str]) -> list[str]:
    # Terms are [a-z0-9_] by construction; quoting keeps FTS5 and tsquery from reading any of
    # them as an operator.
    checked = []
    for term in terms:
        if not re.fullmatch(r"[a-z0-9_]+", term):
            raise ValueError(f"not a search term: {term!r}")
        checked.append(term)
    return checked


class Fts5Engine(Engine):
    """SQLite FTS5: contentless tables ``name_fts`` (terms, exact, facets) and ``text_fts`` (text,
    facets), rowid = the document's key, kept in sync with the term tables by triggers."""

    _COLUMNS = {"name": "terms", "exact": "exact", "text": "text"}

    @staticmethod
    def _all(terms: Iterable[str]) -> str:
        return "(" + " AND ".join(f'"{t}"' for t in _quoted(terms)) + ")"

    @staticmethod
    def _any(terms: Iterable[str]) -> str:
        return "(" + " OR ".join(f'"{t}"' for t in _quoted(terms)) + ")"

    def _filtered(self, expression: str, facets: Sequence[str], exclude: Sequence[str]) -> str:
        if facets:
            expression += " AND facets : " + self._all(facets)
        if exclude:
            expression += " NOT facets : " + self._any(exclude)
        return expression

    def shortest(self, index, groups, facets, exclude, limit=PER_LOOKUP, expected=None):
        # FTS5 reads its matches in rowid (= key) order and stops at the limit, whatever their number.
        table = self.tables["text_fts" if index == "text" else "name_fts"]
        expression = f"{self._COLUMNS[index]} : (" + " OR ".join(self._all(group) for group in groups) + ")"
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid LIMIT %s"  # noqa: S608 # nosec B608
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [self._filtered(expression, facets, exclude), limit])
            return [row[0] for row in cursor.fetchall()]

    def ranked(self, name_terms, exact_terms, facets, exclude, limit=PER_LOOKUP):
        table = self.tables["name_fts"]
        parts = []
        if name_terms:
            parts.append("terms : " + self._any(name_terms))
        if exact_terms:
            parts.append("exact : " + self._any(exact_terms))
        expression = "(" + " OR ".join(parts) + ")"
        sql = (
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s "  # noqa: S608 # nosec B608
            f"ORDER BY bm25({table}, 1.0, 1.0, 0.0) LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [self._filtered(expression, facets, exclude), limit])
            return [row[0] for row in cursor.fetchall()]

    def facet_keys(self, facets, exclude):
        table = self.tables["name_fts"]
        if not facets:
            return f"SELECT key FROM {self.tables['documents']}", []  # noqa: S608 # nosec B608
        expression = self._filtered("facets : " + self._all(facets), (), exclude)
        return f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression]  # noqa: S608 # nosec B608

    def refresh_statistics(self) -> None:
        vocabulary = self.tables["name_vocabulary"]
        with self.connection.cursor() as cursor:
            # fts5vocab 'col' counts per column: only the folded-terms and exact columns count.
            self._store_statistics(
                cursor,
                f"SELECT term, MAX(doc) AS documents FROM {vocabulary} "  # noqa: S608 # nosec B608
                "WHERE col IN ('terms', 'exact') GROUP BY term",
            )


class PostgresEngine(Engine):
    """PostgreSQL: tsvector columns made from the term columns (``array_to_tsvector``, so the
    terms are indexed as they are), each with a GIN index: the names' in the narrow table
    ``name_vectors`` (kept equal to ``documents`` by a trigger), the texts' in ``texts``;
    ``key`` is their primary key."""

    _VECTORS = {"name": "name_vector", "exact": "exact_vector", "text": "text_vector"}
    _TABLES = {"name": "name_vectors", "exact": "name_vectors", "text": "texts"}

    @staticmethod
    def _all(terms: Iterable[str]) -> str:
        return "(" + " & ".join(f"'{t}'" for t in _quoted(terms)) + ")"

    @staticmethod
    def _any(terms: Iterable[str]) -> str:
        return "(" + " | ".join(f"'{t}'" for t in _quoted(terms)) + ")"

    def _filters(self, facets, exclude) -> tuple[str, list[Any]]:
        sql, params = "", []
        if facets:
            sql += " AND facet_vector @@ %s::tsquery"
            params.append(self._all(facets))
        if exclude:
            # A filter on the rows found, not an index condition: excluded documents are few.
            sql += " AND NOT (facet_vector @@ %s::tsquery)"
            params.append(self._any(exclude))
        return sql, params

    def shortest(self, index, groups, facets, exclude, limit=PER_LOOKUP, expected=None):
        table = self.tables[self._TABLES[index]]
        query = " | ".join(self._all(group) for group in groups)
        filters, params = self._filters(facets, exclude)
        # Two plans: walk the primary key (short names first) and stop at the limit, which is cheap
        # when matches are many and early; or take every match from the GIN index and sort them,
        # which costs what the matches number. PostgreSQL cannot know that long names hold common
        # words more often (it walked 30,000 rows for 40 matches of "khong & co" at 100,000
        # procedures), so the statistics decide: "key + 0" keeps it off the primary key.
        order = "key" if expected is None or expected > BITMAP_LIMIT else "key + 0"
        sql = (
            f"SELECT key FROM {table} WHERE {self._VECTORS[index]} @@ %s::tsquery{filters} "  # noqa: S608 # nosec B608
            f"ORDER BY {order} LIMIT %s"
        )
        if index == "text":
            return self._within_time(sql, [query, *params, limit])
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [query, *params, limit])
            return [row[0] for row in cursor.fetchall()]

    def _within_time(self, sql: str, params: list[Any]) -> list[int]:
        """The texts are long and their words common: a look-up that would take longer than
        ``TEXT_TIMEOUT_MS`` is cancelled and finds nothing, rather than hold the page up."""
        connection = self.connection
        connection.ensure_connection()
        try:
            with connection.cursor() as cursor:
                if connection.get_autocommit() and not connection.in_atomic_block:
                    # Outside a transaction, one round trip where the one below takes six (~1 ms, on the
                    # searches whose names answer poorly, the slowest): statements sent together run in
                    # one implicit transaction, which the setting does not outlive.
                    setting = f"SELECT set_config('statement_timeout', '{TEXT_TIMEOUT_MS}ms', true)"
                    # The closing SELECT 1 takes a cancellation that arrives as the look-up ends: the timer
                    # can fire after the look-up's last check for interrupts, and the cancel then waits for
                    # the connection's next statement (seen once, benchmarking on a cold cache: the
                    # candidates' query of the same search failed "due to statement timeout"). Here it
                    # fails this round trip, which finds nothing, instead of the next query of the page.
                    cursor.execute(f"{setting}; {sql}; SELECT 1", params)
                    cursor.nextset()
                    return [row[0] for row in cursor.fetchall()]
                cursor.execute("SELECT current_setting('statement_timeout')")
                previous = cursor.fetchone()[0]
                with transaction.atomic(using=self.alias):
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{TEXT_TIMEOUT_MS}ms"])
                    cursor.execute(sql, params)
                    rows = [row[0] for row in cursor.fetchall()]
                    # Set back: inside an outer transaction the setting would otherwise outlive us.
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
                    return rows
        except OperationalError:
            logger.warning("search of the texts cancelled after %s ms: %s", TEXT_TIMEOUT_MS, params[0])
            return []

    def ranked(self, name_terms, exact_terms, facets, exclude, limit=PER_LOOKUP):
        table = self.tables["name_vectors"]
        matches, ranks, params, rank_params = [], [], [], []
        for vector, terms_ in (("name_vector", name_terms), ("exact_vector", exact_terms)):
            if terms_:
                matches.append(f"{vector} @@ %s::tsquery")
                ranks.append(f"ts_rank({vector}, %s::tsquery)")
                params.append(self._any(terms_))
                rank_params.append(self._any(terms_))
        filters, filter_params = self._filters(facets, exclude)
        sql = (
            f"SELECT key FROM {table} WHERE ({' OR '.join(matches)}){filters} "  # noqa: S608 # nosec B608
            f"ORDER BY {' + '.join(ranks)} DESC, key LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, *filter_params, *rank_params, limit])
            return [row[0] for row in cursor.fetchall()]

    def facet_keys(self, facets, exclude):
        filters, params = self._filters(facets, exclude)
        return f"SELECT key FROM {self.tables['name_vectors']} WHERE TRUE{filters}", params  # noqa: S608 # nosec B608

    def refresh_statistics(self) -> None:
        table = self.tables["name_vectors"]
        # Counted per column and the larger kept, as FTS5's vocabulary gives them.
        counts = " UNION ALL ".join(
            f"SELECT word, ndoc FROM ts_stat('SELECT {vector} FROM {table}')"  # noqa: S608 # nosec B608
            for vector in ("name_vector", "exact_vector")
        )
        select = f"SELECT word AS term, MAX(ndoc) AS documents FROM ({counts}) AS both_counts GROUP BY word"  # noqa: S608 # nosec B608
        with self.connection.cursor() as cursor:
            self._store_statistics(cursor, select)
            # The planner's own statistics on the vectors decide between an index and a scan; after
            # an import they are stale until autovacuum comes by, so refresh them now.
            for name in ("name_vectors", "texts"):
                cursor.execute(f"ANALYZE {self.tables[name]}")
            # Rows inserted go first to each GIN index's pending list, which every search reads in
            # full (466 pages, 7 ms a search after 100,000 procedures, SEARCH.md) until a VACUUM
            # merges it; a plain ANALYZE does not. Merge them now, after the import.
            cursor.execute(
                "SELECT gin_clean_pending_list(indexrelid) FROM pg_index "
                "JOIN pg_class ON pg_class.oid = indexrelid JOIN pg_am ON pg_am.oid = relam "
                "WHERE amname = 'gin' AND indrelid IN (%s::regclass, %s::regclass)",
                [self.tables["name_vectors"], self.tables["texts"]],
            )


def engine_for(alias: str = "default", **tables: str) -> Engine:
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return Fts5Engine(alias, **tables)
    if vendor == "postgresql":
        return PostgresEngine(alias, **tables)
    raise NotImplementedError(f"no full-text search for the {vendor} database")


# --- highlighting --------------------------------------------------------------------------------

# Every way a folded letter can be written in Vietnamese, so a query's folded terms are found in
# the text as written, by one regular expression (C speed, no folding of long texts).
_VARIANTS = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
    "d": "dđ",
}


def _letter(char: str) -> str:
    """Every way a folded letter can be written, in both cases: ``[aàá…AÀÁ…]``."""
    if not char.isalpha():
        return re.escape(char)
    variants = _VARIANTS.get(char, char)
    return "[" + "".join(dict.fromkeys(variants + variants.upper())) + "]"


@lru_cache(maxsize=256)
def _matcher(query_terms: tuple[str, ...]) -> re.Pattern[str]:
    """One expression finding the terms as written, as whole words. It starts with a set of
    characters (the terms' first letters, in both cases, rather than ``re.IGNORECASE``) so that
    ``re`` skips through the text to the next such letter before trying anything; the word's
    start is then checked behind that letter. A fifth faster than ``(?<!…)(?:terms)`` with
    IGNORECASE on a page's long texts (SEARCH.md), the same matches."""
    by_first: dict[str, list[str]] = {}
    for term in sorted(query_terms, key=len, reverse=True):  # the longest first, as alternatives
        by_first.setdefault(term[0], []).append("".join(_letter(c) for c in term[1:]))
    firsts = "".join(_letter(first).strip("[]") if first.isalpha() else first for first in by_first)
    branches = "|".join(f"(?<={_letter(first)})(?:{'|'.join(rests)})" for first, rests in by_first.items())
    return re.compile(rf"[{firsts}](?<![^\W_].)(?:{branches})(?![^\W_])")


def _matches(text: str, query: Query, limit: int | None = None) -> list[re.Match[str]]:
    return list(islice(_matcher(query.terms).finditer(unicodedata.normalize("NFC", text)), limit))


def escape(text: str) -> str:
    """HTML-escaped like Django's ``escape`` (same characters), without its lazy-string wrapper."""
    return _html_escape(text, quote=True)


_PIECES = re.compile(r"([^\W_]+)")  # split: what lies between words, then a word, and so on


@lru_cache(maxsize=16384)
def _written_term(word: str) -> str:
    """The term a word as written stands for, or "" when a letter of it has no ASCII base
    (the matcher's letters are Vietnamese ones: each folds to one letter)."""
    term = term_of(word)
    return term if len(term) == len(word) else ""


def highlight(text: str, query: Query) -> SafeString:
    """The text, HTML-escaped, with every word the query asked for wrapped in ``<mark>``.

    Names and snippets are short: each word is folded (once per process, from a cache) rather
    than matched by :func:`_matcher`, whose expression costs 1–6 ms to compile for each new
    query (SEARCH.md); the words marked are the same."""
    text = unicodedata.normalize("NFC", text)
    if not query:
        return mark_safe(escape(text))  # noqa: S308 - escaped # nosec B308 B703
    wanted = frozenset(query.terms)
    pieces = _PIECES.split(text)
    marked: list[str] = []
    last = 0
    for i in range(1, len(pieces), 2):
        word = pieces[i]
        if _written_term(word) in wanted:
            marked.append(escape("".join(pieces[last:i])))
            marked.append(f"<mark>{escape(word)}</mark>")
            last = i + 1
    marked.append(escape("".join(pieces[last:])))
    return mark_safe("".join(marked))  # noqa: S308 - every piece above is escaped # nosec B308 B703


def snippet(text: str, query: Query, *, width: int = 240) -> SafeString:
    """About ``width`` characters of the text around the place holding the most query words,
    highlighted; empty when the text holds none."""
    if not query or not text:
        return mark_safe("")  # nosec B308
    text = unicodedata.normalize("NFC", text)
    # The window of ``width`` characters holding the most distinct query words (sliding; the
    # first few hundred matches are enough to find a good one, and the long texts of a page of
    # results are not searched further: common query words match thousands of times).
    found = _matches(text, query, limit=400)
    if not found:
        return mark_safe("")  # nosec B308
    written = [match.group() for match in found]
    folded = {word: term_of(word) for word in set(written)}  # the same few words, folded once
    found_terms = [folded[word] for word in written]
    starts = [match.start() for match in found]  # plain lists: the loop below is the hot part
    ends = [match.end() for match in found]
    counts: dict[str, int] = {}
    best, best_count, end, total = 0, 0, 0, len(found)
    for start, left in enumerate(starts):
        while end < total and ends[end] - left <= width:
            term = found_terms[end]
            counts[term] = counts.get(term, 0) + 1
            end += 1
        if len(counts) >= best_count:  # on a tie the later window, which starts nearer its words
            best, best_count = start, len(counts)
        if end > start:
            term = found_terms[start]
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
        else:
            end = start + 1
    begin = text.rfind(" ", 0, max(0, starts[best] - 40)) + 1
    finish = text.find(" ", min(len(text), begin + width))
    finish = len(text) if finish < 0 else finish
    fragment = " ".join(text[begin:finish].split())
    before = "… " if begin > 0 else ""
    after = " …" if finish < len(text) else ""
    return mark_safe(escape(before) + highlight(fragment, query) + escape(after))  # noqa: S308 # nosec B308 B703
