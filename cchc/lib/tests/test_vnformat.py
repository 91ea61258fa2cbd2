import datetime as dt
from decimal import Decimal

from cchc.lib.vnformat import vn_long_date, vn_number, vn_short_date


def test_it_writes_numbers_the_vietnamese_way():
    assert vn_number(1043325500) == "1.043.325.500"
    assert vn_number(0) == "0"
    assert vn_number(Decimal("2.50")) == "2,5"
    assert vn_number("1234.75") == "1.234,75"
    assert vn_number(-1500) == "-1.500"
    assert vn_number(None) == ""


def test_it_writes_dates_as_decree_30_requires():
    assert vn_long_date(dt.date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert vn_long_date(dt.date(2024, 3, 15)) == "ngày 15 tháng 3 năm 2024"
    assert vn_long_date(dt.date(2024, 12, 1)) == "ngày 01 tháng 12 năm 2024"
    assert vn_long_date(None, 2024).endswith("năm 2024")
    assert vn_short_date("2024-03-05") == "05/03/2024"
