"""How much of the portal's flattened structure the parser recovers, for the tests and for people.

    python -m cchc.procedures.recovery ../shared/data/tthc/national-portal-2642.jsonl

prints one JSON object: per table, how many records have it, how many got rows, and how many
got rows that say everything the source said (``*_text`` empty).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence

from cchc.procedures.records import ProcedureData

Check = Callable[[ProcedureData], bool]

# table name → (the record has this table, rows were recovered, the rows are lossless)
TABLES: dict[str, tuple[Check, Check, Check]] = {
    "channels": (
        lambda d: bool(d.channels or d.channels_text),
        lambda d: bool(d.channels),
        lambda d: bool(d.channels) and not d.channels_text,
    ),
    "documents": (
        lambda d: bool(d.documents or d.documents_text),
        lambda d: bool(d.documents),
        lambda d: bool(d.documents) and not d.documents_text,
    ),
    "legal_bases": (
        lambda d: bool(d.legal_bases or d.legal_bases_text),
        lambda d: bool(d.legal_bases),
        lambda d: bool(d.legal_bases) and not d.legal_bases_text,
    ),
    "steps": (
        lambda d: bool(d.steps or d.steps_text),
        lambda d: bool(d.steps),
        lambda d: bool(d.steps) and not d.steps_text,
    ),
    "results": (
        lambda d: bool(d.results or d.results_text),
        lambda d: bool(d.results),
        lambda d: bool(d.results) and not d.results_text,
    ),
}


def recovery_rates(procedures: Sequence[ProcedureData]) -> dict[str, dict[str, float | int]]:
    rates: dict[str, dict[str, float | int]] = {}
    for table, (present, recovered, lossless) in TABLES.items():
        having = [d for d in procedures if present(d)]
        rates[table] = {
            "records": len(procedures),
            "with_table": len(having),
            "with_rows": sum(map(recovered, having)),
            "lossless": sum(map(lossless, having)),
            "rows_rate": _rate(sum(map(recovered, having)), len(having)),
            "lossless_rate": _rate(sum(map(lossless, having)), len(having)),
        }
    rates["details"] = _details(procedures)
    return rates


def _details(procedures: Sequence[ProcedureData]) -> dict[str, float | int]:
    channels = [c for d in procedures for c in d.channels]
    documents = [doc for d in procedures for doc in d.documents]
    bases = [b for d in procedures for b in d.legal_bases]
    return {
        "channel_rows": len(channels),
        "channel_rows_with_numeric_time": sum(c.time_value is not None for c in channels),
        "channel_rows_with_fee": sum(c.fee_amount is not None for c in channels),
        "document_rows": len(documents),
        "document_rows_with_forms": sum(bool(doc.forms) for doc in documents),
        "legal_basis_rows": len(bases),
        "legal_basis_rows_with_issuer": sum(bool(b.issuer) for b in bases),
        "legal_basis_rows_with_date": sum(b.issued_on is not None for b in bases),
        "records_with_online_level": sum(d.online_level is not None for d in procedures),
        "records_offering_online_submission": sum(d.online_submission_offered for d in procedures),
    }


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def main(argv: list[str]) -> int:
    from cchc.procedures.fileformats import read_file

    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    result = read_file(argv[0])
    for error in result.errors:
        print(f"dòng {error.row}, {error.field}: {error.message}", file=sys.stderr)
    print(json.dumps(recovery_rates(result.procedures), indent=2))
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
