import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.lib.versioning import StaleEdit
from cchc.reports import actions
from cchc.reports.models import Period
from cchc.reports.tests.helpers import q1

pytestmark = pytest.mark.django_db


def test_a_plan_gets_the_regime_calendar_by_default(demo_plan):
    periods = actions.do_ensure_periods(demo_plan)
    assert [p.code for p in periods] == ["2024-Q1", "2024-H1", "2024-Q3", "2024-Y"]
    h1 = periods[1]
    assert (h1.start, h1.end, h1.nominal_due_on, h1.due_on) == (
        dt.date(2023, 12, 15),
        dt.date(2024, 6, 14),
        dt.date(2024, 6, 15),
        dt.date(2024, 6, 17),
    )
    assert h1.province_due_on == dt.date(2024, 6, 20)
    assert "Thứ Bảy" in h1.due.note
    assert actions.do_ensure_periods(demo_plan)[0].pk == periods[0].pk  # idempotent


def test_the_coordinator_changes_the_calendar_and_periods_follow(demo_plan, personas):
    period = q1(demo_plan)
    calendar = actions.get_calendar(demo_plan)
    actions.do_start_report(period, personas.units.commune_a, actor=personas.officer_a)
    calendar = actions.do_save_calendar(
        calendar,
        {"cutoff_day": 20, "due_day": 25, "extra_kinds": ["Q2", "M"]},
        expected_version=calendar.version,
        actor=personas.coordinator,
    )
    codes = list(Period.objects.filter(plan=demo_plan).order_by("end", "-start").values_list("code", flat=True))
    assert "2024-Q2" in codes and "2024-M05" in codes and len(codes) == 4 + 1 + 12
    period.refresh_from_db()
    assert (period.start, period.end, period.due_on) == (
        dt.date(2023, 12, 21),
        dt.date(2024, 3, 20),
        dt.date(2024, 3, 25),
    )
    # Dropping the monthly periods removes them, except one that already has a report.
    may = Period.objects.get(plan=demo_plan, code="2024-M05")
    actions.do_start_report(may, personas.units.commune_a, actor=personas.officer_a)
    actions.do_save_calendar(
        calendar, {"extra_kinds": []}, expected_version=calendar.version, actor=personas.coordinator
    )
    codes = set(Period.objects.filter(plan=demo_plan).values_list("code", flat=True))
    assert codes == {"2024-Q1", "2024-H1", "2024-Q3", "2024-Y", "2024-M05"}


def test_calendar_changes_are_checked(demo_plan, personas):
    calendar = actions.get_calendar(demo_plan)
    with pytest.raises(PermissionDenied):
        actions.do_save_calendar(calendar, {"due_day": 10}, expected_version=1, actor=personas.officer_a)
    with pytest.raises(ValidationError):
        actions.do_save_calendar(calendar, {"due_day": 40}, expected_version=1, actor=personas.coordinator)
    calendar = actions.get_calendar(demo_plan)
    actions.do_save_calendar(calendar, {"due_day": 16}, expected_version=1, actor=personas.coordinator)
    with pytest.raises(StaleEdit):
        actions.do_save_calendar(
            actions.get_calendar(demo_plan), {"due_day": 17}, expected_version=1, actor=personas.admin
        )


class TestNoGetWrites:
    def test_it_gives_a_new_plan_its_calendar_and_periods_from_the_action_that_creates_it(self, demo_plan):
        assert actions.get_calendar(demo_plan).pk is not None
        assert list(Period.objects.filter(plan=demo_plan).values_list("code", flat=True).order_by("end")) == [
            "2024-Q1",
            "2024-H1",
            "2024-Q3",
            "2024-Y",
        ]

    def test_it_lets_no_report_or_dashboard_page_create_periods(self, client, demo_plan, personas):
        from django.urls import reverse

        from cchc.reports.models import ReportingCalendar

        Period.objects.filter(plan=demo_plan).delete()
        ReportingCalendar.objects.filter(plan=demo_plan).delete()
        client.force_login(personas.coordinator)
        for url in (
            reverse("reports:index"),
            reverse("reports:calendar", kwargs={"plan": demo_plan.pk}),
            reverse("dashboards:plan", kwargs={"plan": demo_plan.pk}),
        ):
            assert client.get(url).status_code in (200, 302, 404), url
        assert not Period.objects.filter(plan=demo_plan).exists()
        assert not ReportingCalendar.objects.filter(plan=demo_plan).exists()
