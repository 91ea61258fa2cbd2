import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.orgs.models import UnitKind
from cchc.plans.actions import do_expand_obligations
from cchc.reports import actions
from cchc.reports.completeness import Timeliness, completeness
from cchc.reports.tests.helpers import make_head, q1, submitted
from cchc.testing import make_unit

pytestmark = pytest.mark.django_db


def test_it_sorts_every_expected_agency_by_timeliness(demo_plan, personas):
    period = q1(demo_plan)  # due 15/03/2024
    u = personas.units
    submitted(period, u.commune_a, personas.head_a, day=dt.date(2024, 3, 15))  # on the due date: on time
    submitted(period, u.tttt, make_head(u.tttt), day=dt.date(2024, 3, 18))  # late
    returned = submitted(period, u.noi_vu, make_head(u.noi_vu), day=dt.date(2024, 3, 1))
    actions.do_return_report(returned, "Thiếu bảng số liệu.", actor=personas.coordinator)
    actions.do_start_report(period, u.commune_b, actor=personas.officer_b)  # a draft is still missing

    state = completeness(period, today=dt.date(2024, 3, 20))
    by_code = {row.unit.code: row for row in state.rows}
    # Expected: everyone with an obligation under the plan (unresolved agencies create none).
    assert set(by_code) == {"xa-1", "xa-2", "so-tttt", "so-noi-vu", "dai-ptth"}
    assert by_code["xa-1"].timeliness == Timeliness.ON_TIME
    assert by_code["so-tttt"].timeliness == Timeliness.LATE
    assert by_code["so-noi-vu"].timeliness == Timeliness.RETURNED and by_code["so-noi-vu"].overdue
    assert by_code["xa-2"].timeliness == Timeliness.MISSING and by_code["xa-2"].overdue
    assert by_code["dai-ptth"].timeliness == Timeliness.MISSING and by_code["dai-ptth"].report is None
    assert state.counts() == {"on_time": 1, "late": 1, "returned": 1, "missing": 2}
    assert state.expected == 5 and state.submitted == 2 and state.awaiting_review == 2
    groups = {g["key"]: g for g in state.by_group()}
    assert groups["commune"]["expected"] == 2 and groups["commune"]["missing"] == 1
    before_due = completeness(period, today=dt.date(2024, 3, 15))
    assert not any(row.overdue for row in before_due.rows)


def test_a_unit_closed_before_the_period_ends_is_not_expected(demo_plan, personas):
    personas.units.commune_b.valid_to = dt.date(2024, 1, 31)
    personas.units.commune_b.save(update_fields=["valid_to"])
    codes = {row.unit.code for row in completeness(q1(demo_plan)).rows}
    assert "xa-2" not in codes


def test_it_costs_the_same_number_of_queries_for_more_agencies(demo_plan, personas):
    period = q1(demo_plan)
    with CaptureQueriesContext(connection) as small:
        completeness(period)
    units = [
        make_unit(kind=UnitKind.COMMUNE_COMMITTEE, parent=personas.units.district, name=f"UBND xã Mới {i}")
        for i in range(30)
    ]
    do_expand_obligations(demo_plan)
    for unit in units[::2]:
        submitted(period, unit, make_head(unit))
    with CaptureQueriesContext(connection) as large:
        state = completeness(period)
    assert state.expected == 35
    assert len(large) == len(small) == 2


def test_the_page_lists_the_agencies_reminders_cannot_reach(client, demo_plan, personas):
    """Issue 14, item 9: which agencies owe the report and have no account, or no e-mail address."""
    from django.urls import reverse

    period = q1(demo_plan)
    u = personas.units
    personas.officer_a.email = "officer-a@example.vn"
    personas.officer_a.save(update_fields=["email"])
    submitted(period, u.tttt, make_head(u.tttt))  # sent: whatever its accounts, nobody needs reminding
    client.force_login(personas.coordinator)
    page = client.get(reverse("reports:completeness", args=[period.plan_id, period.code])).content.decode()
    section = page[page.index('id="unreachable"') :]
    no_account = section[section.index("data-no-account") : section.index("data-no-email")]
    no_email = section[section.index("data-no-email") :]
    assert "Không liên hệ được" in page
    # Sở Nội vụ has only a coordinator, the radio station no one: no officer or head to remind.
    assert "Sở Nội vụ" in no_account and "Đài Phát thanh và Truyền hình tỉnh" in no_account
    assert "UBND xã Ia Ly" in no_email and "UBND xã Ia Kha" not in section
    assert "Sở Thông tin và Truyền thông" not in section
