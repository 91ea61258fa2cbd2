"""Groups the coordinator controls: which units a group phrase stands for, per plan (``cchc.plans.groups``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.lib.versioning import StaleEdit
from cchc.orgs.models import UnitGroup, UnitKind
from cchc.plans.actions import do_create_plan, do_save_plan_group
from cchc.plans.groups import plan_groups, units_for
from cchc.plans.models import Obligation, PlanStatus
from cchc.testing import make_unit, plan_document

pytestmark = pytest.mark.django_db

DEPARTMENTS_PLAN = {
    "number": "9",
    "title": "Các nội dung tuyên truyền khác",
    "agencies": [{"name": "Các sở, ban, ngành tỉnh", "role": "implement"}],
    "period": None,
    "recurrence": None,
    "funding": None,
}


@pytest.fixture
def draft(personas):
    doc = plan_document()
    make_unit(code="cong-an-tinh", name="Công an tỉnh", kind=UnitKind.SECTOR_AGENCY, parent=personas.units.province)
    return do_create_plan(plan_document(activities=[*doc["activities"], DEPARTMENTS_PLAN]), status=PlanStatus.DRAFT)


def _group():
    return UnitGroup.objects.get(code="so-ban-nganh")


def _named(plan):
    return set(
        Obligation.objects.filter(activity__plan=plan, activity__number="9").values_list("unit__code", flat=True)
    )


class TestExpansion:
    def test_by_default_the_departments_include_the_central_agencies_in_the_province(self, personas, draft):
        assert "cong-an-tinh" in _named(draft)
        assert {u.code for u in units_for(draft, _group())} == _named(draft)

    def test_the_coordinator_leaves_out_the_central_agencies_and_the_obligations_follow(self, personas, draft):
        size = do_save_plan_group(
            draft,
            _group(),
            kinds=[UnitKind.DEPARTMENT],
            included=[],
            excluded=[personas.units.vp],
            actor=personas.coordinator,
            expected_version=None,
        )
        named = _named(draft)
        assert "cong-an-tinh" not in named and "vp-ubnd" not in named and "so-noi-vu" in named
        assert size == len(named)
        assert AuditEntry.objects.filter(action="plans.save_plan_group").count() == 1
        # Another plan keeps the group as the registry defines it.
        other = do_create_plan(plan_document(activities=[DEPARTMENTS_PLAN]), status=PlanStatus.DRAFT)
        assert "cong-an-tinh" in _named(other)

    def test_a_unit_added_by_name_gets_the_obligation(self, personas, draft):
        do_save_plan_group(
            draft,
            _group(),
            kinds=[UnitKind.DEPARTMENT],
            included=[personas.units.dai],
            excluded=[],
            actor=personas.coordinator,
            expected_version=None,
        )
        assert "dai-ptth" in _named(draft)

    def test_a_stale_edit_and_an_active_plan_are_refused(self, personas, draft, demo_plan):
        from django.core.exceptions import PermissionDenied, ValidationError

        args = {"kinds": [UnitKind.DEPARTMENT], "included": [], "excluded": []}
        do_save_plan_group(draft, _group(), **args, actor=personas.coordinator, expected_version=None)
        do_save_plan_group(draft, _group(), **args, actor=personas.coordinator, expected_version=1)
        with pytest.raises(StaleEdit):
            do_save_plan_group(draft, _group(), **args, actor=personas.coordinator, expected_version=1)
        with pytest.raises(ValidationError):
            do_save_plan_group(demo_plan, _group(), **args, actor=personas.coordinator, expected_version=None)
        with pytest.raises(ValidationError):
            do_save_plan_group(
                draft, _group(), kinds=[], included=[], excluded=[], actor=personas.coordinator, expected_version=2
            )
        with pytest.raises(PermissionDenied):
            do_save_plan_group(draft, _group(), **args, actor=personas.officer_a, expected_version=2)


class TestPage:
    def test_it_shows_each_groups_count_and_saves_the_coordinators_choice(self, client, personas, draft):
        client.force_login(personas.coordinator)
        url = reverse("plans:groups", args=[draft.pk])
        html = client.get(url).content.decode()
        size = next(u.size for u in plan_groups(draft) if u.group.code == "so-ban-nganh")
        assert f'id="group-so-ban-nganh" data-size="{size}"' in html
        response = client.post(url, {"group": "so-ban-nganh", "kinds": ["department"], "excluded": [], "included": ""})
        assert response.status_code == 302
        assert "cong-an-tinh" not in _named(draft)

    def test_an_unknown_code_is_refused_with_a_clear_message_and_nothing_changes(self, client, personas, draft):
        client.force_login(personas.coordinator)
        url = reverse("plans:groups", args=[draft.pk])
        response = client.post(url, {"group": "so-ban-nganh", "kinds": ["department"], "included": "khong-co"})
        assert response.status_code == 422 and "Không có đơn vị mang mã: khong-co" in response.content.decode()
        assert "cong-an-tinh" in _named(draft)

    def test_its_queries_do_not_grow_with_the_units(self, client, personas, draft):
        client.force_login(personas.observer)
        url = reverse("plans:groups", args=[draft.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        for i in range(20):
            make_unit(
                code=f"xa-moi-{i}",
                name=f"UBND xã Mới {i}",
                kind=UnitKind.COMMUNE_COMMITTEE,
                parent=personas.units.district,
            )
        with CaptureQueriesContext(connection) as large:
            html = client.get(url).content.decode()
        assert "UBND xã Mới 19" in html
        assert len(large) == len(small)


def test_the_plan_page_shows_the_count_beside_a_group(client, personas, draft):
    client.force_login(personas.coordinator)
    html = client.get(reverse("plans:detail", args=[draft.pk])).content.decode()
    size = next(u.size for u in plan_groups(draft) if u.group.code == "so-ban-nganh")
    assert f'#group-so-ban-nganh">({size} đơn vị)</a>' in html
