import datetime as dt
import json
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from cchc.audit.models import AuditEntry
from cchc.demo.management.commands.load_demo import PLAN_FILE
from cchc.lib.versioning import StaleEdit
from cchc.orgs.actions import do_load_units
from cchc.plans.actions import do_close_plan, do_create_plan, do_expand_obligations
from cchc.plans.models import ActivityAgency, Obligation, Plan, PlanStatus
from cchc.testing import make_small_plan, plan_document


@pytest.mark.django_db
class TestCreatePlan:
    def test_it_creates_topics_activities_and_obligations(self, personas):
        plan = make_small_plan()
        units = personas.units
        assert plan.topics.count() == 1 and plan.activities.count() == 3
        first = plan.activities.get(number="1")
        assert set(first.obligations.values_list("unit", flat=True)) == {
            units.tttt.pk,
            units.commune_a.pk,
            units.commune_b.pk,
        }
        second = plan.activities.get(number="2")
        roles = dict(second.obligations.values_list("unit__code", "role"))
        assert roles == {"so-noi-vu": "lead", "dai-ptth": "coordinate"}
        assert second.recurrence_every == "month" and second.target_text == "01 chuyên mục/tháng"

    def test_it_keeps_unresolved_agencies_for_the_reviewer(self, personas):
        plan = make_small_plan()
        agency = ActivityAgency.objects.get(activity__plan=plan, name="Sở Không Tồn Tại")
        assert not agency.resolved and agency.match_quality == "none"
        assert not plan.activities.get(number="3").obligations.exists()

    def test_it_gives_the_stronger_role_to_a_unit_named_twice(self, personas):
        doc = plan_document()
        doc["activities"][0]["agencies"].append({"name": "Sở TT&TT", "role": "lead"})
        plan = do_create_plan(doc)
        assert plan.activities.get(number="1").obligations.get(unit=personas.units.tttt).role == "lead"

    def test_it_writes_one_audit_row(self, personas):
        plan = make_small_plan()
        assert AuditEntry.objects.filter(action="plans.create", object_id=str(plan.pk)).count() == 1

    def test_it_refuses_another_schema(self, personas):
        with pytest.raises(ValidationError):
            do_create_plan({"schema": "other", "title": "x", "year": 2024})

    def test_expansion_is_idempotent_and_keeps_obligation_ids(self, personas):
        plan = make_small_plan()
        before = dict(Obligation.objects.filter(activity__plan=plan).values_list("pk", "unit"))
        do_expand_obligations(plan)
        after = dict(Obligation.objects.filter(activity__plan=plan).values_list("pk", "unit"))
        assert before == after

    def test_a_stale_version_cannot_change_the_status(self, personas):
        plan = make_small_plan()
        with pytest.raises(StaleEdit):
            do_close_plan(plan, actor=personas.admin, expected_version=plan.version - 1, override=True)
        assert Plan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE
        do_close_plan(plan, actor=personas.admin, expected_version=plan.version, override=True)
        assert Plan.objects.get(pk=plan.pk).status == PlanStatus.CLOSED


@pytest.mark.django_db
def test_the_2024_plan_expands_to_the_real_province():
    do_load_units("Gia Lai", dt.date(2024, 1, 1))
    do_load_units("Gia Lai", dt.date(2025, 7, 1))
    plan = do_create_plan(json.loads(PLAN_FILE.read_text(encoding="utf-8")), status=PlanStatus.ACTIVE)
    first = plan.activities.get(number="1")
    kinds = Counter(first.obligations.values_list("unit__kind", flat=True))
    # Sở TT&TT and VP UBND tỉnh are departments, so they are among the 20.
    assert kinds == {"department": 20, "sector_agency": 9, "district_committee": 17, "commune_committee": 218}
    codes = set(first.obligations.values_list("unit__code", flat=True))
    assert {"so-tttt", "vp-ubnd"} <= codes
    assert (
        not ActivityAgency.objects.filter(activity__plan=plan, unit__isnull=True, group__isnull=True)
        .exclude(name="các cơ sở đào tạo")
        .exists()
    )
    assert plan.issuer_unit.code == "ubnd-tinh"


@pytest.mark.django_db
class TestInheritance:
    def test_a_merged_commune_inherits_its_predecessors_open_tasks(self, personas):
        from cchc.orgs.models import Succession, UnitKind
        from cchc.plans.actions import do_inherit_obligations
        from cchc.testing import make_unit

        plan = make_small_plan(year=2025)
        units = personas.units
        merged = make_unit(
            code="xa2025-9", name="UBND xã Ia Kha Mới", kind=UnitKind.COMMUNE_COMMITTEE, valid_from=dt.date(2025, 7, 1)
        )
        for old in (units.commune_a, units.commune_b):
            Succession.objects.create(successor=merged, predecessor=old, effective_on=dt.date(2025, 7, 1))
        assert do_inherit_obligations(dt.date(2025, 7, 1)).created == 1
        inherited = Obligation.objects.get(unit=merged)
        assert inherited.activity.plan == plan and inherited.inherited_from in (units.commune_a, units.commune_b)
        assert do_inherit_obligations(dt.date(2025, 7, 1)).created == 0

    def test_finished_activities_are_not_inherited(self, personas):
        from cchc.orgs.models import Succession, UnitKind
        from cchc.plans.actions import do_inherit_obligations
        from cchc.testing import make_unit

        make_small_plan(year=2024)
        merged = make_unit(kind=UnitKind.COMMUNE_COMMITTEE, valid_from=dt.date(2025, 7, 1))
        Succession.objects.create(
            successor=merged, predecessor=personas.units.commune_a, effective_on=dt.date(2025, 7, 1)
        )
        assert do_inherit_obligations(dt.date(2025, 7, 1)).created == 0
