"""The personas and the small plan built once for the tests in a row that ask for them (cchc.testing.SharedRows):
each test meets them as built, whatever the test before changed, and a test that does not ask meets an empty
database. The tests hold in any order."""

from __future__ import annotations

import pytest

from cchc.accounts.models import User
from cchc.plans.models import Plan
from cchc.testing import SHARED


@pytest.mark.parametrize("n", range(3))
def test_each_test_meets_the_personas_as_built_and_its_own_copy_of_them(personas, n):
    assert [level for level, _, _ in SHARED.open] == ["personas"]
    assert personas.officer_a.first_name == ""
    assert not User.objects.filter(first_name__startswith="Đổi").exists()
    personas.officer_a.first_name = f"Đổi {n}"
    personas.officer_a.save()
    personas.units.commune_a.name = "Xã đã đổi tên"  # in memory only: the next test's copy is another object
    assert User.objects.filter(first_name__startswith="Đổi").count() == 1


@pytest.mark.parametrize("n", range(2))
def test_the_plan_comes_with_the_personas_and_is_rolled_back_with_them(demo_plan, personas, n):
    assert [level for level, _, _ in SHARED.open] == ["personas", "demo_plan"]
    assert Plan.objects.get() == demo_plan
    assert personas.units.commune_a.name != "Xã đã đổi tên"
    demo_plan.delete()


def test_a_test_that_asks_for_neither_meets_an_empty_database(db):
    assert SHARED.open == []
    assert not User.objects.exists() and not Plan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_builds_and_commits_its_own(personas):
    from django.db import connection

    assert SHARED.open == [] and not connection.in_atomic_block  # committed: a live server's thread sees them
    assert User.objects.count() == 8 and not Plan.objects.exists()
