"""Test data for the catalogue: ``make_procedure_data(**overrides)``, importing records through the
real action, and the national records read once per process from ../shared (never copied)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from cchc.procedures.actions import ImportReport, do_import_procedures
from cchc.procedures.fileformats import ReadResult, read_jsonl
from cchc.procedures.records import Channel, Document, LegalBasis, ProcedureData, Step

REPO = Path(__file__).resolve().parents[2]
# ../shared beside the checkout (or beside the directory of worktrees holding it).
SHARED = next(
    (path for path in (REPO.parent / "shared", REPO.parent.parent / "shared") if path.exists()), REPO.parent / "shared"
)
PORTAL_DATA = SHARED / "data" / "tthc" / "national-portal-2642.jsonl"
DEMO_DATA = Path(__file__).resolve().parent / "data" / "demo-procedures.jsonl"


def make_procedure_data(**overrides) -> ProcedureData:
    data = {
        "code": "9.000001",
        "name": "Đăng ký khai sinh",
        "levels": ["xa"],
        "field": "Hộ tịch",
        "implementing_agencies": ["Ủy ban nhân dân cấp xã"],
        "steps": [Step(number=1, title="Bước 1: Nộp hồ sơ", text="Nộp tờ khai tại Ủy ban nhân dân cấp xã.")],
        "channels": [Channel(kind="truc_tiep", time_text="Trong ngày", fee_amount=0)],
        "documents": [Document(name="Tờ khai đăng ký khai sinh", originals=1, forms=["Mẫu TK.docx"])],
        "legal_bases": [LegalBasis(number="60/2014/QH13", title="Luật Hộ tịch", issuer="Quốc hội")],
    }
    data.update(overrides)
    return ProcedureData(**data)


def import_records(records, *, full: bool = False, source: str = "test") -> ImportReport:
    records = list(records)
    return do_import_procedures(
        ReadResult(procedures=records, rows=list(range(1, len(records) + 1))), source=source, full=full
    )


@cache
def portal_read() -> ReadResult:
    return read_jsonl(PORTAL_DATA)


def portal_records() -> ReadResult:
    """The 2,642 national records, parsed once per test process; skipped when ../shared is absent."""
    if not PORTAL_DATA.exists():
        pytest.skip(f"national portal records not found at {PORTAL_DATA}")
    return portal_read()


def demo_records() -> list[ProcedureData]:
    return read_jsonl(DEMO_DATA).procedures
