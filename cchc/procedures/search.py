"""Searching the procedure catalogue: what each procedure puts in the index, the filters, and
the one ``search_procedures`` that the pages, the API and the command all call.

The engines and the ranking are in cchc.lib.search; SEARCH.md explains the design.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from cchc.lib import search as fts
from cchc.lib.search import Candidate, Query
from cchc.procedures import lexicon
from cchc.procedures.lexicon import Lexicon
from cchc.procedures.models import (
    BestBet,
    FacetKind,
    Procedure,
    ProcedureIndex,
    ProcedureSnippetSource,
    ProcedureStatus,
    ProcedureText,
    SearchFacet,
)
from cchc.procedures.records import LEVELS, ONLINE_LEVELS, ProcedureData

TABLES = {
    "documents": "procedures_procedureindex",
    "texts": "procedures_proceduretext",
    "name_vectors": "procedures_name_vectors",  # PostgreSQL only (migration 0004)
    "statistics": "procedures_searchterm",
    "name_fts": "procedures_name_fts",
    "text_fts": "procedures_text_fts",
    "name_vocabulary": "procedures_name_vocabulary",
}
MAX_RESULTS = 100  # a search shows at most this many procedures; more words narrow it down
MIN_COVERAGE = 0.3  # a procedure whose name holds less of the query shows only if its texts match

_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._\-]{2,63}")


def engine() -> fts.Engine:
    return fts.engine_for("default", **TABLES)


# --- what goes into the index --------------------------------------------------------------------


def index_key(procedure_id: int, name: str) -> int:
    """Short names first, then by id: the order of "shortest names holding every word"."""
    return (min(len(fts.words(name)), 0xFFFF) << 32) | procedure_id


def facet_tokens(data: ProcedureData, status: str) -> list[str]:
    tokens = [fts.facet_token("field", data.field)] if data.field else []
    tokens += [fts.facet_token("level", level) for level in data.levels]
    if data.online_level:
        tokens.append(fts.facet_token("online", data.online_level))
    for agency in data.implementing_agencies + data.competent_agencies:
        tokens += [fts.facet_token("agency", term) for term in fts.terms(agency)]
    if status == ProcedureStatus.WITHDRAWN:
        tokens.append("status_withdrawn")
    return tokens


def index_rows(
    procedure_id: int,
    data: ProcedureData,
    status: str,
    *,
    body_source: str | None = None,
    body_terms: str | None = None,
) -> tuple[ProcedureIndex, ProcedureText, ProcedureSnippetSource]:
    """The index rows of one procedure: its name's terms, its texts' terms, and the text its snippets
    are cut from (the summary and body as written, ``ProcedureData.search_source``). ``body_source``
    and ``body_terms`` let a caller that indexes many variants of one text (the benchmark) compute
    them once."""
    key = index_key(procedure_id, data.name)
    facets = fts.index_text(facet_tokens(data, status))
    summary_source = data.summary_source()
    body_source = body_source if body_source is not None else data.body_source()
    summary = fts.index_text(fts.text_terms(summary_source, with_pairs=True))
    body = body_terms if body_terms is not None else body_index_text(body_source)
    return (
        ProcedureIndex(
            key=key,
            procedure_id=procedure_id,
            terms=fts.index_text(fts.name_terms(data.name)),
            exact=fts.index_text(fts.exact_terms(data.name)),
            facets=facets,
            summary=summary,
        ),
        ProcedureText(key=key, procedure_id=procedure_id, facets=facets, text=f"{summary} {body}".strip()),
        ProcedureSnippetSource(procedure_id=procedure_id, text=f"{summary_source} {body_source}"),
    )


def body_index_text(body_source: str) -> str:
    """The texts' index terms of a record's body (``ProcedureData.body_source``)."""
    return fts.index_text(fts.text_terms(body_source))


def write_index(items: Sequence[tuple[int, ProcedureData, str]], *, batch_size: int = 500) -> None:
    """Replace the index rows of these (procedure id, record, status)."""
    ids = [pk for pk, _, _ in items]
    ProcedureIndex.objects.filter(procedure_id__in=ids).delete()
    ProcedureText.objects.filter(procedure_id__in=ids).delete()
    ProcedureSnippetSource.objects.filter(procedure_id__in=ids).delete()
    for start in range(0, len(items), batch_size):
        rows = [index_rows(pk, data, status) for pk, data, status in items[start : start + batch_size]]
        ProcedureIndex.objects.bulk_create([name for name, _, _ in rows])
        ProcedureText.objects.bulk_create([text for _, text, _ in rows])
        ProcedureSnippetSource.objects.bulk_create([source for _, _, source in rows])


def refresh_search_statistics() -> None:
    """Recount term frequencies and the filter lists; the import calls it after each change."""
    engine().refresh_statistics()
    refresh_facets()


def refresh_facets() -> None:
    counts: dict[tuple[str, str], list] = {}

    def count(kind: str, value: str, label: str) -> None:
        entry = counts.setdefault((kind, value), [label, 0])
        entry[1] += 1

    rows = Procedure.objects.active().values_list("field", "levels", "implementing_agencies", "online_level")
    for field_name, levels, agencies, online_level in rows.iterator(chunk_size=2000):
        if field_name:
            count(FacetKind.FIELD, field_name, field_name)
        for level in levels:
            count(FacetKind.LEVEL, level, LEVELS.get(level, level))
        for agency in agencies:
            count(FacetKind.AGENCY, agency[:255], agency)
        if online_level:
            count(FacetKind.ONLINE, online_level, ONLINE_LEVELS.get(online_level, online_level))
    SearchFacet.objects.all().delete()
    SearchFacet.objects.bulk_create(
        SearchFacet(kind=kind, value=value, label=label[:500], documents=n)
        for (kind, value), (label, n) in counts.items()
    )


# --- filters ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """``field`` a field's name, ``level`` and ``online_level`` codes, ``agency`` words of an
    agency's name ("công an xã")."""

    field: str = ""
    level: str = ""
    agency: str = ""
    online_level: str = ""
    include_withdrawn: bool = False

    def facets(self) -> list[str]:
        tokens = [fts.facet_token("field", self.field)] if fts.terms(self.field) else []
        if self.level:
            tokens.append(fts.facet_token("level", self.level))
        if self.online_level:
            tokens.append(fts.facet_token("online", self.online_level))
        tokens += [fts.facet_token("agency", term) for term in fts.terms(self.agency)]
        return tokens

    def exclude(self) -> list[str]:
        return [] if self.include_withdrawn else ["status_withdrawn"]

    def __bool__(self) -> bool:
        return bool(self.field or self.level or self.agency or self.online_level)


# --- searching -------------------------------------------------------------------------------------


@dataclass
class Hit:
    """One ranked procedure. ``procedure`` is loaded for the page shown only (see ``load``)."""

    procedure_id: int
    score: float
    in_name: bool
    procedure: Procedure | None = None
    name_html: SafeString | None = None
    snippet_html: SafeString | None = None


@dataclass
class SearchResults:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    suggestion: str = ""  # the query with its typing mistakes corrected, when that was searched

    def __len__(self) -> int:
        return len(self.hits)

    def load(self, hits: Sequence[Hit]) -> list[Hit]:
        """Load the procedures of ``hits`` (one page) in one query, with highlighted names and,
        for procedures found by their texts, a highlighted snippet."""
        wanted = [hit.procedure_id for hit in hits]
        procedures = _listing(wanted)
        # Only the procedures found by their texts get a snippet, cut from the text kept at indexing.
        texts = dict(
            ProcedureSnippetSource.objects.filter(
                procedure_id__in=[hit.procedure_id for hit in hits if not hit.in_name]
            ).values_list("procedure_id", "text")
        )
        for hit in hits:
            hit.procedure = procedures[hit.procedure_id]
            hit.name_html = fts.highlight(hit.procedure.name, self.query)
            if hit.procedure_id in texts:
                hit.snippet_html = fts.snippet(texts[hit.procedure_id], self.query)
        return list(hits)


LISTING_FIELDS = ("code", "name", "field", "levels", "online_level", "status", "implementing_agencies")


def _listing(ids: Sequence[int]) -> dict[int, Procedure]:
    """The procedures of one page of results, with the fields a list shows, by id. A raw query:
    ``only(...).in_bulk()`` spent 1.15 ms where this takes 0.56 (20 procedures, PostgreSQL)."""
    if not ids:
        return {}
    columns = ", ".join(connection.ops.quote_name(name) for name in ("id", *LISTING_FIELDS))
    sql = (
        f"SELECT {columns} FROM {Procedure._meta.db_table} "  # noqa: S608 # nosec B608 - names and placeholders only
        f"WHERE id IN ({', '.join(['%s'] * len(ids))})"
    )
    return {procedure.pk: procedure for procedure in Procedure.objects.raw(sql, list(ids))}


def browse_procedures(filters: Filters):
    """Procedures holding every filter value, by name (no text to rank by); only the columns a
    list shows are loaded."""
    procedures = Procedure.objects.only(*LISTING_FIELDS).order_by("name", "code")
    facets = filters.facets()
    if facets:
        sql, params = engine().facet_keys(facets, filters.exclude())
        # The SQL is the engine's own, its values passed as parameters.
        procedures = procedures.filter(search_index__key__in=RawSQL(sql, params))  # noqa: S611 # nosec B611
    if not filters.include_withdrawn:
        procedures = procedures.filter(status=ProcedureStatus.ACTIVE)
    return procedures


def search_procedures(
    text: str, filters: Filters | None = None, *, limit: int = MAX_RESULTS, words: Lexicon | None = None
) -> SearchResults:
    """Procedures answering ``text``, best first (at most ``limit``): a procedure whose code is
    typed, then the coordinators' best bets for this query, then the ranked candidates of the
    query as typed and in the catalogue's words (the lexicon, ``words``: by default the shipped
    one with the province's entries). When they answer poorly and a word is unknown, the query
    is also run with that word's typing mistake corrected, and ``suggestion`` says so."""
    filters = filters if filters is not None else Filters()
    query = fts.parse_query(text)
    results = SearchResults(query=query)
    if not query:
        return results
    words = words if words is not None else lexicon.current()
    search_engine = engine()
    stats = search_engine.load_statistics()
    typed = [fts.term_of(word) for word in fts.words(text) if fts.term_of(word)][: fts.MAX_QUERY_WORDS]
    queries = [query] + _forms(typed, words)
    found = _gather(search_engine, queries, stats, filters, words.core(typed))
    if not any(c.coverage >= fts.GOOD_COVERAGE for c in found.values()):
        corrected = fts.correct(typed, stats, words.vocabulary)
        if corrected:
            more = [fts.parse_query(" ".join(corrected))] + _forms(corrected, words)
            better = _gather(search_engine, more, stats, filters, words.core(corrected))
            # Suggested only when the corrected words name a procedure well and better.
            if any(c.coverage >= fts.GOOD_COVERAGE for c in better.values()) and max(
                (c.score for c in better.values()), default=0.0
            ) > max((c.score for c in found.values()), default=0.0):
                results.suggestion = _suggestion(text, typed, corrected)
                for key, candidate in better.items():
                    if key not in found or candidate.score > found[key].score:
                        found[key] = candidate
                queries += more
    results.query = fts.Query(
        text=text, terms=tuple(dict.fromkeys(t for q in queries for t in q.terms)), exact=query.exact
    )
    best = sorted(found.values(), key=lambda c: (-c.score, c.key))

    pinned = list(dict.fromkeys(_by_code(text, filters) + _best_bets(text, filters)))
    hits = [Hit(procedure_id=pid, score=float("inf"), in_name=True) for pid in pinned]
    for candidate in best:
        if candidate.coverage < MIN_COVERAGE and not candidate.in_text:
            continue
        if candidate.procedure_id not in pinned:
            hits.append(
                Hit(
                    procedure_id=candidate.procedure_id,
                    score=candidate.score,
                    in_name=candidate.coverage >= fts.GOOD_COVERAGE,
                )
            )
    results.hits = hits[:limit]
    return results


def _forms(typed: Sequence[str], words: Lexicon) -> list[Query]:
    return [fts.parse_query(" ".join(form)) for form in words.forms(typed)]


def _gather(
    search_engine: fts.Engine, queries: Sequence[Query], stats, filters: Filters, core: Sequence[str] = ()
) -> dict[int, _Candidate]:
    """Candidates of the queries (the first as typed, the others its other forms) by key, scored
    by the best of the forms. ``core``: the catalogue's words of the lexicon entries found (see
    ``Lexicon.core``), looked up too; when there are any, the score of the words as typed counts
    for ``AS_TYPED`` of itself: "sổ đỏ" means a land-use certificate more than names holding "số"
    and "độ", yet a name holding every word typed ("giấy phép kinh doanh vận tải") still wins."""
    facets, exclude = filters.facets(), filters.exclude()
    found: dict[int, bool] = {}
    forms = list(queries[1:])
    if core and list(core) not in [list(q.terms) for q in queries]:
        forms.append(fts.parse_query(" ".join(core)))
    if forms:
        found.update(fts.find_forms(search_engine, forms, stats, facets, exclude=exclude))
    # The words as typed: only the names holding all of them when the catalogue's words found
    # enough (the other look-ups, the texts' among them, serve queries that are not quite a name).
    thorough = len(found) < fts.FORMS_ENOUGH
    for key, in_text in fts.find(search_engine, queries[0], stats, facets, exclude=exclude, thorough=thorough).items():
        if in_text:
            found[key] = True
        else:
            found.setdefault(key, False)
    rankers = [(fts.Ranker(each, stats), AS_TYPED if core and i == 0 else 1.0) for i, each in enumerate(queries)]
    return {c.key: c for c in _rank(rankers, _candidates(found))}


def _suggestion(text: str, typed: Sequence[str], corrected: Sequence[str]) -> str:
    """The query as typed with the corrected words in place ("dang ky kahi sinh" → "dang ky
    khai sinh")."""
    written = [word for word in fts.words(text) if fts.term_of(word)][: len(typed)]
    return " ".join(
        fixed if fixed != term else word for word, term, fixed in zip(written, typed, corrected, strict=False)
    )


@dataclass
class _Candidate(Candidate):
    procedure_id: int = 0
    facets: str = ""


def _candidates(found: dict[int, bool]) -> list[_Candidate]:
    if not found:
        return []
    # Plain SQL: the ORM spends 1.2 ms of Python on a lookup of 200 keys that PostgreSQL answers
    # in 0.8 ms (SEARCH.md), on every search.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key, procedure_id, terms, exact, summary, facets "  # noqa: S608 # nosec B608 - placeholders only
            f"FROM {ProcedureIndex._meta.db_table} WHERE key IN ({', '.join(['%s'] * len(found))})",
            list(found),
        )
        rows = cursor.fetchall()
    return [
        _Candidate(
            key=key,
            procedure_id=pid,
            name_terms=terms,
            exact_terms=exact,
            summary_terms=summary,
            in_text=found[key],
            facets=facets,
        )
        for key, pid, terms, exact, summary, facets in rows
    ]


# Where several procedures answer alike, the one a citizen goes to near home comes first: the
# commune's, then the district's and the province's, then the central agencies' (SEARCH.md).
LEVEL_PREFERENCE = {"xa": 0.15, "huyen": 0.1, "tinh": 0.08}
PROVINCE_PREFERENCE = 0.1  # the province's own procedures (its name among the agencies)
AS_TYPED = 0.9  # weight of the words as typed when the lexicon knows some of them (``_gather``)
WHOLE = 0.999  # the preference orders names holding the whole phrase of a form, never the others


def _rank(rankers: Sequence[tuple[fts.Ranker, float]], candidates: list[_Candidate]) -> list[_Candidate]:
    """Score each candidate by the best of the query's forms (as typed, in the catalogue's
    words); among names holding every word of a form, prefer the citizen's level and province."""
    province = [fts.facet_token("agency", term) for term in fts.terms(settings.CCHC_PROVINCE)]
    levels = [(fts.facet_token("level", level), bonus) for level, bonus in LEVEL_PREFERENCE.items()]
    for candidate in candidates:
        best_score, best_coverage, whole = 0.0, 0.0, False
        for ranker, weight in rankers:
            value = weight * ranker.score(candidate)
            whole = whole or (candidate.coverage >= WHOLE and candidate.phrase >= WHOLE)
            if value > best_score:
                best_score, best_coverage = value, candidate.coverage
        if not whole:
            candidate.score, candidate.coverage = best_score, best_coverage
            continue
        facets = set(candidate.facets.split())
        best_score += max(
            (bonus for token, bonus in levels if token in facets),
            default=0.0,
        )
        if province and all(token in facets for token in province):
            best_score += PROVINCE_PREFERENCE
        candidate.score, candidate.coverage = best_score, best_coverage
    return candidates


def _best_bets(text: str, filters: Filters) -> list[int]:
    """The procedures coordinators chose to show first for this query (``BestBet``). Plain SQL:
    asked on every search and almost always empty, it cost 0.65 ms of the ORM's Python."""
    sql = (
        f"SELECT bet.procedure_id FROM {BestBet._meta.db_table} bet "  # noqa: S608 # nosec B608 - table names only
        f"JOIN {Procedure._meta.db_table} proc ON proc.id = bet.procedure_id "
        "WHERE bet.folded = %s AND (%s OR proc.status = %s) ORDER BY bet.created_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [lexicon.fold_phrase(text), filters.include_withdrawn, ProcedureStatus.ACTIVE])
        return [row[0] for row in cursor.fetchall()]


def _by_code(text: str, filters: Filters) -> list[int]:
    """A query that is a procedure's code ("1.001193") finds that procedure first."""
    code = text.strip()
    if not _CODE.fullmatch(code) or not any(char.isdigit() for char in code):
        return []
    procedures = Procedure.objects.filter(code=code)
    if not filters.include_withdrawn:
        procedures = procedures.active()
    return list(procedures.values_list("id", flat=True))
