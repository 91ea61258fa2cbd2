"""The five errors the second reading of the 2024 Gia Lai plan found (issue 19), each on the seed itself
and on a small document of its own, so that the rule holds beyond the seed."""

import pytest

from cchc.plans.importer import parse_plan
from cchc.plans.importer.agencies import duty_agencies
from cchc.plans.importer.timeexpr import parse_time

from .documents import SHARED, needs_shared


@pytest.fixture(scope="module")
def seed():
    path = SHARED / "plans" / "gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md"
    return parse_plan(path.read_bytes(), path.name)


COMMUNE = """ỦY BAN NHÂN DÂN
XÃ IA BĂNG
Số: /KH-UBND
Ia Băng, ngày   tháng   năm 2025
KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2026
{bases}
I. MỤC ĐÍCH
- Nâng cao nhận thức của người dân về cải cách hành chính.
II. HÌNH THỨC TUYÊN TRUYỀN
1. Đăng tin trên Trang thông tin điện tử của xã
- Đơn vị thực hiện: Văn phòng - Thống kê xã.
- Thời gian: Hằng quý, mỗi quý ít nhất 03 tin, bài.
2. Tự đánh giá công tác tuyên truyền
- Đơn vị thực hiện: Công chức Văn phòng - Thống kê.
- Thời gian: Định kỳ 6 tháng một lần.
III. TỔ CHỨC THỰC HIỆN
1. Công chức Văn phòng - Thống kê: Tham mưu UBND xã tổ chức triển khai, theo dõi, đôn đốc việc thực hiện Kế hoạch.
2. Các ban, ngành, đoàn thể xã: Chủ động phối hợp thực hiện.
Nơi nhận:
- Lưu: VT.
CHỦ TỊCH
Nguyễn Văn Bình
""".replace(
    "{bases}",
    "Căn cứ Quyết định số 1234/QĐ-UBND ngày 05/12/2025 của UBND tỉnh về việc ban hành Kế hoạch cải cách hành "
    "chính giai đoạn 2026-2030 và định hướng đến năm 2035 của tỉnh Gia Lai; Kế hoạch số 55/KH-UBND ngày "
    "10/12/2025 của UBND huyện, UBND xã Ia Băng ban hành Kế hoạch tuyên truyền như sau:",
)


@pytest.fixture(scope="module")
def commune():
    return parse_plan(COMMUNE.encode(), "ia-bang.txt")


@needs_shared
def test_it_keeps_the_whole_text_of_legal_basis_602(seed):
    text = seed["legal_bases"][1]["text"]
    assert text.endswith("giai đoạn 2021-2025 và định hướng đến năm 2030 của tỉnh Gia Lai")


def test_it_ends_a_citation_where_the_next_one_or_the_plan_begins(commune):
    first, second = (b["text"] for b in commune["legal_bases"])
    assert first.endswith("giai đoạn 2026-2030 và định hướng đến năm 2035 của tỉnh Gia Lai")
    assert second == "Kế hoạch số 55/KH-UBND ngày 10/12/2025 của UBND huyện"


@needs_shared
def test_it_keeps_the_year_of_a_date_line_whose_day_and_month_are_blank(seed):
    assert (seed["issued_on"], seed["issued_year"]) == (None, 2023)


def test_it_keeps_the_year_of_a_blank_dated_commune_plan_and_the_full_date_of_a_dated_one(commune):
    assert (commune["issued_on"], commune["issued_year"], commune["year"]) == (None, 2025, 2026)
    dated = parse_plan(COMMUNE.replace("ngày   tháng   năm 2025", "ngày 12 tháng 12 năm 2025").encode(), "a.txt")
    assert (dated["issued_on"], dated["issued_year"]) == ("2025-12-12", 2025)


@needs_shared
def test_it_makes_the_department_of_home_affairs_the_lead_of_its_section_iv_duty(seed):
    duty = next(d for d in seed["duties"] if d["text"].startswith("Sở Nội vụ"))
    assert duty["agencies"] == [{"name": "Sở Nội vụ", "role": "lead"}]


def test_it_makes_the_agency_that_runs_the_plan_its_lead_and_the_others_implementers(commune):
    first, second = commune["duties"]
    assert first["agencies"] == [{"name": "Công chức Văn phòng - Thống kê", "role": "lead"}]
    assert second["agencies"] == [{"name": "Các ban, ngành, đoàn thể xã", "role": "implement"}]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Sở Nội vụ: Tổ chức triển khai, theo dõi và kiểm tra việc thực hiện kế hoạch.", "lead"),
        ("Sở Nội vụ: Là cơ quan thường trực, giúp UBND tỉnh theo dõi việc thực hiện.", "lead"),
        ("Sở Tư pháp: Phối hợp lồng ghép nội dung cải cách hành chính trong phổ biến pháp luật.", "implement"),
        ("Sở Tài chính: Bố trí kinh phí thực hiện kế hoạch.", "implement"),
    ],
)
def test_it_reads_the_role_of_a_single_agency_duty_from_what_it_does(text, role):
    assert [a["role"] for a in duty_agencies(text)] == [role]


@pytest.mark.parametrize(
    "text", ["Hằng quý, mỗi quý ít nhất 03 tin, bài.", "Mỗi quý ít nhất 03 tin, bài", "03 tin, bài/quý"]
)
def test_it_reads_at_least_three_posts_a_quarter(text):
    reading = parse_time(text, 2026)
    assert reading.recurrence == {"every": "quarter", "count": 3, "unit": "tin, bài"}
    assert reading.period == {"start": "2026-01-01", "end": "2026-12-31"}


def test_it_reads_the_quarterly_posts_of_a_whole_plan(commune):
    assert commune["activities"][0]["recurrence"] == {"every": "quarter", "count": 3, "unit": "tin, bài"}


@pytest.mark.parametrize(
    "text", ["Định kỳ 6 tháng một lần", "Định kỳ 06 tháng", "6 tháng/lần", "01 lần/6 tháng", "Mỗi 6 tháng"]
)
def test_it_reads_every_six_months_as_a_half_year_recurrence(text):
    reading = parse_time(text, 2026)
    assert reading.recurrence["every"] == "half_year" and reading.recurrence["count"] == 1
    assert reading.period == {"start": "2026-01-01", "end": "2026-12-31"}


def test_it_keeps_the_first_six_months_a_period_not_a_recurrence():
    reading = parse_time("6 tháng đầu năm 2026", 2026)
    assert (reading.period, reading.recurrence) == ({"start": "2026-01-01", "end": "2026-06-30"}, None)


def test_it_reads_the_half_yearly_self_assessment_of_a_whole_plan(commune):
    assert commune["activities"][1]["recurrence"]["every"] == "half_year"
