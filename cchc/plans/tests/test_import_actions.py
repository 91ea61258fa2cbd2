"""Import sessions: upload, corrections under a version, confirm (new or updating a draft), discard."""

import copy
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from cchc.audit.models import AuditEntry
from cchc.lib.versioning import StaleEdit
from cchc.plans.actions import (
    DuplicatePlan,
    do_confirm_import,
    do_correct_import,
    do_create_plan,
    do_discard_import,
    do_start_import,
)
from cchc.plans.importer import PlanImportError
from cchc.plans.imports import apply_correction, duplicate_of, find_existing_plan, review_counts, section_of
from cchc.plans.models import ActivityAgency, ImportStatus, Obligation, Plan, PlanImport, PlanStatus
from cchc.testing import plan_document

TABLE_PLAN = Path(__file__).parent / "plans" / "lam-dong-2025-table.md"


def start(actor, path: Path = TABLE_PLAN) -> PlanImport:
    return do_start_import(path.read_bytes(), path.name, actor=actor)


def agency(session: PlanImport, index: int, name: str) -> dict:
    return next(a for a in session.document["activities"][index]["agencies"] if a["name"] == name)


@pytest.mark.django_db
class TestStart:
    def test_it_keeps_the_file_the_structure_and_the_matches_for_review(self, personas):
        session = start(personas.coordinator)
        assert session.status == ImportStatus.REVIEW and session.plan is None
        assert session.original.read() == TABLE_PLAN.read_bytes()
        assert session.original.name.startswith("plan-imports/") and "lam-dong" not in session.original.name
        assert session.original_name == "lam-dong-2025-table.md" and session.file_format == "text"
        # The two-column header table is one source line, so each line number is one anchor.
        assert session.lines[0] == [1, "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
        numbers = [n for n, _text in session.lines]
        assert numbers == sorted(set(numbers))
        noi_vu = agency(session, 3, "Sở Nội vụ")
        assert noi_vu == {
            "name": "Sở Nội vụ",
            "role": "implement",
            "unit": "so-noi-vu",
            "group": None,
            "match": "exact",
        }
        assert agency(session, 1, "Báo Lâm Đồng")["match"] == "none"
        assert agency(session, 4, "UBND các huyện, thành phố")["group"] == "ubnd-cap-huyen"
        assert not Plan.objects.exists()
        entry = AuditEntry.objects.get(action="plans.import.upload")
        assert entry.actor == personas.coordinator and entry.details["sha256"] == session.sha256
        assert entry.details["unmatched"] == review_counts(session.document)["unmatched"] >= 1

    def test_a_refused_file_saves_nothing(self, personas, settings):
        with pytest.raises(PlanImportError) as refused:
            do_start_import(b"%PDF-1.4\n%%EOF\n", "scan.pdf", actor=personas.coordinator)
        assert refused.value.code in {"scanned_pdf", "corrupt"}
        assert not PlanImport.objects.exists()
        assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.django_db
class TestCorrections:
    def test_a_correction_changes_the_section_marks_its_warnings_reviewed_and_is_audited(self, personas):
        session = start(personas.coordinator)
        session.document["warnings"].append(
            {"path": "activities[3].period", "code": "time_unread", "message": "…", "message_en": "…"}
        )
        session.save(update_fields=["document"])
        session = do_correct_import(
            session,
            "activities[3]",
            {"period": {"start": "2025-10-01", "end": "2025-11-30"}},
            actor=personas.coordinator,
            expected_version=1,
        )
        assert session.version == 2 and session.updated_by == personas.coordinator
        assert session.document["activities"][3]["period"] == {"start": "2025-10-01", "end": "2025-11-30"}
        assert session.document["warnings"][-1]["reviewed"] is True
        entry = AuditEntry.objects.get(action="plans.import.correct")
        assert entry.details["section"] == "activities[3]" and entry.details["version"] == 2
        assert "period" in entry.details["changes"]

    def test_a_stale_correction_is_refused_and_loses_nothing_saved(self, personas):
        session = start(personas.coordinator)
        first = PlanImport.objects.get(pk=session.pk)
        second = PlanImport.objects.get(pk=session.pk)
        do_correct_import(first, "header", {"place": "Đà Lạt"}, actor=personas.coordinator, expected_version=1)
        with pytest.raises(StaleEdit) as stale:
            do_correct_import(second, "header", {"place": "Bảo Lộc"}, actor=personas.admin, expected_version=1)
        assert "coordinator" in stale.value.messages[0] and "tải lại trang" in stale.value.messages[0]
        session.refresh_from_db()
        assert session.document["place"] == "Đà Lạt" and session.version == 2
        assert AuditEntry.objects.filter(action="plans.import.correct").count() == 1

    def test_another_year_matches_the_agencies_again_but_keeps_the_reviewers_choices(self, personas):
        session = start(personas.coordinator)
        session.document["activities"][1]["agencies"][0].update(unit="so-tttt", group=None, match="confirmed")
        session.document["activities"][3]["agencies"][0].update(unit=None, group=None, match="none")
        session.save(update_fields=["document"])
        session = do_correct_import(session, "header", {"year": 2024}, actor=personas.coordinator, expected_version=1)
        assert session.document["activities"][1]["agencies"][0]["unit"] == "so-tttt"
        assert session.document["activities"][3]["agencies"][0] == {
            "name": "Sở Nội vụ",
            "role": "implement",
            "unit": "so-noi-vu",
            "group": None,
            "match": "exact",
        }

    def test_a_closed_import_cannot_be_corrected(self, personas):
        session = start(personas.coordinator)
        do_discard_import(session, actor=personas.coordinator)
        with pytest.raises(ValidationError, match="đã hủy"):
            do_correct_import(session, "header", {"place": "x"}, actor=personas.coordinator, expected_version=2)


@pytest.mark.django_db
class TestConfirm:
    def test_it_creates_the_draft_with_the_reviewers_matches(self, personas):
        session = start(personas.coordinator)
        # The reviewer says "Báo Lâm Đồng" is the province's paper (the test registry's Đài), and that
        # "Đài Phát thanh - Truyền hình Lâm Đồng" is not in the registry.
        agencies = copy.deepcopy(session.document["activities"][1]["agencies"])
        agencies[0].update(unit="dai-ptth", group=None, match="confirmed")
        session = do_correct_import(
            session, "activities[1]", {"agencies": agencies}, actor=personas.coordinator, expected_version=1
        )
        plan, updated = do_confirm_import(session, actor=personas.coordinator, expected_version=2)
        assert not updated and plan.status == PlanStatus.DRAFT
        paper = ActivityAgency.objects.get(activity__plan=plan, name="Báo Lâm Đồng")
        assert paper.unit == personas.units.dai and paper.match_quality == "confirmed"
        assert Obligation.objects.filter(activity=paper.activity, unit=personas.units.dai).exists()
        session.refresh_from_db()
        assert session.status == ImportStatus.CONFIRMED and session.plan == plan and session.version == 3
        assert AuditEntry.objects.filter(action="plans.import.confirm", object_id=str(session.pk)).exists()

    def test_importing_the_same_document_again_offers_the_draft(self, personas):
        plan, _ = do_confirm_import(start(personas.coordinator), actor=personas.coordinator)
        again = start(personas.coordinator)
        with pytest.raises(DuplicatePlan) as duplicate:
            do_confirm_import(again, actor=personas.coordinator)
        assert duplicate.value.plan == plan and "cập nhật dự thảo" in duplicate.value.messages[0]
        updated_plan, updated = do_confirm_import(again, actor=personas.coordinator, update_existing=True)
        assert updated and updated_plan.pk == plan.pk and Plan.objects.count() == 1
        assert updated_plan.version == 2

    def test_a_plan_being_carried_out_is_never_overwritten(self, personas):
        plan, _ = do_confirm_import(start(personas.coordinator), actor=personas.coordinator)
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ACTIVE)
        again = start(personas.coordinator)
        with pytest.raises(DuplicatePlan, match="đang thực hiện"):
            do_confirm_import(again, actor=personas.coordinator, update_existing=True)
        assert Plan.objects.get(pk=plan.pk).version == 1

    def test_a_confirmed_import_cannot_be_confirmed_twice(self, personas):
        session = start(personas.coordinator)
        do_confirm_import(session, actor=personas.coordinator)
        with pytest.raises(ValidationError, match="đã xác nhận"):
            do_confirm_import(session, actor=personas.coordinator)

    def test_a_plan_without_a_year_is_not_confirmed(self, personas):
        session = start(personas.coordinator)
        PlanImport.objects.filter(pk=session.pk).update(document={**session.document, "year": None})
        session.refresh_from_db()
        with pytest.raises(ValidationError, match="năm"):
            do_confirm_import(session, actor=personas.coordinator)
        assert not Plan.objects.exists()


@pytest.mark.django_db
class TestExplicitMatches:
    def test_do_create_plan_keeps_a_match_the_document_carries(self, personas):
        doc = plan_document()
        doc["activities"][2]["agencies"][0].update(unit="so-noi-vu", group=None, match="confirmed")
        doc["activities"][0]["agencies"][0].update(unit=None, group=None, match="none")
        plan = do_create_plan(doc)
        unknown = ActivityAgency.objects.get(activity__plan=plan, name="Sở Không Tồn Tại")
        assert unknown.unit == personas.units.noi_vu and unknown.match_quality == "confirmed"
        cleared = ActivityAgency.objects.get(activity__plan=plan, name="Sở Thông tin và Truyền thông")
        assert not cleared.resolved and cleared.match_quality == "none"

    def test_a_code_outside_the_plans_registry_is_matched_by_name_again(self, personas):
        doc = plan_document()
        doc["activities"][1]["agencies"][0].update(unit="khong-co", group=None, match="confirmed")
        plan = do_create_plan(doc)
        assert ActivityAgency.objects.get(activity__plan=plan, name="Sở Nội vụ").unit == personas.units.noi_vu


@pytest.mark.django_db
def test_find_existing_plan_by_identity_ignores_accents_case_and_ubnd_written_out(personas):
    plan = do_create_plan(plan_document())
    doc = plan_document(
        issuer="Ủy ban nhân dân tỉnh Gia Lai", title="TUYÊN TRUYỀN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2024."
    )
    assert find_existing_plan(doc, "0" * 64) == plan
    assert find_existing_plan(plan_document(number="95"), "0" * 64) is None
    assert find_existing_plan(plan_document(year=2025), "0" * 64) is None


def test_sections_of_warning_paths():
    assert section_of("issuer") == "header" and section_of("signer.name") == "header"
    assert section_of("recipients") == "lists"
    assert section_of("activities[12].agencies[0]") == "activities[12]"
    assert section_of("legal_bases[0].date") == "other" and section_of("") == "other"


def test_apply_correction_reports_only_what_changed():
    doc = {
        "title": "A",
        "place": "B",
        "warnings": [{"path": "place", "code": "missing"}, {"path": "activities[0].period", "code": "no_time"}],
    }
    changes = apply_correction(doc, "header", {"title": "A", "place": "C"})
    assert changes == {"place": ["B", "C"]}
    assert doc["warnings"][0]["reviewed"] is True and "reviewed" not in doc["warnings"][1]


@pytest.mark.django_db
def test_a_communes_plan_resolves_its_own_committee_written_without_its_name(personas):
    path = Path(__file__).parent / "plans" / "ia-kha-2023.md"
    session = do_start_import(path.read_bytes(), path.name, actor=personas.coordinator)
    assert session.document["issuer"] == "UBND xã Ia Kha"
    named = [a for act in session.document["activities"] for a in act["agencies"] if a["name"] == "UBND xã"]
    assert named and all(a["unit"] == personas.units.commune_a.code and a["match"] == "exact" for a in named)
    plan, _ = do_confirm_import(session, actor=personas.coordinator)
    assert plan.issuer_unit == personas.units.commune_a
    assert Obligation.objects.filter(activity__plan=plan, unit=personas.units.commune_a).exists()


@pytest.mark.django_db
def test_duplicate_of_says_whether_an_import_may_update_or_is_blocked(personas):
    plan = do_create_plan(plan_document(), status=PlanStatus.DRAFT)
    session = PlanImport(document=plan_document(), sha256="0" * 64, status=ImportStatus.REVIEW)
    duplicate = duplicate_of(session)
    assert duplicate.plan == plan and duplicate.updatable and not duplicate.blocks
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ACTIVE)
    assert duplicate_of(session).blocks
    assert duplicate_of(PlanImport(document=plan_document(number="95"), sha256="1" * 64)) is None
    session.status = ImportStatus.CONFIRMED
    assert duplicate_of(session) is None  # a closed import has nothing left to decide
