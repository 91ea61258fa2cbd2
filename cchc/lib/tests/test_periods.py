import datetime as dt

import pytest

from cchc.lib.periods import (
    PeriodError,
    Rules,
    compute_period,
    parse_code,
    period_for_code,
    period_label,
    periods_for_year,
)

D = dt.date


class TestDefaults:
    def test_it_cuts_the_regime_periods_of_2024(self):
        periods = {p.code: p for p in periods_for_year(2024)}
        assert list(periods) == ["2024-Q1", "2024-H1", "2024-Q3", "2024-Y"]
        assert (periods["2024-Q1"].start, periods["2024-Q1"].end) == (D(2023, 12, 15), D(2024, 3, 14))
        assert (periods["2024-H1"].start, periods["2024-H1"].end) == (D(2023, 12, 15), D(2024, 6, 14))
        assert (periods["2024-Q3"].start, periods["2024-Q3"].end) == (D(2024, 6, 15), D(2024, 9, 14))
        assert (periods["2024-Y"].start, periods["2024-Y"].end) == (D(2023, 12, 15), D(2024, 12, 14))

    def test_it_sets_agency_and_province_due_dates_in_the_last_month(self):
        q1 = compute_period(2024, "Q1")
        assert q1.due.nominal == D(2024, 3, 15) and q1.due.effective == D(2024, 3, 15)  # a Friday
        assert q1.province_due.effective == D(2024, 3, 20)

    def test_it_names_and_labels_periods(self):
        assert compute_period(2024, "H1").label == "6 tháng đầu năm 2024"
        assert compute_period(2024, "Q3").label == "Quý III năm 2024"
        assert period_label(2024, "Y") == "Năm 2024"
        assert period_label(2024, "M05") == "Tháng 5 năm 2024"
        assert parse_code(" 2024-q1 ") == (2024, "Q1")

    @pytest.mark.parametrize("code", ["2024-Q5", "2024-M13", "24-Q1", "2024-H2", "", "2024Q1"])
    def test_it_refuses_bad_codes_in_vietnamese(self, code):
        with pytest.raises(PeriodError, match="không hợp lệ"):
            parse_code(code)

    def test_optional_periods_come_only_when_the_plan_asks(self):
        with pytest.raises(PeriodError, match="Kế hoạch không có kỳ báo cáo 2024-Q2"):
            period_for_code("2024-Q2")
        rules = Rules(extra_kinds=("Q2", "Q4", "M"))
        codes = [p.code for p in periods_for_year(2024, rules)]
        assert len(codes) == 4 + 2 + 12
        assert codes.index("2024-Q2") < codes.index("2024-H1")  # same end, the shorter one first
        may = period_for_code("2024-M05", rules)
        assert (may.start, may.end, may.due.nominal) == (D(2024, 4, 15), D(2024, 5, 14), D(2024, 5, 15))
        january = period_for_code("2024-M01", rules)
        assert january.start == D(2023, 12, 15)
        q4 = period_for_code("2024-Q4", rules)
        assert (q4.start, q4.end) == (D(2024, 9, 15), D(2024, 12, 14))


class TestConfiguration:
    def test_a_cutoff_at_month_end_gives_calendar_quarters_due_the_next_month(self):
        rules = Rules(cutoff_day=31, due_day=10, province_due_day=15)
        q1 = compute_period(2024, "Q1", rules)
        assert (q1.start, q1.end) == (D(2024, 1, 1), D(2024, 3, 31))
        assert q1.due.nominal == D(2024, 4, 10)
        assert q1.province_due.nominal == D(2024, 4, 15)
        february = compute_period(2024, "M02", Rules(cutoff_day=31, extra_kinds=("M",)))
        assert (february.start, february.end) == (D(2024, 2, 1), D(2024, 2, 29))  # leap year

    def test_a_due_day_on_or_before_the_cutoff_falls_in_the_following_month(self):
        q1 = compute_period(2024, "Q1", Rules(cutoff_day=20, due_day=20))
        assert q1.end == D(2024, 3, 20)
        assert q1.due.nominal == D(2024, 4, 20)

    @pytest.mark.parametrize("kwargs", [{"cutoff_day": 0}, {"due_day": 32}, {"extra_kinds": ("Q9",)}])
    def test_it_refuses_impossible_rules(self, kwargs):
        with pytest.raises(PeriodError):
            Rules(**kwargs)


class TestNonWorkingDueDates:
    def test_a_saturday_due_date_moves_to_monday_and_says_so(self):
        h1 = compute_period(2024, "H1")
        assert h1.due.nominal == D(2024, 6, 15)  # Saturday
        assert h1.due.effective == D(2024, 6, 17)
        assert h1.due.moved
        assert "15/06/2024 là ngày nghỉ (Thứ Bảy)" in h1.due.note
        assert "Thứ Hai 17/06/2024" in h1.due.note

    def test_a_due_date_in_tet_moves_past_the_whole_holiday(self):
        # 15/02/2026 is a Sunday, followed by the Tết holiday of 16–20/02/2026.
        february = compute_period(2026, "M02", Rules(extra_kinds=("M",)))
        assert february.due.nominal == D(2026, 2, 15)
        assert february.due.effective == D(2026, 2, 23)
        # 20/02/2026 is a Friday, but mùng bốn Tết.
        assert february.province_due.nominal == D(2026, 2, 20)
        assert february.province_due.effective == D(2026, 2, 23)
        assert "Tết" in february.province_due.note

    def test_national_day_holidays_push_a_due_date(self):
        september = compute_period(2024, "M09", Rules(cutoff_day=1, due_day=2, extra_kinds=("M",)))
        assert september.due.nominal == D(2024, 9, 2)  # Quốc khánh, with 03/09 also off in 2024
        assert september.due.effective == D(2024, 9, 4)
        assert "Quốc khánh" in september.due.note

    def test_a_plan_may_keep_the_date_and_only_warn(self):
        h1 = compute_period(2024, "H1", Rules(shift_to_working_day=False))
        assert h1.due.effective == D(2024, 6, 15)
        assert not h1.due.moved
        assert "không được chuyển" in h1.due.note

    def test_a_working_day_due_date_has_no_note(self):
        assert compute_period(2024, "Q1").due.note == ""
