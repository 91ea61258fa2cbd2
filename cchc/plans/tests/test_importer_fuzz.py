"""The importer never crashes: any input gives a plan or a PlanImportError, nothing else."""

import io
import os
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.plans.importer import PlanImportError, parse_plan

from .documents import district_plan_docx

PLANS = Path(__file__).parent / "plans"
SAMPLE_LINES = sorted(
    {
        line
        for path in PLANS.glob("*.*")
        if path.suffix in (".md", ".txt")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    | {
        "KẾ HOẠCH",
        "| STT | Nội dung | Cơ quan chủ trì | Thời gian |",
        "|---|---|---|---|",
        "| 1 | a | b | Quý V |",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "c) Thời gian thực hiện: tháng 13/2024",
        "ngày 31/2/2024",
        "Quý IX",
        "b) Cơ quan thực hiện: chủ trì, phối hợp với",
        "Số: /",
        "(((",
        "a) )",
        "- - -",
        "III.",
        "1.",
        "\t\t\t",
    }
)
DISTRICT_DOCX = district_plan_docx()
SEED_TEXT = (PLANS / "ia-kha-2023.md").read_bytes()
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,  # no .hypothesis folder in the work tree
    suppress_health_check=[HealthCheck.too_slow],
)


def _parses_or_refuses(data: bytes, filename: str) -> None:
    try:
        plan = parse_plan(data, filename)
    except PlanImportError as err:
        assert err.code and err.message and err.message_en
        return
    assert plan["schema"] == "cchc.plan/1"
    assert isinstance(plan["activities"], list) and isinstance(plan["warnings"], list)


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from(["a.docx", "a.md", "a.txt", "a.pdf", "a.doc", ""]))
def test_it_survives_random_bytes(data, filename):
    _parses_or_refuses(data, filename)


@FUZZ
@given(st.text(max_size=3000))
def test_it_survives_random_text(text):
    _parses_or_refuses(text.encode("utf-8"), "a.txt")


@FUZZ
@given(st.lists(st.sampled_from(SAMPLE_LINES), max_size=120), st.sampled_from(["\n", "\n\n"]))
def test_it_survives_shuffled_plan_lines(lines, separator):
    _parses_or_refuses(separator.join(lines).encode("utf-8"), "a.md")


@FUZZ
@given(st.integers(min_value=0, max_value=len(SEED_TEXT)))
def test_it_survives_a_truncated_text_plan(cut):
    _parses_or_refuses(SEED_TEXT[:cut], "a.md")


@FUZZ
@given(st.integers(min_value=0, max_value=len(DISTRICT_DOCX)), st.lists(st.integers(0, 255), max_size=8))
def test_it_survives_truncated_and_damaged_docx(cut, noise):
    data = bytearray(DISTRICT_DOCX[:cut])
    for k, byte in enumerate(noise):
        if data:
            data[(k * 7919) % len(data)] = byte
    _parses_or_refuses(bytes(data), "a.docx")


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["p", "h", "bullet", "table"]), st.sampled_from(SAMPLE_LINES)), max_size=40))
def test_it_survives_random_word_documents(items):
    document = docx.Document()
    for kind, text in items:
        text = "".join(c for c in text if c.isprintable())
        if kind == "p":
            document.add_paragraph(text)
        elif kind == "h":
            document.add_heading(text, level=2)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        else:
            cells = (text.split("|") + ["", "", ""])[:3]
            table = document.add_table(rows=2, cols=3)
            for cell, value in zip(table.rows[0].cells, ("STT", "Nội dung", "Thời gian"), strict=True):
                cell.text = value
            for cell, value in zip(table.rows[1].cells, cells, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    _parses_or_refuses(out.getvalue(), "a.docx")
