"""The SQL queries of every dashboard page stay the same when agencies and results grow tenfold."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.dashboards import figures
from cchc.dashboards.tests import scenario
from cchc.execution.actions import do_generate_deliverables
from cchc.execution.models import Evidence, Result, ResultKind
from cchc.orgs.models import UnitKind
from cchc.plans.actions import do_expand_obligations
from cchc.plans.models import Obligation
from cchc.reports.actions import do_accept_report, do_return_report
from cchc.reports.tests.helpers import make_head, submitted
from cchc.testing import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day(monkeypatch):
    monkeypatch.setattr(figures, "today", lambda: scenario.DAY)


def pages(world, personas) -> list[tuple[str, object, str]]:
    plan, code = world.plan.pk, "2024-Q1"

    def u(name, *args):
        return reverse(f"dashboards:{name}", args=[plan, code, *args])

    return [
        ("index", personas.coordinator, reverse("dashboards:index")),
        ("overview", personas.coordinator, u("overview")),
        ("overview filtered", personas.coordinator, u("overview") + "?group=commune&area=huyen-1"),
        ("agencies", personas.coordinator, u("agencies")),
        ("agencies late", personas.observer, u("agencies") + "?state=late"),
        ("grid", personas.coordinator, u("grid")),
        ("spending", personas.coordinator, u("spending")),
        ("activity", personas.coordinator, u("activity", "1")),
        ("agency (province)", personas.coordinator, u("agency", "xa-1")),
        ("agency (own)", personas.officer_a, u("agency", "xa-1")),
        ("results", personas.coordinator, u("results")),
        ("results filtered", personas.coordinator, u("results") + "?activity=1&kind=news_article&group=commune"),
        ("results (own)", personas.officer_a, u("results")),
        ("deliverables", personas.coordinator, u("deliverables") + "?state=met"),
        ("summary", personas.observer, u("summary")),
        ("summary pdf", personas.observer, u("summary_pdf")),
        ("public", None, reverse("dashboards:public_plan", args=[2024, "94-kh-ubnd"])),
        ("public activity", None, reverse("dashboards:public_activity", args=[2024, "94-kh-ubnd", "1"])),
    ]


def count(client, user, path) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    client.get(path)  # the first request fills per-process caches (content types, templates)
    cache.clear()  # count what the view asks, not what the public page cache spares it
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def grow(world, personas, factor: int = 10) -> None:
    """Ten times the agencies (communes of the same district) and ten times the results, with their reports."""
    plan, period = world.plan, world.period
    start = Obligation.objects.filter(activity__plan=plan).values("unit_id").distinct().count()
    new = [
        make_unit(
            code=f"xa-moi-{i}", name=f"UBND xã Mới {i}", kind=UnitKind.COMMUNE_COMMITTEE, parent=personas.units.district
        )
        for i in range(start * (factor - 1))
    ]
    do_expand_obligations(plan)
    do_generate_deliverables(plan)
    obligations = {o.unit_id: o for o in Obligation.objects.filter(activity__plan=plan, unit__in=new)}
    before = Result.objects.count()
    rows = []
    for i in range(before * (factor - 1)):
        unit = new[i % len(new)]
        rows.append(
            Result(
                unit=unit,
                obligation=obligations[unit.pk],
                kind=ResultKind.values[i % 5],
                title=f"Kết quả {i}",
                occurred_on=dt.date(2024, 1, 1) + dt.timedelta(days=i % 70),
                quantity=Decimal(1),
                cost=Decimal(1000 * i),
                reach=i,
                funding_source=f"Nguồn {i % 4}",
                is_public=i % 2 == 0,
            )
        )
    Result.objects.bulk_create(rows)
    Evidence.objects.bulk_create([Evidence(result=r, link=f"https://example.gov.vn/{r.pk}") for r in rows[::3]])
    for i, unit in enumerate(new):
        if i % 4 == 3:
            continue  # missing
        report = submitted(period, unit, make_head(unit), day=dt.date(2024, 3, 14 + i % 3))
        if i % 4 == 0:
            do_accept_report(report, actor=personas.coordinator)
        elif i % 4 == 1:
            do_return_report(report, "Thiếu bảng số liệu.", actor=personas.coordinator)


def test_it_costs_the_same_queries_with_ten_times_the_agencies_and_results(client, personas, demo_plan):
    world = scenario.build(personas, demo_plan)
    small = {name: count(client, user, path) for name, user, path in pages(world, personas)}
    agencies = len(figures.snapshot(world.plan, world.period).agencies)
    results = Result.objects.count()
    grow(world, personas)
    assert len(figures.snapshot(world.plan, world.period).agencies) >= 10 * agencies
    assert Result.objects.count() >= 10 * results
    large = {name: count(client, user, path) for name, user, path in pages(world, personas)}
    assert large == small
    # And the counts are small (they are listed so that a change shows in review).
    assert max(small.values()) <= 20, small


def test_the_leads_activity_page_costs_the_same_with_ten_times_the_agencies(client, personas, demo_plan):
    from cchc.plans.models import AgencyRole

    world = scenario.build(personas, demo_plan)

    def lead():  # Sở TT&TT leads activity 1; the communes (ten times more after ``grow``) implement it.
        Obligation.objects.filter(activity__plan=demo_plan, activity__number="1", unit=personas.units.tttt).update(
            role=AgencyRole.LEAD
        )

    lead()
    path = reverse("dashboards:activity", args=[demo_plan.pk, "2024-Q1", "1"])
    small = count(client, personas.officer_dept, path)
    grow(world, personas)
    lead()  # growing re-expands the plan's obligations
    assert Obligation.objects.filter(activity__plan=demo_plan, activity__number="1").count() > 20
    assert count(client, personas.officer_dept, path) == small
    assert small <= 20, small
