import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.orgs.models import Unit
from cchc.plans.actions import do_create_plan
from cchc.plans.models import ActivityAgency, AgencyRole, Plan, PlanStatus
from cchc.plans.nextyear import do_copy_plan, shift_text
from cchc.plans.tests.reorg import reorg_document, reorganise


@pytest.fixture
def reorg(personas):
    return reorganise(personas.units)


@pytest.fixture
def plan_2024(reorg):
    return do_create_plan(reorg_document(2024), status=PlanStatus.ACTIVE)


def _agencies(plan, number):
    return {
        (a.unit or a.group or a).name if (a.unit or a.group) else a.name: a
        for a in ActivityAgency.objects.filter(activity__plan=plan, activity__number=number).select_related(
            "unit", "group"
        )
    }


@pytest.mark.django_db
class TestCopyPlan:
    def test_it_makes_a_draft_of_the_new_year_with_shifted_periods_and_no_number(self, personas, plan_2024):
        new, report = do_copy_plan(plan_2024, 2026, actor=personas.coordinator)
        assert (new.status, new.year, new.copied_from, new.number, new.issued_on) == (
            PlanStatus.DRAFT,
            2026,
            plan_2024,
            "",
            None,
        )
        assert new.title.endswith("năm 2026") and new.symbol == plan_2024.symbol
        assert new.topics.count() == plan_2024.topics.count() == 1
        first = new.activities.get(number="1")
        assert (first.period_start, first.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        assert first.schedule_text == "Thường xuyên trong năm 2026."
        # 29/02/2024 has no day in 2026: the last day of February.
        assert new.activities.get(number="4").period_start == dt.date(2026, 2, 28)
        assert report.plan == new.pk and report.year == 2026
        entries = AuditEntry.objects.filter(action="plans.copy")
        assert entries.count() == 1 and entries.get().details["copied_from"] == plan_2024.pk

    def test_it_replaces_a_closed_unit_by_its_only_successor(self, personas, plan_2024, reorg):
        new, report = do_copy_plan(plan_2024, 2026, actor=personas.coordinator)
        agencies = _agencies(new, "2")
        bao = agencies[reorg.bao.name]
        assert bao.role == AgencyRole.COORDINATE and not bao.needs_review
        assert "Đài Phát thanh và Truyền hình tỉnh" in bao.note and "01/07/2025" in bao.note
        assert {
            "activity": "2",
            "role": "coordinate",
            "from": personas.units.dai.name,
            "to": [reorg.bao.name],
            "kind": "successor",
        } in report.replacements

    def test_it_proposes_the_successor_whose_remit_fits_the_activity_and_flags_it(self, personas, plan_2024, reorg):
        new, report = do_copy_plan(plan_2024, 2026, actor=personas.coordinator)
        digital = _agencies(new, "1")[reorg.khcn.name]
        grassroots = _agencies(new, "3")[reorg.vhttdl.name]
        assert digital.needs_review and grassroots.needs_review
        assert grassroots.role == AgencyRole.LEAD
        assert "Đề xuất Sở Văn hóa, Thể thao và Du lịch" in grassroots.note
        assert "Có thể chọn: Sở Khoa học và Công nghệ" in grassroots.note
        assert "Có thể chọn: Sở Văn hóa, Thể thao và Du lịch" in digital.note
        assert [(f["activity"], f["chosen"], f["alternatives"]) for f in report.flags] == [
            ("1", reorg.khcn.name, [reorg.vhttdl.name]),
            ("3", reorg.vhttdl.name, [reorg.khcn.name]),
        ]
        assert not ActivityAgency.objects.filter(activity__plan=new, unit=personas.units.tttt).exists()

    def test_the_proposal_follows_the_remit_words_not_the_pair_of_units(self, personas, plan_2024, reorg):
        # Swap the remits: the same activities now fit the other department.
        reorg.khcn.remit, reorg.vhttdl.remit = reorg.vhttdl.remit, reorg.khcn.remit
        reorg.khcn.save()
        reorg.vhttdl.save()
        _new, report = do_copy_plan(plan_2024, 2026, actor=personas.coordinator)
        assert [f["chosen"] for f in report.flags] == [reorg.vhttdl.name, reorg.khcn.name]

    def test_a_closed_district_is_replaced_by_the_communes_of_its_area(self, personas, plan_2024, reorg):
        new, report = do_copy_plan(plan_2024, 2026, actor=personas.coordinator)
        agencies = _agencies(new, "3")
        assert {reorg.new_a.name, reorg.new_b.name} <= agencies.keys()
        assert agencies[reorg.new_a.name].role == AgencyRole.IMPLEMENT
        area = next(r for r in report.replacements if r["kind"] == "area")
        assert area["from"] == personas.units.district.name and sorted(area["to"]) == sorted(
            [reorg.new_a.name, reorg.new_b.name]
        )

    def test_a_group_left_without_units_becomes_the_group_of_their_successors(self, personas, plan_2024, reorg):
        new, report = do_copy_plan(plan_2024, 2026, actor=personas.coordinator)
        names = [a.name for a in ActivityAgency.objects.filter(activity__plan=new, activity__number="1")]
        # "UBND cấp huyện" had no unit left in 2026: its districts' communes are "UBND cấp xã", already named.
        assert names.count("UBND cấp xã") == 1 and "UBND cấp huyện" not in names
        assert {
            "activity": "1",
            "role": "implement",
            "from": "UBND cấp huyện",
            "to": ["UBND cấp xã"],
            "kind": "group",
        } in report.replacements

    def test_what_cannot_be_mapped_is_kept_and_flagged(self, personas, plan_2024):
        new, report = do_copy_plan(plan_2024, 2026, actor=personas.coordinator)
        training = _agencies(new, "4")
        assert (
            training["các cơ sở đào tạo"].needs_review and "không có đơn vị nào" in training["các cơ sở đào tạo"].note
        )
        assert training["Sở Không Tồn Tại"].needs_review and training["Sở Không Tồn Tại"].unit is None
        assert sorted((u["activity"], u["reason"]) for u in report.unmatched) == [
            ("4", "empty_group"),
            ("4", "unresolved"),
        ]

    def test_a_closed_unit_without_successor_is_flagged_and_the_lost_lead_reported(self, personas, reorg):
        plan = do_create_plan(reorg_document(2024), status=PlanStatus.ACTIVE)
        noi_vu = personas.units.noi_vu
        noi_vu.valid_to = dt.date(2025, 12, 31)
        noi_vu.save()
        new, report = do_copy_plan(plan, 2026, actor=personas.coordinator)
        lead = _agencies(new, "2")["Sở Nội vụ"]
        assert lead.unit is None and lead.needs_review and "không tìm thấy đơn vị kế thừa" in lead.note
        assert {"activity": "2", "role": "lead", "agency": "", "reason": "lead_lost"} in report.unmatched

    def test_a_unit_named_twice_after_mapping_keeps_the_stronger_role(self, personas, reorg):
        document = reorg_document(2024)
        document["activities"][2]["agencies"].append({"name": "Sở Văn hóa, Thể thao và Du lịch", "role": "coordinate"})
        plan = do_create_plan(document, status=PlanStatus.ACTIVE)
        new, _report = do_copy_plan(plan, 2026, actor=personas.coordinator)
        rows = ActivityAgency.objects.filter(activity__plan=new, activity__number="3", unit=reorg.vhttdl)
        assert [r.role for r in rows] == [AgencyRole.LEAD]

    @pytest.mark.parametrize("year", [2024, 2023, 2031])
    def test_it_refuses_a_year_that_is_not_ahead(self, personas, plan_2024, year):
        with pytest.raises(ValidationError, match="phải sau năm 2024"):
            do_copy_plan(plan_2024, year, actor=personas.coordinator)
        assert Plan.objects.count() == 1 and not AuditEntry.objects.filter(action="plans.copy").exists()

    def test_every_agency_of_the_copy_is_open_on_the_first_day_of_its_year(self, personas, plan_2024):
        new, _report = do_copy_plan(plan_2024, 2026, actor=personas.coordinator)
        day = dt.date(2026, 1, 1)
        units = Unit.objects.filter(pk__in=ActivityAgency.objects.filter(activity__plan=new).values("unit"))
        assert units.exists() and all(u.is_valid_on(day) for u in units)


def test_shift_text_moves_only_the_plan_year():
    text = "Quý I, Quý II năm 2024; Kế hoạch số 1389/KH-UBND năm 2024 giai đoạn 2021-2030; năm 20245"
    assert shift_text(text, 2024, 2026) == (
        "Quý I, Quý II năm 2026; Kế hoạch số 1389/KH-UBND năm 2026 giai đoạn 2021-2030; năm 20245"
    )


@pytest.mark.django_db
class TestCopyCommandAndView:
    def test_the_command_prints_the_new_plan_and_its_replacements_and_flags(self, plan_2024, reorg, capsys):
        call_command("copy_plan", str(plan_2024.pk), "--year", "2026", "--json")
        out = json.loads(capsys.readouterr().out)
        new = Plan.objects.get(pk=out["plan"])
        assert new.copied_from == plan_2024 and out["year"] == 2026
        assert {f["activity"] for f in out["flags"]} == {"1", "3"}
        assert out["replacements"] and out["unmatched"]

    def test_the_command_says_why_it_copies_nothing(self, plan_2024, capsys):
        with pytest.raises(SystemExit) as exit_:
            call_command("copy_plan", str(plan_2024.pk), "--year", "2024")
        assert exit_.value.code == 1 and "phải sau năm 2024" in capsys.readouterr().err

    def test_the_coordinator_chooses_the_year_and_lands_on_the_new_draft(self, client, personas, plan_2024, reorg):
        client.force_login(personas.coordinator)
        url = reverse("plans:copy", args=[plan_2024.pk])
        page = client.get(url)
        assert page.status_code == 200 and '<option value="2025" selected>' in page.text
        response = client.post(url, {"year": "2026"}, follow=True)
        new = Plan.objects.get(year=2026)
        assert response.redirect_chain[-1][0] == reverse("plans:detail", args=[new.pk])
        text = response.text
        assert "2 đề xuất cần rà soát" in text and "Hoạt động 3: đề xuất Sở Văn hóa, Thể thao và Du lịch" in text

    def test_a_year_out_of_range_is_refused_with_a_message(self, client, personas, plan_2024):
        client.force_login(personas.coordinator)
        response = client.post(reverse("plans:copy", args=[plan_2024.pk]), {"year": "2024"})
        assert response.status_code == 200 and "2024 không phải là một trong các lựa chọn" in response.text
        assert Plan.objects.count() == 1
