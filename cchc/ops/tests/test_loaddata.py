"""The benchmark data set: sizes follow the flags, agencies resolve in their own province."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from cchc.accounts.models import User
from cchc.execution.models import Result
from cchc.orgs.models import Unit, UnitKind
from cchc.plans.models import ActivityAgency, Obligation, Plan

pytestmark = pytest.mark.django_db


def test_it_generates_provinces_of_the_requested_size(capsys):
    call_command(
        "generate_load_data",
        "--provinces",
        "2",
        "--departments",
        "36",
        "--districts",
        "2",
        "--communes",
        "5",
        "--results-per-obligation",
        "2",
        "--json",
    )
    summary = json.loads(capsys.readouterr().out)
    assert [p["slug"] for p in summary["provinces"]] == ["gia-lai", "ha-noi"]
    for slug in ("gia-lai", "ha-noi"):
        units = Unit.objects.filter(province=slug)
        assert units.filter(kind=UnitKind.COMMUNE_COMMITTEE).count() == 5
        assert units.filter(kind=UnitKind.DISTRICT_COMMITTEE).count() == 2
        assert units.count() == 1 + 36 + 2 + 5
    assert Plan.objects.count() == 2
    # Every agency of the plan resolves in the plan's own province, never in another one.
    assert not ActivityAgency.objects.filter(unit__isnull=True, group__isnull=True).exists()
    for plan in Plan.objects.all():
        assert {u for u in Obligation.objects.filter(activity__plan=plan).values_list("unit__province", flat=True)} == {
            plan.issuer_unit.province
        }
    assert Result.objects.count() == 2 * Obligation.objects.count()
    assert summary["steps"]["step_results"]["results"] == Result.objects.count()
    officer = User.objects.get(username="gia-lai-x0001-officer")
    assert officer.check_password(summary["password"]) and officer.unit.code == "gia-lai-x0001"


def test_it_refuses_a_database_that_has_data(personas):
    with pytest.raises(CommandError, match="trống"):
        call_command("generate_load_data", "--communes", "1")
