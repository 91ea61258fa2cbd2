"""PostgreSQL: the texts' look-up gives up after TEXT_TIMEOUT_MS, finds nothing, and leaves the connection as it
found it (no statement timeout left behind for the page's next queries), in or outside a transaction."""

import logging

import pytest
from django.db import connection, transaction

from cchc.lib import search
from cchc.procedures.search import engine

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the statement timeout is PostgreSQL's"),
]

SLOW = "SELECT 7 AS key FROM pg_sleep(%s)"


def _timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@pytest.fixture
def short_timeout(monkeypatch):
    monkeypatch.setattr(search, "TEXT_TIMEOUT_MS", 50)


def test_a_look_up_within_the_time_answers(short_timeout):
    before = _timeout()
    assert engine()._within_time(SLOW, [0]) == [7]
    assert _timeout() == before


def test_a_slow_look_up_finds_nothing_and_leaves_no_timeout_behind(short_timeout, caplog):
    before = _timeout()
    with caplog.at_level(logging.WARNING, logger="cchc.lib.search"):
        assert engine()._within_time(SLOW, [0.5]) == []
    assert "cancelled after 50 ms" in caplog.text
    assert _timeout() == before
    with connection.cursor() as cursor:  # the page's next query runs, however long it takes
        cursor.execute("SELECT 1 FROM pg_sleep(0.1)")
        assert cursor.fetchone() == (1,)


def test_inside_a_transaction_the_transaction_goes_on(short_timeout):
    before = _timeout()
    with transaction.atomic():
        assert engine()._within_time(SLOW, [0.5]) == []
        assert engine()._within_time(SLOW, [0]) == [7]
        assert _timeout() == before
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_sleep(0.1)")
            assert cursor.fetchone() == (1,)
    assert _timeout() == before
