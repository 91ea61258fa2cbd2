"""A small province carried through the 2025 reorganisation, for the next-year and inheritance tests.

On top of ``make_province``: Sở Thông tin và Truyền thông closes on 28/02/2025, its work going to Sở
Khoa học và Công nghệ (digital work) and, in part, to Sở Văn hóa, Thể thao và Du lịch (press, grassroots
information); the broadcaster merges into the newspaper on 01/07/2025; the district and its two
communes close on 30/06/2025, each commune becoming a new one.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from cchc.orgs.models import Succession, UnitKind
from cchc.testing import make_unit, plan_document

MERGE_DAY = dt.date(2025, 3, 1)
REFORM_DAY = dt.date(2025, 7, 1)
CLOSED_ON = REFORM_DAY - dt.timedelta(days=1)

DIGITAL = "Đồng bộ TTHC với Cổng Dịch vụ công của tỉnh, cơ sở dữ liệu quốc gia về TTHC"
GRASSROOTS = "Tuyên truyền trên Hệ thống thông tin cơ sở trên địa bàn tỉnh"


def reorganise(units) -> SimpleNamespace:
    khcn = make_unit(
        code="so-khcn",
        name="Sở Khoa học và Công nghệ",
        remit=["khoa học", "công nghệ", "chuyển đổi số", "cổng dịch vụ công", "cơ sở dữ liệu"],
    )
    vhttdl = make_unit(
        code="so-vhttdl",
        name="Sở Văn hóa, Thể thao và Du lịch",
        remit=["văn hóa", "báo chí", "phát thanh", "truyền hình", "thông tin cơ sở"],
    )
    bao = make_unit(code="bao-ptth", name="Báo và Phát thanh truyền hình Gia Lai", kind=UnitKind.PRESS)
    new_a = make_unit(
        code="xa2025-1", name="UBND xã Ia Kha Mới", kind=UnitKind.COMMUNE_COMMITTEE, valid_from=REFORM_DAY
    )
    new_b = make_unit(code="xa2025-2", name="UBND xã Ia Ly Mới", kind=UnitKind.COMMUNE_COMMITTEE, valid_from=REFORM_DAY)
    units.tttt.valid_to = MERGE_DAY - dt.timedelta(days=1)
    units.tttt.save()
    for unit in (units.dai, units.district, units.commune_a, units.commune_b):
        unit.valid_to = CLOSED_ON
        unit.save()
    Succession.objects.create(successor=khcn, predecessor=units.tttt, effective_on=MERGE_DAY)
    Succession.objects.create(successor=vhttdl, predecessor=units.tttt, effective_on=MERGE_DAY, partial=True)
    Succession.objects.create(successor=bao, predecessor=units.dai, effective_on=REFORM_DAY)
    Succession.objects.create(successor=new_a, predecessor=units.commune_a, effective_on=REFORM_DAY)
    Succession.objects.create(successor=new_b, predecessor=units.commune_b, effective_on=REFORM_DAY)
    return SimpleNamespace(khcn=khcn, vhttdl=vhttdl, bao=bao, new_a=new_a, new_b=new_b)


def reorg_document(year: int = 2024) -> dict:
    whole_year = {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    return plan_document(
        year=year,
        activities=[
            {
                "number": "1",
                "title": DIGITAL,
                "agencies": [
                    {"name": "Sở Thông tin và Truyền thông", "role": "implement"},
                    {"name": "UBND cấp huyện", "role": "implement"},
                    {"name": "UBND cấp xã", "role": "implement"},
                ],
                "period": whole_year,
                "schedule_text": f"Thường xuyên trong năm {year}.",
            },
            {
                "number": "2",
                "title": "Chuyên mục CCHC trên Đài",
                "agencies": [
                    {"name": "Sở Nội vụ", "role": "lead"},
                    {"name": "Đài Phát thanh và Truyền hình tỉnh", "role": "coordinate"},
                ],
                "period": {"start": f"{year}-01-01", "end": f"{year}-06-30"},
                "recurrence": {"every": "month", "count": 1, "unit": "chuyên mục"},
            },
            {
                "number": "3",
                "title": GRASSROOTS,
                "agencies": [
                    {"name": "Sở Thông tin và Truyền thông", "role": "lead"},
                    {"name": "UBND huyện Chư Păh", "role": "implement"},
                ],
                "period": whole_year,
            },
            {
                "number": "4",
                "title": "Tập huấn CCHC",
                "agencies": [
                    {"name": "Sở Nội vụ", "role": "lead"},
                    {"name": "các cơ sở đào tạo", "role": "coordinate"},
                    {"name": "Sở Không Tồn Tại", "role": "implement"},
                ],
                "period": {"start": f"{year}-02-{29 if year % 4 == 0 else 28}", "end": f"{year}-06-30"},
            },
        ],
    )
