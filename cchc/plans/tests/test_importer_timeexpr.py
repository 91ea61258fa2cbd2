"""Vietnamese time expressions → period and recurrence."""

import pytest

from cchc.plans.importer.timeexpr import parse_recurrence, parse_time

YEAR = 2024


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Thường xuyên trong năm 2024.", "2024-01-01", "2024-12-31"),
        ("Thường xuyên (trong năm 2025)", "2025-01-01", "2025-12-31"),
        ("Thường xuyên", "2024-01-01", "2024-12-31"),
        ("Cả năm", "2024-01-01", "2024-12-31"),
        ("Quý I, Quý II năm 2024.", "2024-01-01", "2024-06-30"),
        ("Quý III/2024", "2024-07-01", "2024-09-30"),
        ("Quý IV", "2024-10-01", "2024-12-31"),
        ("Quý II và Quý III năm 2025", "2025-04-01", "2025-09-30"),
        ("Quý II-III năm 2025", "2025-04-01", "2025-09-30"),
        ("6 tháng đầu năm", "2024-01-01", "2024-06-30"),
        ("6 tháng cuối năm 2023", "2023-07-01", "2023-12-31"),
        ("Tháng 3 - tháng 5/2024", "2024-03-01", "2024-05-31"),
        ("Tháng 3-5/2024", "2024-03-01", "2024-05-31"),
        ("Từ tháng 4 đến tháng 9", "2024-04-01", "2024-09-30"),
        ("Tháng 3/2025", "2025-03-01", "2025-03-31"),
        ("Tháng 2/2024", "2024-02-01", "2024-02-29"),
        ("Tháng 12/2023 - tháng 2/2024", "2023-12-01", "2024-02-29"),
        ("trước ngày 15/6/2024", "2024-01-01", "2024-06-15"),
        ("Hoàn thành trước ngày 30/6", "2024-01-01", "2024-06-30"),
        ("Từ ngày 01/3/2024 đến ngày 30/4/2024", "2024-03-01", "2024-04-30"),
        ("ngày 15 tháng 5 năm 2024", "2024-05-15", "2024-05-15"),
        ("Hằng quý", "2024-01-01", "2024-12-31"),
        ("01 chuyên mục/01 tháng", "2024-01-01", "2024-12-31"),
    ],
)
def test_it_reads_periods(text, start, end):
    assert parse_time(text, YEAR).period == {"start": start, "end": end}


@pytest.mark.parametrize(
    "text", ["Theo kế hoạch", "Khi có yêu cầu", "Khi có văn bản mới", "Theo chỉ đạo của UBND tỉnh"]
)
def test_it_gives_no_period_for_event_driven_phrases(text):
    reading = parse_time(text, YEAR)
    assert reading.period is None and reading.understood


def test_it_flags_a_time_it_cannot_read():
    assert not parse_time("Sau khi hoàn thành việc sắp xếp", YEAR).understood


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thường xuyên trong năm 2024 (01 chuyên mục/01 tháng).", ("month", 1, "chuyên mục")),
        ("02 tin, bài/tháng", ("month", 2, "tin, bài")),
        ("Hằng quý", ("quarter", 1, None)),
        ("Hàng tháng", ("month", 1, None)),
        ("Định kỳ hằng năm", ("year", 1, None)),
        ("mỗi quý 01 lần", ("quarter", 1, "lần")),
        ("02 lần/tuần", ("week", 2, "lần")),
        ("01 phóng sự/quý", ("quarter", 1, "phóng sự")),
    ],
)
def test_it_reads_recurrences(text, expected):
    r = parse_recurrence(text)
    assert (r["every"], r["count"], r["unit"]) == expected


@pytest.mark.parametrize("text", ["Thường xuyên", "Quý I/2024", "15/6/2025", None])
def test_it_finds_no_recurrence_in_one_off_times(text):
    assert parse_recurrence(text) is None
