"""Agency assignments in every wording a plan uses, and the time expressions beside them (issue 19).

Three small plans written for these tests — a department plan whose activities are assigned by
"Phân công:", "Giao ...", "Đơn vị thực hiện:", "Trách nhiệm thực hiện:"; a province task table with a
"Cơ quan chủ trì, phối hợp" column; a commune plan hard-wrapped at 75 columns with no blank lines — read
as text, as Markdown and as .docx.
"""

import io
import re
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from cchc.plans.importer import parse_plan
from cchc.plans.importer.activities import field_of
from cchc.plans.importer.agencies import duty_agencies, parse_agencies

PLANS = Path(__file__).parent / "plans"
LEAD, CO, IMPL = "lead", "coordinate", "implement"


def _roles(agencies):
    return [(a["name"], a["role"]) for a in agencies]


def as_docx(text: str, font_size: int | None = None) -> bytes:
    """The same plan as a Word file: one paragraph a line, a pipe table as a Word table."""
    document = docx.Document()
    if font_size:  # small print, so that a scan of it fits on one or two pages
        style = document.styles["Normal"]
        style.font.size = Pt(font_size)
        style.paragraph_format.space_after = Pt(2)
    rows: list[list[str]] = []

    def flush():
        if rows:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            rows.clear()

    for line in text.splitlines():
        if line.startswith("|"):
            if not re.match(r"^\|[-| ]+\|$", line):
                rows.append([c.strip() for c in line.strip("|").split("|")])
            continue
        flush()
        if line.strip():
            document.add_paragraph(line.replace("**", "").lstrip("# "))
    flush()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DEPARTMENT = (PLANS / "kon-tum-stp-2026-assign.txt").read_text(encoding="utf-8")
PROVINCE = (PLANS / "binh-phuoc-2026-table.md").read_text(encoding="utf-8")
COMMUNE = (PLANS / "chu-a-2026-wrapped.txt").read_text(encoding="utf-8")


@pytest.fixture(params=["txt", "docx"])
def department(request):
    data = DEPARTMENT.encode() if request.param == "txt" else as_docx(DEPARTMENT)
    return parse_plan(data, f"stp.{request.param}")


def test_it_reads_assignments_under_every_label_and_as_a_giao_sentence(department):
    acts = department["activities"]
    assert _roles(acts[0]["agencies"]) == [
        ("Văn phòng Sở", LEAD),
        ("Phòng Phổ biến, giáo dục pháp luật", CO),
        ("Thanh tra Sở", CO),
    ]
    assert _roles(acts[1]["agencies"]) == [
        ("Phòng Hành chính tư pháp", LEAD),
        ("Văn phòng Sở", CO),
        ("Phòng Bổ trợ tư pháp", CO),
    ]
    assert _roles(acts[2]["agencies"]) == [("Trung tâm Trợ giúp pháp lý nhà nước", IMPL)]
    assert _roles(acts[3]["agencies"]) == [("Phòng Bổ trợ tư pháp", IMPL)]
    assert _roles(acts[4]["agencies"]) == [("Văn phòng Sở", LEAD), ("các phòng, đơn vị thuộc Sở", CO)]
    assert not [w for w in department["warnings"] if w["path"].startswith("activities")]


def test_it_reads_the_time_expressions_of_a_department_plan(department):
    acts = department["activities"]
    assert acts[0]["recurrence"] == {"every": "quarter", "count": 1, "unit": None}
    assert acts[0]["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert acts[1]["period"] == {"start": "2026-04-01", "end": "2026-09-30"}
    assert acts[2]["period"] is None  # "Khi có tài liệu mới ..." happens when it happens
    assert acts[3]["period"] == {"start": "2026-09-01", "end": "2026-09-30"}
    assert acts[4]["recurrence"]["every"] == "half_year"


def test_it_reads_section_iv_duties_given_as_a_label_or_a_giao_sentence(department):
    assert [_roles(d["agencies"]) for d in department["duties"]] == [
        [("Văn phòng Sở", LEAD)],
        [("Phòng Phổ biến, giáo dục pháp luật", LEAD), ("Văn phòng Sở", CO)],
    ]


@pytest.fixture(params=["md", "docx"])
def province(request):
    data = PROVINCE.encode() if request.param == "md" else as_docx(PROVINCE)
    return parse_plan(data, f"bp.{request.param}")


def test_it_reads_a_task_table_with_a_combined_lead_and_partners_column(province):
    acts = province["activities"]
    assert [_roles(a["agencies"]) for a in acts] == [
        [("Sở Nội vụ", LEAD), ("Báo Bình Phước", CO)],
        [("Sở Tư pháp", LEAD), ("Sở Nội vụ", CO), ("Tỉnh đoàn", CO)],
        [("Sở Văn hóa, Thể thao và Du lịch", IMPL)],
        [("Sở Nội vụ", LEAD), ("UBND các huyện, thị xã, thành phố", CO)],
    ]
    assert acts[0]["recurrence"] == {"every": "quarter", "count": 3, "unit": "tin, bài"}
    assert acts[1]["period"] == {"start": "2026-04-01", "end": "2026-09-30"}
    assert acts[2]["period"] is None
    assert acts[3]["recurrence"]["every"] == "half_year"
    assert [_roles(d["agencies"]) for d in province["duties"]][0] == [("Sở Nội vụ", LEAD)]


def test_it_reads_a_hard_wrapped_commune_plan_with_no_blank_lines():
    plan = parse_plan(COMMUNE.encode(), "chu-a.txt")
    assert (plan["issuer"], plan["number"], plan["issued_on"], plan["year"]) == (
        "UBND xã Chư Á",
        "07",
        "2026-01-05",
        2026,
    )
    assert len(plan["objectives"]) == 2 and plan["objectives"][0].endswith("liên quan đến đất đai.")
    first, second = plan["activities"]
    assert first["title"] == "Tuyên truyền trên hệ thống loa truyền thanh của xã và các thôn, làng trong toàn xã"
    assert _roles(first["agencies"]) == [
        ("Công chức Văn hóa - Xã hội", LEAD),
        ("các thôn, làng", CO),
        ("Đoàn Thanh niên xã", CO),
    ]
    assert first["recurrence"] == {"every": "month", "count": 2, "unit": "lần"}
    assert _roles(second["agencies"]) == [("Công chức Văn phòng - Thống kê", IMPL)]
    assert plan["recipients"] == ["UBND huyện", "Lưu: VT"]
    assert plan["signer"]["name"] == "Rơ Châm Hơn"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("Phân công: Sở Nội vụ", "agencies"),
        ("Giao: Sở Nội vụ", "agencies"),
        ("Đơn vị thực hiện: Sở Nội vụ", "agencies"),
        ("Trách nhiệm thực hiện: Sở Nội vụ", "agencies"),
        ("Cơ quan chủ trì, phối hợp: Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp", "agencies"),
        ("Giao Sở Nội vụ chủ trì; Sở Tư pháp, Công an tỉnh phối hợp thực hiện.", "agencies"),
        ("Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp tổ chức hội nghị.", "agencies"),
        ("Đơn vị chủ trì: Sở Nội vụ", "lead"),
        ("Đơn vị phối hợp: Sở Tư pháp", "coordinate"),
        ("Giao lưu văn nghệ với chủ đề cải cách hành chính", None),
        ("Phối hợp chặt chẽ giữa các cơ quan báo chí", None),
    ],
)
def test_it_knows_an_assignment_by_its_label_or_its_shape(line, field):
    assert field_of(line)[0] == field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp và Công an tỉnh",
            [("Sở Nội vụ", LEAD), ("Sở Tư pháp", CO), ("Công an tỉnh", CO)],
        ),
        (
            "Giao Sở Văn hóa, Thể thao và Du lịch chủ trì; Sở Nội vụ, Đài Phát thanh và Truyền hình tỉnh phối hợp",
            [("Sở Văn hóa, Thể thao và Du lịch", LEAD), ("Sở Nội vụ", CO), ("Đài Phát thanh và Truyền hình tỉnh", CO)],
        ),
        (
            "Sở Nội vụ phối hợp với Báo Gia Lai và Đài Phát thanh và Truyền hình tỉnh tổ chức",
            [("Sở Nội vụ", LEAD), ("Báo Gia Lai", CO), ("Đài Phát thanh và Truyền hình tỉnh", CO)],
        ),
    ],
)
def test_it_reads_lead_and_partners_from_one_sentence(text, expected):
    assert _roles(parse_agencies(text)) == expected


def test_it_reads_a_duty_given_by_a_sentence_without_a_label():
    assert _roles(duty_agencies("Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ hướng dẫn các huyện.")) == [
        ("Sở Tư pháp", LEAD),
        ("Sở Nội vụ", CO),
    ]


DISTRICT = (PLANS / "ia-grai-pnv-2026-columns.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["md", "docx"])
def test_it_reads_a_district_office_table_with_lead_and_partner_columns(kind):
    plan = parse_plan(DISTRICT.encode() if kind == "md" else as_docx(DISTRICT), f"pnv.{kind}")
    acts = plan["activities"]
    assert [_roles(a["agencies"]) for a in acts] == [
        [
            ("Văn phòng HĐND và UBND huyện", LEAD),
            ("Phòng Văn hóa và Thông tin", CO),
            ("Trung tâm Văn hóa - Thông tin và Thể thao", CO),
        ],
        [("Phòng Nội vụ", LEAD), ("UBND các xã, thị trấn", CO)],
        [("Phòng Nội vụ", LEAD)],
    ]
    assert acts[0]["recurrence"] == {"every": "month", "count": 2, "unit": "tin, bài"}
    assert acts[1]["period"] == {"start": "2026-01-01", "end": "2026-06-30"}
    assert acts[2]["recurrence"] == {"every": "year", "count": 1, "unit": "lần"}
    assert [_roles(d["agencies"]) for d in plan["duties"]] == [
        [("Phòng Nội vụ", LEAD), ("Văn phòng HĐND và UBND huyện", CO)],
        [("Phòng Tài chính - Kế hoạch", IMPL)],
        [("UBND các xã, thị trấn", IMPL)],
    ]
