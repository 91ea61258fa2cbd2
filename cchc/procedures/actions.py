"""Changes to the procedure catalogue. Each runs in one transaction and writes one audit row."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.audit.actions import record
from cchc.procedures.fileformats import ReadResult, RowError, read_file
from cchc.procedures.lexicon import fold_phrase
from cchc.procedures.models import BestBet, Procedure, ProcedureStatus, SearchSynonym
from cchc.procedures.records import ProcedureData
from cchc.procedures.search import refresh_search_statistics, write_index

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo-procedures.jsonl"
_BATCH = 500


class ImportRefused(Exception):
    """The file has errors: nothing was changed. ``errors`` name each row and reason."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} lỗi, không nhập gì")
        self.errors = list(errors)


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), by procedure code."""

    source: str
    full: bool
    dry_run: bool
    read: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # withdrawn before, in the file again
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "added": len(self.added),
            "changed": len(self.changed),
            "restored": len(self.restored),
            "unchanged": len(self.unchanged),
            "withdrawn": len(self.withdrawn),
        }

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "counts": self.counts()}


def do_import_procedures_file(
    path: str | Path, *, full: bool = False, dry_run: bool = False, actor=None
) -> ImportReport:
    """Read a catalogue file (.jsonl, .csv, .xlsx; IMPORT_FORMAT.md) and import it whole or not at
    all. Raises ImportRefused, changing nothing, if any row has an error."""
    path = Path(path)
    result = read_file(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
    return do_import_procedures(result, source=path.name, full=full, dry_run=dry_run, actor=actor, sha256=digest)


def do_import_procedures(
    result: ReadResult, *, source: str, full: bool = False, dry_run: bool = False, actor=None, sha256: str = ""
) -> ImportReport:
    """Upsert procedures by code from what a reader returned.

    - a new code is added; a known code whose content hash differs is changed; a withdrawn code
      that is in the file again is restored (and updated);
    - with ``full``, the file is the whole catalogue: an active procedure missing from it is
      marked withdrawn (it stays visible, marked as such). Without ``full`` nothing is withdrawn,
      so a file of a few new procedures cannot withdraw the rest by mistake;
    - any reading or validation error refuses the whole file (ImportRefused), so the catalogue
      is never half-imported; a database error rolls the transaction back the same way.
    """
    try:
        if result.errors:
            raise ImportRefused(result.errors)
        return _apply(result, source=source, full=full, dry_run=dry_run, actor=actor, sha256=sha256)
    except ImportRefused as refused:
        # Written after the import's transaction rolled back, so the refusal stays on record.
        record(
            "procedures.import_refused",
            None,
            actor=actor,
            source=source,
            sha256=sha256,
            errors=len(refused.errors),
            first_errors=[list(error) for error in refused.errors[:20]],
        )
        raise


@transaction.atomic
def _apply(result: ReadResult, *, source: str, full: bool, dry_run: bool, actor, sha256: str) -> ImportReport:
    _lock_catalogue()
    report = ImportReport(source=source, full=full, dry_run=dry_run, read=len(result.procedures))
    existing = {
        code: (pk, content_hash, status)
        for code, pk, content_hash, status in Procedure.objects.values_list("code", "pk", "content_hash", "status")
    }
    now = timezone.now()
    new: list[Procedure] = []
    updated: list[Procedure] = []
    errors: list[RowError] = []
    for data, row in zip(result.procedures, result.rows or range(1, len(result.procedures) + 1), strict=True):
        values = Procedure.values_from(data)
        known = existing.get(data.code)
        if known is None:
            procedure = Procedure(**values, status=ProcedureStatus.ACTIVE, created_at=now, changed_at=now)
            report.added.append(data.code)
            new.append(procedure)
        else:
            pk, content_hash, status = known
            if content_hash == values["content_hash"] and status == ProcedureStatus.ACTIVE:
                report.unchanged.append(data.code)
                continue
            procedure = Procedure(pk=pk, **values, status=ProcedureStatus.ACTIVE, withdrawn_at=None, changed_at=now)
            (report.restored if status == ProcedureStatus.WITHDRAWN else report.changed).append(data.code)
            updated.append(procedure)
        errors += _validate(procedure, row)
    if errors:
        raise ImportRefused(errors)
    seen = {data.code for data in result.procedures}
    withdrawn_ids = []
    if full:
        for code, (pk, _, status) in existing.items():
            if code not in seen and status == ProcedureStatus.ACTIVE:
                report.withdrawn.append(code)
                withdrawn_ids.append(pk)
    for codes in (report.added, report.changed, report.restored, report.unchanged, report.withdrawn):
        codes.sort()
    if dry_run:
        return report

    Procedure.objects.bulk_create(new, batch_size=_BATCH)
    editable = [f.name for f in Procedure._meta.concrete_fields if f.name not in ("id", "code", "created_at")]
    Procedure.objects.bulk_update(updated, editable, batch_size=_BATCH)
    Procedure.objects.filter(pk__in=withdrawn_ids).update(status=ProcedureStatus.WITHDRAWN, withdrawn_at=now)
    _reindex(
        [(p.pk, p.to_data(), ProcedureStatus.ACTIVE) for p in new + updated],
        withdrawn_ids,
    )
    if new or updated or withdrawn_ids:
        refresh_search_statistics()
    record(
        "procedures.import",
        None,
        actor=actor,
        source=source,
        sha256=sha256,
        full=full,
        **report.counts(),
        withdrawn_codes=report.withdrawn[:200],
    )
    return report


def _validate(procedure: Procedure, row: int) -> list[RowError]:
    # Constraints are not checked here: the only one (withdrawn_at set if and only if withdrawn) holds by
    # construction, as _apply makes every record it reads active with no date, and the database enforces it
    # anyway. Django checks it with a query per record: 4.4 of the 10.7 s an import of the 2,642 national
    # records took.
    try:
        procedure.full_clean(
            exclude=["code"] if procedure.pk else None, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return [
            RowError(row, name, f"{message}") for name, messages in error.message_dict.items() for message in messages
        ]
    return []


def _lock_catalogue() -> None:
    """Two imports at once would both see a code as new; the second waits for the first.
    (SQLite already serialises writers: transactions take the write lock when they begin.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('cchc.procedures.import'))")


def _reindex(items: Sequence[tuple[int, ProcedureData, str]], withdrawn_ids: Sequence[int]) -> None:
    """Rewrite the index rows of these procedures (the key changes with the name's length)."""
    items = list(items)
    for procedure in Procedure.objects.filter(pk__in=withdrawn_ids):
        items.append((procedure.pk, procedure.to_data(), ProcedureStatus.WITHDRAWN))
    write_index(items, batch_size=_BATCH)


def load_demo_procedures(*, actor=None) -> ImportReport:
    """The few dozen procedures a commune handles (data/demo-procedures.jsonl), for ``cchc
    load_demo``; importing them again changes nothing."""
    return do_import_procedures_file(DEMO_FILE, actor=actor)


# --- the province's search words -------------------------------------------------------------------


@transaction.atomic
def do_add_synonym(phrase: str, replacement: str, *, actor) -> SearchSynonym:
    """Add (or change) a province's entry of the search lexicon: ``phrase`` as citizens say it,
    ``replacement`` in the catalogue's words (empty: words that say nothing of the procedure).
    Raises ValidationError with a Vietnamese message for a phrase without any word."""
    phrase, replacement = " ".join(phrase.split()), " ".join(replacement.split())
    folded = fold_phrase(phrase)
    if not folded:
        raise ValidationError({"phrase": _("Hãy nhập từ người dân dùng (có ít nhất một chữ hoặc số).")})
    if folded == fold_phrase(replacement):
        raise ValidationError({"replacement": _("Từ trong danh mục phải khác từ người dân dùng.")})
    synonym = SearchSynonym.objects.filter(folded=folded).first() or SearchSynonym(folded=folded)
    before = synonym.replacement if synonym.pk else None
    synonym.phrase, synonym.replacement = phrase, replacement
    synonym.full_clean()
    synonym.save()
    record("procedures.synonym_add", synonym, actor=actor, phrase=phrase, replacement=replacement, previous=before)
    return synonym


@transaction.atomic
def do_remove_synonym(synonym: SearchSynonym, *, actor) -> None:
    record("procedures.synonym_remove", synonym, actor=actor, phrase=synonym.phrase, replacement=synonym.replacement)
    synonym.delete()


@transaction.atomic
def do_add_best_bet(query: str, code: str, *, actor) -> BestBet:
    """Show the procedure ``code`` first for ``query`` (compared without accents or case)."""
    query = " ".join(query.split())
    folded = fold_phrase(query)
    if not folded:
        raise ValidationError({"query": _("Hãy nhập câu tìm kiếm.")})
    procedure = Procedure.objects.filter(code=code.strip()).first()
    if procedure is None:
        raise ValidationError({"code": _("Không có thủ tục mã “%(code)s” trong danh mục.") % {"code": code.strip()}})
    bet = BestBet.objects.filter(folded=folded, procedure=procedure).first()
    if bet is None:
        bet = BestBet(query=query, folded=folded, procedure=procedure)
        bet.full_clean()
        bet.save()
    record("procedures.best_bet_add", bet, actor=actor, query=query, code=procedure.code)
    return bet


@transaction.atomic
def do_remove_best_bet(bet: BestBet, *, actor) -> None:
    record("procedures.best_bet_remove", bet, actor=actor, query=bet.query, code=bet.procedure.code)
    bet.delete()
