"""Who has made its own plan under a province plan (section IV), and reminders to those without one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.execution.actions import do_approve_subplan, do_create_subplan
from cchc.reports.models import AgencyReminder, Notification
from cchc.testing import make_unit, make_user

pytestmark = pytest.mark.django_db


def _states(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'data-unit="([^"]+)" data-state="([^"]+)"', html))


def test_it_shows_approved_draft_and_none_per_agency(client, personas, demo_plan):
    do_create_subplan(demo_plan, personas.units.commune_a, actor=personas.officer_a)  # a draft
    head = make_user("head-tttt", role="head", unit=personas.units.tttt)
    tttt = do_create_subplan(demo_plan, personas.units.tttt, actor=personas.officer_dept)
    do_approve_subplan(tttt, actor=head, expected_version=tttt.version)
    client.force_login(personas.coordinator)
    html = client.get(reverse("dashboards:subplans", args=[demo_plan.pk])).content.decode()
    states = _states(html)
    assert states["so-tttt"] == "approved" and states["xa-1"] == "draft" and states["xa-2"] == "none"
    only_none = _states(
        client.get(reverse("dashboards:subplans", args=[demo_plan.pk]) + "?state=none").content.decode()
    )
    assert set(only_none.values()) == {"none"} and "xa-2" in only_none


def test_the_coordinator_reminds_those_without_a_plan_once_a_day(client, personas, demo_plan):
    client.force_login(personas.coordinator)
    url = reverse("dashboards:subplans_remind", args=[demo_plan.pk])
    assert client.post(url, {"unit": ["xa-2", "so-noi-vu"]}).status_code == 302
    assert Notification.objects.filter(user=personas.officer_b).count() == 1
    assert AuditEntry.objects.filter(action="reports.remind_missing_subplans").count() == 1
    client.post(url, {"unit": ["xa-2"]})
    assert Notification.objects.filter(user=personas.officer_b).count() == 1
    assert AgencyReminder.objects.filter(unit=personas.units.commune_b).count() == 1


def test_an_agency_with_a_draft_is_not_reminded_as_having_none(client, personas, demo_plan):
    do_create_subplan(demo_plan, personas.units.commune_a, actor=personas.officer_a)
    client.force_login(personas.coordinator)
    client.post(reverse("dashboards:subplans_remind", args=[demo_plan.pk]), {"unit": ["xa-1"]})
    assert not AgencyReminder.objects.exists()


def test_it_costs_the_same_queries_with_ten_times_the_agencies(client, personas, demo_plan):
    from cchc.orgs.models import UnitKind
    from cchc.plans.actions import do_expand_obligations

    client.force_login(personas.coordinator)
    url = reverse("dashboards:subplans", args=[demo_plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        make_unit(
            code=f"xa-moi-{i}", name=f"UBND xã Mới {i}", kind=UnitKind.COMMUNE_COMMITTEE, parent=personas.units.district
        )
    do_expand_obligations(demo_plan)
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert "xa-moi-29" in html
    assert len(large) == len(small) <= 15, [q["sql"][:80] for q in large]
