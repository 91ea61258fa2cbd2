import datetime as dt

import pytest

from cchc.execution.periods import parse_period
from cchc.execution.schedule import slot_for, slots

D = dt.date


class TestSlots:
    def test_it_makes_twelve_months_due_on_the_last_day(self):
        months = slots("month", D(2024, 1, 1), D(2024, 12, 31))
        assert len(months) == 12
        assert [s.key for s in months[:3]] == ["2024-M01", "2024-M02", "2024-M03"]
        assert months[1].label == "Tháng 2/2024"
        assert months[1].due_on == D(2024, 2, 29)  # leap year
        assert months[-1].due_on == D(2024, 12, 31)

    def test_it_makes_four_quarters_with_roman_labels(self):
        quarters = slots("quarter", D(2024, 1, 1), D(2024, 12, 31))
        assert [(s.key, s.label, s.start, s.due_on) for s in quarters] == [
            ("2024-Q1", "Quý I/2024", D(2024, 1, 1), D(2024, 3, 31)),
            ("2024-Q2", "Quý II/2024", D(2024, 4, 1), D(2024, 6, 30)),
            ("2024-Q3", "Quý III/2024", D(2024, 7, 1), D(2024, 9, 30)),
            ("2024-Q4", "Quý IV/2024", D(2024, 10, 1), D(2024, 12, 31)),
        ]

    def test_a_year_is_one_slot(self):
        year = slots("year", D(2024, 1, 1), D(2024, 12, 31))
        assert [(s.key, s.due_on) for s in year] == [("2024-Y", D(2024, 12, 31))]

    def test_slots_are_clipped_to_the_activity_period(self):
        # "Quý I, Quý II năm 2024" with a mid-month start and end.
        months = slots("month", D(2024, 1, 15), D(2024, 6, 20))
        assert len(months) == 6
        assert months[0].start == D(2024, 1, 15) and months[0].due_on == D(2024, 1, 31)
        assert months[-1].due_on == D(2024, 6, 20)
        quarters = slots("quarter", D(2024, 2, 1), D(2024, 4, 30))
        assert [(q.key, q.start, q.due_on) for q in quarters] == [
            ("2024-Q1", D(2024, 2, 1), D(2024, 3, 31)),
            ("2024-Q2", D(2024, 4, 1), D(2024, 4, 30)),
        ]

    def test_weeks_run_monday_to_sunday_with_iso_numbers(self):
        weeks = slots("week", D(2024, 1, 1), D(2024, 12, 31))
        assert len(weeks) == 53  # 1 Jan 2024 is a Monday; 30-31 Dec fall in 2025-W01
        assert weeks[0].key == "2024-W01" and weeks[0].due_on == D(2024, 1, 7)
        assert weeks[-1].key == "2025-W01" and weeks[-1].due_on == D(2024, 12, 31)

    def test_periods_crossing_a_year_keep_distinct_keys(self):
        keys = [s.key for s in slots("month", D(2024, 11, 1), D(2025, 2, 28))]
        assert keys == ["2024-M11", "2024-M12", "2025-M01", "2025-M02"]

    def test_an_empty_or_unknown_schedule(self):
        assert slots("month", D(2024, 5, 1), D(2024, 4, 1)) == []
        with pytest.raises(ValueError):
            slots("fortnight", D(2024, 1, 1), D(2024, 12, 31))

    def test_slot_for_finds_the_slot_containing_a_day(self):
        months = slots("month", D(2024, 1, 1), D(2024, 12, 31))
        assert slot_for(D(2024, 3, 31), months).key == "2024-M03"
        assert slot_for(D(2025, 1, 1), months) is None


class TestCalendarPeriods:
    def test_it_parses_codes(self):
        assert (parse_period("2024-Q1").start, parse_period("2024-Q1").end) == (D(2024, 1, 1), D(2024, 3, 31))
        assert parse_period("2024-M05").label == "Tháng 5/2024"
        assert parse_period("2024-Y").end == D(2024, 12, 31)
        for bad in ["", "2024-Q5", "abcd", "1800-Q1", None]:
            assert parse_period(bad) is None
