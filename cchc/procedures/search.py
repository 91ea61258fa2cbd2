"""Searching the procedure catalogue: what each procedure puts in the index, the filters, and
the one ``search_procedures`` that the pages, the API and the command all call.

The engines and the ranking are in cchc.lib.search; SEARCH.md explains the design.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from cchc.lib import search as fts
from cchc.lib.search import Candidate, Query
from cchc.procedures.models import (
    FacetKind,
    Procedure,
    ProcedureIndex,
    ProcedureStatus,
    ProcedureText,
    SearchFacet,
)
from cchc.procedures.records import LEVELS, ONLINE_LEVELS, ProcedureData

TABLES = {
    "documents": "procedures_procedureindex",
    "texts": "procedures_proceduretext",
    "statistics": "procedures_searchterm",
    "name_fts": "procedures_name_fts",
    "text_fts": "procedures_text_fts",
    "name_vocabulary": "procedures_name_vocabulary",
}
MAX_RESULTS = 100  # a search shows at most this many procedures; more words narrow it down
MIN_COVERAGE = 0.3  # a procedure whose name holds less of the query shows only if its texts match

# What citizens call a procedure or a paper, and what the catalogue calls it. A query holding
# the left side is also run with the right side in its place; the better score counts.
EVERYDAY_NAMES: dict[str, str] = {
    "so do": "giấy chứng nhận quyền sử dụng đất",
    "so hong": "giấy chứng nhận quyền sở hữu nhà ở",
    "bang lai": "giấy phép lái xe",
    "bang lai xe": "giấy phép lái xe",
    "gplx": "giấy phép lái xe",
    "cmnd": "căn cước",
    "cccd": "căn cước",
    "chung minh nhan dan": "căn cước",
    "can cuoc cong dan": "căn cước",
    "ho khau": "thường trú",
    "nhap khau": "đăng ký thường trú",
    "giay phep kinh doanh ho": "đăng ký hộ kinh doanh",
    "khai tu": "khai tử",
    "giay chung tu": "trích lục khai tử",
    "lam giay khai sinh": "đăng ký khai sinh",
    "lam khai sinh": "đăng ký khai sinh",
    "lam can cuoc": "cấp thẻ căn cước",
    "lam ho chieu": "cấp hộ chiếu",
    "hon thu": "đăng ký kết hôn",
    "dang ky ket hon voi nguoi nuoc ngoai": "đăng ký kết hôn có yếu tố nước ngoài",
    "xin giay phep xay dung": "cấp giấy phép xây dựng",
    "sang ten": "thay đổi chủ xe",
    "mst": "mã số thuế",
}
_EVERYDAY = {fts.index_text(fts.terms(phrase)): replacement for phrase, replacement in EVERYDAY_NAMES.items()}
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
    procedure_id: int, data: ProcedureData, status: str, *, body_terms: str | None = None
) -> tuple[ProcedureIndex, ProcedureText]:
    """The index rows of one procedure. ``body_terms`` lets a caller that indexes many variants
    of one text (the benchmark) compute them once."""
    key = index_key(procedure_id, data.name)
    facets = fts.index_text(facet_tokens(data, status))
    summary = fts.index_text(fts.text_terms(data.summary_source(), with_pairs=True))
    body = body_terms if body_terms is not None else body_index_text(data)
    return (
        ProcedureIndex(
            key=key, procedure_id=procedure_id, terms=fts.index_text(fts.name_terms(data.name)),
            exact=fts.index_text(fts.exact_terms(data.name)), facets=facets, summary=summary,
        ),
        ProcedureText(key=key, procedure_id=procedure_id, facets=facets, text=f"{summary} {body}".strip()),
    )


def body_index_text(data: ProcedureData) -> str:
    return fts.index_text(fts.text_terms(data.body_source()))


def write_index(items: Sequence[tuple[int, ProcedureData, str]], *, batch_size: int = 500) -> None:
    """Replace the index rows of these (procedure id, record, status)."""
    ids = [pk for pk, _, _ in items]
    ProcedureIndex.objects.filter(procedure_id__in=ids).delete()
    ProcedureText.objects.filter(procedure_id__in=ids).delete()
    for start in range(0, len(items), batch_size):
        rows = [index_rows(pk, data, status) for pk, data, status in items[start : start + batch_size]]
        ProcedureIndex.objects.bulk_create([name for name, _ in rows])
        ProcedureText.objects.bulk_create([text for _, text in rows])


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

    def __len__(self) -> int:
        return len(self.hits)

    def load(self, hits: Sequence[Hit]) -> list[Hit]:
        """Load the procedures of ``hits`` (one page) in one query, with highlighted names and,
        for procedures found by their texts, a highlighted snippet."""
        wanted = [hit.procedure_id for hit in hits]
        procedures = Procedure.objects.only(*LISTING_FIELDS).in_bulk(wanted)
        texts = {}
        needing_snippet = [hit.procedure_id for hit in hits if not hit.in_name]
        if needing_snippet:
            texts = Procedure.objects.in_bulk(needing_snippet)
        for hit in hits:
            hit.procedure = procedures[hit.procedure_id]
            hit.name_html = fts.highlight(hit.procedure.name, self.query)
            if hit.procedure_id in texts:
                data = texts[hit.procedure_id].to_data()
                hit.snippet_html = fts.snippet(data.summary_source() + " " + data.body_source(), self.query)
        return list(hits)


LISTING_FIELDS = ("code", "name", "field", "levels", "online_level", "status", "implementing_agencies")


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


def everyday_alternative(query: Query) -> Query | None:
    """The query with what citizens say replaced by the catalogue's words, if it holds any."""
    joined = " " + " ".join(query.terms) + " "
    for phrase, replacement in _EVERYDAY.items():
        if f" {phrase} " in joined:
            return fts.parse_query(joined.replace(f" {phrase} ", f" {fts.index_text(fts.terms(replacement))} "))
    return None


def search_procedures(text: str, filters: Filters | None = None, *, limit: int = MAX_RESULTS) -> SearchResults:
    """Procedures answering ``text``, best first (at most ``limit``)."""
    filters = filters if filters is not None else Filters()
    query = fts.parse_query(text)
    results = SearchResults(query=query)
    if not query:
        return results
    search_engine = engine()
    stats = search_engine.load_statistics()
    facets, exclude = filters.facets(), filters.exclude()
    queries = [query] + [q for q in [everyday_alternative(query)] if q]

    found: dict[int, bool] = {}
    for each in queries:
        for key, in_text in fts.find(search_engine, each, stats, facets, exclude=exclude).items():
            found.setdefault(key, in_text)
    # The steps, dossiers and legal bases too: the shortest-named procedures holding the query's
    # rarest words there (a bounded look-up; it ranks after any name holding every word).
    text_keys = set(search_engine.shortest("text", [fts.text_lookup_terms(query, stats)], facets, exclude))
    for key in text_keys:
        found[key] = True
    rankers = [fts.Ranker(each, stats) for each in queries]
    candidates = _rank(rankers, _candidates(found))
    best = sorted(candidates, key=lambda c: (-c.score, c.key))

    pinned = _by_code(text, filters)
    hits = [Hit(procedure_id=pid, score=float("inf"), in_name=True) for pid in pinned]
    for candidate in best:
        if candidate.coverage < MIN_COVERAGE and not candidate.in_text:
            continue
        if candidate.procedure_id not in pinned:
            hits.append(Hit(procedure_id=candidate.procedure_id, score=candidate.score,
                            in_name=candidate.coverage >= fts.GOOD_COVERAGE))
    results.hits = hits[:limit]
    return results


@dataclass
class _Candidate(Candidate):
    procedure_id: int = 0


def _candidates(found: dict[int, bool]) -> list[_Candidate]:
    if not found:
        return []
    rows = ProcedureIndex.objects.filter(key__in=list(found)).values_list(
        "key", "procedure_id", "terms", "exact", "summary"
    )
    return [
        _Candidate(key=key, procedure_id=pid, name_terms=terms, exact_terms=exact, summary_terms=summary,
                   in_text=found[key])
        for key, pid, terms, exact, summary in rows
    ]


def _rank(rankers: Sequence[fts.Ranker], candidates: list[_Candidate]) -> list[_Candidate]:
    """Score each candidate by the best of the query's forms (as typed, in the catalogue's words)."""
    for candidate in candidates:
        best_score, best_coverage = 0.0, 0.0
        for ranker in rankers:
            value = ranker.score(candidate)
            if value > best_score:
                best_score, best_coverage = value, candidate.coverage
        candidate.score, candidate.coverage = best_score, best_coverage
    return candidates


def _by_code(text: str, filters: Filters) -> list[int]:
    """A query that is a procedure's code ("1.001193") finds that procedure first."""
    code = text.strip()
    if not _CODE.fullmatch(code) or not any(char.isdigit() for char in code):
        return []
    procedures = Procedure.objects.filter(code=code)
    if not filters.include_withdrawn:
        procedures = procedures.active()
    return list(procedures.values_list("id", flat=True))
