"""Citizens' words: what people call a procedure or a paper, and the catalogue's words for it.

The lexicon shipped with cchc is ``data/lexicon.txt`` (its header says the format); a province's
own entries (``SearchSynonym``, added by coordinators on screen through the actions) come first.
Matching is on folded words (no accents, lower case), so "CMND", "cmnd" and "Cmnd" are one entry.
The search runs the query as typed and in each of its other forms (at most ``MAX_FORMS``); the
best score counts, so an entry can only add candidates, never hide what the words typed find.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from cchc.lib import search as fts

SHIPPED = Path(__file__).resolve().parent / "data" / "lexicon.txt"
MAX_FORMS = 3  # other forms of one query: an entry with more right sides uses its first three

Terms = tuple[str, ...]


def fold_phrase(text: str) -> str:
    """The folded words of a phrase, space-separated: the key entries and best bets are kept by."""
    return " ".join(fts.terms(text))


def parse_line(line: str) -> tuple[Terms, tuple[Terms, ...]] | None:
    """``phrase = replacement | another`` → (phrase terms, replacements' terms); None for blanks
    and comments. An empty right side is ((),): words that say nothing of the procedure."""
    line = line.strip()
    if not line or line.startswith("#") or "=" not in line:
        return None
    left, right = line.split("=", 1)
    phrase = tuple(fts.terms(left))
    if not phrase:
        return None
    replacements = tuple(tuple(fts.terms(part)) for part in right.split("|"))
    return phrase, replacements or ((),)


@dataclass(frozen=True)
class Lexicon:
    entries: dict[Terms, tuple[Terms, ...]]

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Terms, tuple[Terms, ...]]]) -> Lexicon:
        return cls(entries=dict(pairs))

    def merged_with(self, local: Iterable[tuple[str, str]]) -> Lexicon:
        """This lexicon with a province's entries (phrase, replacement text) taking precedence."""
        entries = dict(self.entries)
        for phrase, replacement in local:
            parsed = parse_line(f"{phrase} = {replacement}")
            if parsed:
                entries[parsed[0]] = parsed[1]
        return Lexicon(entries=entries)

    @cached_property
    def longest(self) -> int:
        return max((len(phrase) for phrase in self.entries), default=0)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of the left sides: words the search knows though no name holds them."""
        return frozenset(term for phrase in self.entries for term in phrase)

    def matches(self, terms: Sequence[str]) -> list[tuple[int, int, tuple[Terms, ...]]]:
        """(start, end, replacements) of the entries found in the terms, left to right, the
        longest entry first at each place; entries do not overlap."""
        found = []
        longest = self.longest
        i = 0
        while i < len(terms):
            for n in range(min(longest, len(terms) - i), 0, -1):
                replacements = self.entries.get(tuple(terms[i : i + n]))
                if replacements is not None:
                    found.append((i, i + n, replacements))
                    i += n
                    break
            else:
                i += 1
        return found

    def forms(self, terms: Sequence[str], limit: int = MAX_FORMS) -> list[list[str]]:
        """The query's other forms: each entry found replaced by its first (second, third…)
        right side. Empty when no entry is found or nothing would change."""
        found = self.matches(terms)
        if not found:
            return []
        forms: list[list[str]] = []
        for k in range(min(limit, max(len(replacements) for _, _, replacements in found))):
            form: list[str] = []
            position = 0
            for start, end, replacements in found:
                form += terms[position:start]
                form += replacements[min(k, len(replacements) - 1)]
                position = end
            form += terms[position:]
            if form and form != list(terms) and form not in forms:
                forms.append(form)
        return forms

    def core(self, terms: Sequence[str]) -> list[str]:
        """The catalogue's words of the entries found, without the other words typed: a long
        query ("xác nhận số cmnd cũ") is also looked up as the names holding every one of them."""
        return [term for _, _, replacements in self.matches(terms) for term in replacements[0]]


@cache
def shipped() -> Lexicon:
    """The lexicon shipped with cchc, read once per process."""
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    return Lexicon.from_pairs(parsed for parsed in map(parse_line, lines) if parsed)


def current() -> Lexicon:
    """The shipped lexicon with this province's entries (one query, asked on every search: plain
    SQL, as the ORM's Python cost 0.8 ms where this costs 0.2, SEARCH.md)."""
    from django.db import connection

    from cchc.procedures.models import SearchSynonym

    table = SearchSynonym._meta.db_table
    with connection.cursor() as cursor:
        # The model's ordering, so that the province's entries merge as before.
        cursor.execute(f"SELECT phrase, replacement FROM {table} ORDER BY folded")  # noqa: S608 # nosec B608
        local = [tuple(row) for row in cursor.fetchall()]
    return shipped().merged_with(local) if local else shipped()
