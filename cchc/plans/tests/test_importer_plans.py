"""Whole documents, scored with the project's plan-score tool: every field right on each test plan.

The documents are varied on purpose — a department plan in plain text with a two-column header, a
district plan in .docx with an appendix task table, a commune plan in Markdown signed "KT. CHỦ TỊCH",
a hard-wrapped province plan, a Markdown plan with a pipe task table, a department plan whose forms of
activity are lettered items under a combined "Nội dung, hình thức" part — and the real 2024 Gia Lai plan.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.plans.importer import parse_plan, plan_to_json
from cchc.plans.importer.__main__ import main

from .documents import SHARED, district_plan_docx, needs_shared, text_pdf

HERE = Path(__file__).parent
PLANS = HERE / "plans"


def _score(expected: Path, plan: dict, tmp_path: Path) -> str:
    actual = tmp_path / "actual.json"
    actual.write_text(plan_to_json(plan), encoding="utf-8")
    tool = SHARED / "tools" / "plan-score"
    result = subprocess.run(
        [sys.executable, str(tool), str(expected), str(actual)], capture_output=True, text=True, check=False
    )
    return result.stdout


DOCUMENTS = [
    ("kon-tum-stp-2025.txt", "kon-tum-stp-2025.expected.json"),
    ("ia-kha-2023.md", "ia-kha-2023.expected.json"),
    ("quang-ngai-2026-wrapped.txt", "quang-ngai-2026-wrapped.expected.json"),
    ("lam-dong-2025-table.md", "lam-dong-2025-table.expected.json"),
    ("binh-dinh-sgddt-2024.md", "binh-dinh-sgddt-2024.expected.json"),
]


@needs_shared
@pytest.mark.parametrize(("document", "expected"), DOCUMENTS)
def test_it_gets_every_field_right_on_the_test_plans(document, expected, tmp_path):
    plan = parse_plan((PLANS / document).read_bytes(), document)
    assert "plan-score: 1.000" in _score(PLANS / expected, plan, tmp_path)


@needs_shared
def test_it_gets_every_field_right_on_a_district_docx_with_a_task_table(tmp_path):
    plan = parse_plan(district_plan_docx(), "chu-se-2025.docx")
    assert "plan-score: 1.000" in _score(PLANS / "chu-se-2025.expected.json", plan, tmp_path)


@needs_shared
def test_it_gets_every_field_right_on_the_real_gia_lai_2024_plan(tmp_path):
    plans = SHARED / "plans"
    plan = parse_plan((plans / "gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md").read_bytes(), "gia-lai-2024.md")
    assert "plan-score: 1.000" in _score(plans / "gia-lai-2024.expected.json", plan, tmp_path)


def test_it_reads_the_same_plan_alike_as_markdown_and_as_plain_text():
    markdown = (PLANS / "ia-kha-2023.md").read_bytes()
    plain = markdown.replace(b"**", b"").replace(b"# ", b"").replace(b"#", b"")
    first, second = parse_plan(markdown, "a.md"), parse_plan(plain, "a.txt")
    for key in ("title", "issuer", "signer", "activities", "topics", "recipients", "legal_bases"):
        assert first[key] == second[key], key


def test_it_keeps_the_original_text_beside_each_interpretation():
    plan = parse_plan((PLANS / "kon-tum-stp-2025.txt").read_bytes(), "a.txt")
    assert plan["source"]["issued_on"]["text"] == "Kon Tum, ngày 08 tháng 01 năm 2025"
    assert plan["source"]["signer"]["text"] == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nNguyễn Thị Hoa"
    activity = plan["activities"][1]
    assert activity["schedule_text"] == "Tháng 3 - tháng 5/2025."
    assert activity["agencies_text"].startswith("Phòng Hành chính tư pháp chủ trì")
    assert plan["legal_bases"][1]["text"].startswith("Kế hoạch số 4512/KH-UBND ngày 27 tháng 12 năm 2024")
    assert all(isinstance(a["line"], int) for a in plan["activities"])


def test_it_writes_json_with_vietnamese_letters_unescaped():
    text = plan_to_json({"title": "Tuyên truyền"})
    assert text == '{\n "title": "Tuyên truyền"\n}'
    assert json.loads(text) == {"title": "Tuyên truyền"}


def test_the_command_prints_json_and_refuses_with_a_message(tmp_path, capsys):
    assert main([str(PLANS / "ia-kha-2023.md"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["schema"] == "cchc.plan/1"
    legacy = tmp_path / "cu.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert main([str(legacy)]) == 2
    assert "docx" in capsys.readouterr().err


PDF_LINES = [
    "UY BAN NHAN DAN",
    "TINH GIA LAI",
    "So: 15/KH-UBND",
    "Gia Lai, ngay 10 thang 01 nam 2025",
    "KE HOACH",
    "Tuyen truyen cai cach hanh chinh nam 2025 tren dia ban tinh Gia Lai cua UBND tinh",
    "Can cu Quyet dinh so 20/QD-UBND ngay 05/01/2025 cua UBND tinh ve cai cach hanh chinh.",
    "I. MUC DICH, YEU CAU",
    "1. Muc dich",
    "- Nang cao nhan thuc cua can bo, cong chuc, vien chuc ve cai cach hanh chinh tren toan",
    "dia ban tinh va trong tung co quan, don vi.",
    "II. NOI DUNG TUYEN TRUYEN",
    "1. Chuong trinh tong the cai cach hanh chinh.",
    "III. HINH THUC TUYEN TRUYEN",
    "1. Tap huan cho cong chuc",
    "a) Co quan thuc hien: So Noi vu chu tri, phoi hop voi So Tu phap, Cong an tinh va",
    "Truong Chinh tri tinh.",
    "b) Thoi gian thuc hien: Quy II/2025.",
    "Noi nhan:",
    "- Luu: VT.",
    "TM. UY BAN NHAN DAN",
    "CHU TICH",
    "Nguyen Van A",
]


def test_it_reads_a_pdf_with_a_text_layer_joining_its_wrapped_lines():
    plan = parse_plan(text_pdf(PDF_LINES), "ke-hoach.pdf")
    # Helvetica carries no Vietnamese letters, so this document is unaccented; matching ignores accents
    assert (plan["issuer"], plan["number"], plan["issued_on"], plan["year"]) == (
        "UBND tinh Gia Lai",
        "15",
        "2025-01-10",
        2025,
    )
    assert plan["objectives"] == [
        (
            "Nang cao nhan thuc cua can bo, cong chuc, vien chuc ve cai cach hanh chinh tren toan "
            "dia ban tinh va trong tung co quan, don vi."
        )
    ]
    assert plan["legal_bases"][0]["number"] == "20/QD-UBND" and plan["legal_bases"][0]["date"] == "2025-01-05"
    activity = plan["activities"][0]
    assert activity["period"] == {"start": "2025-04-01", "end": "2025-06-30"}
    assert [a["role"] for a in activity["agencies"]] == ["lead", "coordinate", "coordinate", "coordinate"]
    assert plan["signer"] == {"name": "Nguyen Van A", "title": "Chu tich"}
    assert plan["warnings"][0]["code"] == "pdf_layout"
