"""The dashboards' figures are kept in the cache until the data changes, and never shown stale (cchc.lib.figcache).

These tests commit (``transaction=True``): the cache moves on when a transaction commits, which the other tests,
inside one transaction that is rolled back, never do.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.audit.actions import record
from cchc.dashboards import figures
from cchc.dashboards.tests import scenario
from cchc.execution.actions import do_record_result
from cchc.execution.models import ResultKind
from cchc.lib import figcache
from cchc.testing import make_result, obligation_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _day(monkeypatch, settings):
    monkeypatch.setattr(figures, "today", lambda: scenario.DAY)
    settings.CCHC_FIGURE_CACHE = True


@pytest.fixture
def world(personas, demo_plan):
    return scenario.build(personas, demo_plan)


def _overview(client, world):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboards:overview", args=[world.plan.pk, "2024-Q1"]))
    assert response.status_code == 200
    return response.context["snap"], len(queries)


def test_the_overview_is_computed_once_and_again_after_a_result_is_recorded(client, world, personas):
    client.force_login(personas.coordinator)
    snap, computed = _overview(client, world)
    assert snap.totals.results == 7
    snap, kept = _overview(client, world)
    assert snap.totals.results == 7
    assert kept <= computed - 5, (kept, computed)  # the figures' queries are not run again

    do_record_result(
        {
            "obligation": obligation_of(world.plan, personas.units.commune_b, "1"),
            "kind": ResultKind.NEWS_ARTICLE,
            "title": "Tin mới về TTHC",
            "occurred_on": dt.date(2024, 3, 1),
            "quantity": Decimal(1),
        },
        actor=personas.officer_b,
    )
    snap, recomputed = _overview(client, world)
    assert snap.totals.results == 8
    assert recomputed == computed


def test_a_change_rolled_back_is_never_kept(client, world, personas):
    period = world.plan.periods.get(code="2024-Q1")
    before = figures.snapshot(world.plan, period).totals.results
    with pytest.raises(RuntimeError), transaction.atomic():
        make_result(obligation_of(world.plan, personas.units.commune_b, "1"), occurred_on=dt.date(2024, 3, 1))
        # Inside the transaction its own change counts ...
        assert figures.snapshot(world.plan, period).totals.results == before + 1
        raise RuntimeError("roll back")
    # ... and after the rollback nobody sees it, though no commit moved the generation.
    assert figures.snapshot(world.plan, period).totals.results == before


def test_the_generation_moves_after_the_commit_of_any_change():
    start = figcache.generation()
    with transaction.atomic():
        record("plans.close")  # an action's audit row: it may have changed rows with QuerySet.update()
        record("plans.close")
        assert figcache.generation() == start  # not before the commit: a reader would keep old rows under it
    assert figcache.generation() == start + 1  # once per transaction
    record("access.refused")  # a refusal changes nothing
    assert figcache.generation() == start + 1


def test_a_flushed_cache_never_brings_back_a_generation_already_used():
    from django.core.cache import cache

    used = figcache.generation()
    record("plans.close")
    cache.clear()
    assert figcache.generation() > used + 1


def test_a_citizens_search_or_a_timers_lock_row_keeps_every_figure():
    from django.utils import timezone

    from cchc.ops.models import ScheduledRun
    from cchc.procedures.querylog import log_search
    from cchc.testing import make_unit

    start = figcache.generation()
    log_search("đăng ký khai sinh", 3)  # a new day's row for new words
    log_search("cấp lại căn cước", 0)
    ScheduledRun.objects.create(name="send_reminders", slot="2024-03-05", host="app-1", started_at=timezone.now())
    assert figcache.generation() == start
    make_unit()  # what a figure shows moves it
    assert figcache.generation() == start + 1
