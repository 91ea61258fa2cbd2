"""Issue 12's and 13's checks on the real registry: the seed plan carried into the two-tier Gia Lai."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from cchc.orgs.actions import do_load_units
from cchc.plans.actions import do_expand_obligations
from cchc.plans.models import ActivityAgency, AgencyRole, Obligation, Plan, PlanStatus, SuccessorChoice
from cchc.plans.nextyear import do_copy_plan

SEED = "cchc/plans/data/gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md"
REFORM_DAY = dt.date(2025, 7, 1)


@pytest.fixture
def seed_plan(db, capsys):
    do_load_units("Gia Lai", dt.date(2024, 1, 1))
    do_load_units("Gia Lai", REFORM_DAY)
    call_command("import_plan", SEED, "--json")
    return Plan.objects.get(pk=json.loads(capsys.readouterr().out)["plan"])


def _leads_kept(source: Plan, copy: Plan) -> list[str]:
    """Numbers of the activities that had a lead in ``source`` and have none in ``copy``."""
    led = set(source.activities.filter(agencies__role=AgencyRole.LEAD).values_list("number", flat=True))
    still = set(
        copy.activities.filter(obligations__role=AgencyRole.LEAD, obligations__required=True).values_list(
            "number", flat=True
        )
    )
    return sorted(led - still)


def test_the_seed_copied_to_2026_works_only_with_units_open_then(seed_plan, capsys):
    call_command("copy_plan", str(seed_plan.pk), "--year", "2026", "--json")
    out = json.loads(capsys.readouterr().out)
    draft = Plan.objects.get(pk=out["plan"])
    assert draft.status == PlanStatus.DRAFT and draft.copied_from == seed_plan
    start = dt.date(2026, 1, 1)
    assert not ActivityAgency.objects.filter(activity__plan=draft, unit__valid_to__lt=start).exists()
    do_expand_obligations(draft)  # what activation will do
    obligations = Obligation.objects.filter(activity__plan=draft)
    assert obligations.count() > 100 and not obligations.filter(unit__valid_to__lt=start).exists()
    assert not obligations.filter(unit__valid_from__gt=start).exists()
    assert _leads_kept(seed_plan, draft) == []
    # Sở TT&TT's work: one successor proposed per activity, flagged, the other named as the alternative.
    flags = {f["activity"]: f for f in out["flags"]}
    assert flags["7"]["chosen"] == "Sở Văn hóa, Thể thao và Du lịch"
    assert flags["7"]["alternatives"] == ["Sở Khoa học và Công nghệ"]
    assert flags["1"]["chosen"] == "Sở Khoa học và Công nghệ"
    lead = ActivityAgency.objects.get(activity__plan=draft, activity__number="7", role=AgencyRole.LEAD)
    assert lead.unit.code == "so-vhttdl" and lead.needs_review
    replaced = {(r["activity"], r["from"]) for r in out["replacements"]}
    assert ("5", "Đài Phát thanh và Truyền hình tỉnh") in replaced and ("1", "UBND cấp huyện") in replaced
    assert [(u["activity"], u["reason"]) for u in out["unmatched"]] == [("3", "empty_group")]


def test_a_2025_plan_copied_from_2024_has_no_work_on_closed_units_after_inheritance(seed_plan, capsys):
    plan, _report = do_copy_plan(seed_plan, 2025, actor=None)
    plan.status = PlanStatus.ACTIVE
    plan.save(update_fields=["status"])
    do_expand_obligations(plan)  # what activation will do
    ia_grai = Obligation.objects.filter(activity__plan=plan, unit__name="UBND huyện Ia Grai")
    assert ia_grai.count() == 7
    call_command("inherit_obligations", "--as-of", "2025-07-01")
    running = Obligation.objects.filter(activity__plan=plan, required=True)
    assert not running.filter(unit__valid_to__lt=REFORM_DAY).exists()
    assert not ia_grai.filter(required=True).exists()
    # Ia Grai's seven duties went to the communes that took over its area.
    heirs = running.filter(inherited_from__name="UBND huyện Ia Grai")
    assert heirs.values("activity").distinct().count() == 7 and heirs.values("unit").distinct().count() > 1
    assert _leads_kept(seed_plan, plan) == []
    # Sở TT&TT led activity 7: its work went to two departments, the coordinator is shown the choice.
    choice = SuccessorChoice.objects.get(activity__plan=plan, activity__number="7")
    assert choice.proposed.code == "so-vhttdl" and choice.decided_at is None
    assert {u.code for u in choice.candidates.all()} == {"so-khcn", "so-vhttdl"}
