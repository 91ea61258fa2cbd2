"""``cchc import_plan``: the dry run plan-score reads, saving a draft, the same document again, refusals."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from cchc.audit.models import AuditEntry
from cchc.orgs.actions import do_load_units
from cchc.plans.models import Activity, ImportStatus, Obligation, Plan, PlanImport, PlanStatus

from .documents import REPO, SHARED, district_plan_docx, needs_shared

PLANS = Path(__file__).parent / "plans"
TABLE_PLAN = PLANS / "lam-dong-2025-table.md"


def run(*args) -> tuple[str, str, int]:
    """Run the command; return (stdout, stderr, exit status)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_plan", *map(str, args), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return out.getvalue(), err.getvalue(), status


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def seed() -> Path:
    if SHARED is None:
        pytest.skip("../shared (the seed plan) is not beside the repo")
    return SHARED / "plans" / "gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md"


@needs_shared
@pytest.mark.django_db
def test_the_dry_run_json_scores_1_on_the_seed_and_saves_nothing(seed, tmp_path, settings):
    out, err, status = run(seed, "--dry-run", "--json")
    assert status == 0 and err == ""
    actual = tmp_path / "actual.json"
    actual.write_text(out, encoding="utf-8")
    score = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "plan-score"),
            str(SHARED / "plans" / "gia-lai-2024.expected.json"),
            str(actual),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "plan-score: 1.000" in score.stdout, score.stdout
    assert json.loads(out)["schema"] == "cchc.plan/1"
    assert not Plan.objects.exists() and not PlanImport.objects.exists() and not stored_files(settings)


@needs_shared
def test_the_cchc_command_itself_prints_the_dry_run_without_a_database(seed, tmp_path):
    """The exact command of the issue, through the ``cchc`` entry point, on a database nobody migrated."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "CCHC_MEDIA_ROOT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "cchc", "import_plan", str(seed), "--dry-run", "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["year"] == 2024 and len(plan["activities"]) == 9


@pytest.mark.django_db
def test_a_dry_run_for_a_person_shows_the_registry_matches(personas):
    out, _err, status = run(TABLE_PLAN, "--dry-run")
    assert status == 0
    assert "Đối chiếu danh mục đơn vị năm 2025" in out
    assert "[exact] Sở Nội vụ → Sở Nội vụ" in out
    assert "[none ] Báo Lâm Đồng → —" in out
    assert not Plan.objects.exists()


@needs_shared
@pytest.mark.django_db
def test_it_saves_the_seed_as_a_draft_with_activities_and_obligations(seed, settings):
    do_load_units("Gia Lai", dt.date(2024, 1, 1))
    out, err, status = run(seed)
    assert status == 0, err
    plan = Plan.objects.get()
    assert plan.status == PlanStatus.DRAFT and plan.year == 2024 and plan.issuer_unit.code == "ubnd-tinh"
    assert plan.activities.count() == 9 and plan.topics.count() == 10
    first = plan.activities.get(number="1")
    assert first.obligations.count() == 20 + 9 + 17 + 218  # departments, sector agencies, districts, communes
    assert plan.activities.get(number="3").period_end == dt.date(2024, 6, 30)
    session = PlanImport.objects.get()
    assert session.status == ImportStatus.CONFIRMED and session.plan == plan
    assert session.sha256 == __import__("hashlib").sha256(seed.read_bytes()).hexdigest()
    assert [p.read_bytes() for p in stored_files(settings)] == [seed.read_bytes()]
    assert f"Đã lưu kế hoạch dự thảo #{plan.pk}" in out
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"plans.import.upload", "plans.create", "plans.import.confirm"} <= actions


@pytest.mark.django_db
def test_json_without_dry_run_prints_the_created_plans_id_and_counts(personas):
    out, _err, status = run(TABLE_PLAN, "--json")
    assert status == 0
    report = json.loads(out)
    plan = Plan.objects.get()
    assert report["plan"] == plan.pk and report["status"] == "draft" and report["updated"] is False
    assert report["activities"] == plan.activities.count() == 5
    assert report["obligations"] == Obligation.objects.filter(activity__plan=plan).count() > 0
    assert report["agencies_unmatched"] >= 1  # "Báo Lâm Đồng" is not in the test registry
    assert report["import"] == PlanImport.objects.get().pk


@pytest.mark.django_db
def test_the_audit_log_names_the_user_given(personas):
    run(TABLE_PLAN, "--user", "coordinator")
    assert set(AuditEntry.objects.filter(action__startswith="plans.").values_list("actor__username", flat=True)) == {
        "coordinator"
    }
    with pytest.raises(Exception, match="Không có người dùng"):
        call_command("import_plan", str(TABLE_PLAN), "--user", "ai-do", stdout=io.StringIO())


@pytest.mark.django_db
class TestTheSameDocumentAgain:
    def test_the_same_file_is_not_imported_twice(self, personas, settings):
        run(TABLE_PLAN)
        files = stored_files(settings)
        out, err, status = run(TABLE_PLAN)
        assert status == 1 and out == ""
        assert "đã được nhập thành kế hoạch dự thảo" in err and "--update" in err
        assert "run again with --update" in err
        assert Plan.objects.count() == 1 and PlanImport.objects.count() == 1
        assert stored_files(settings) == files

    def test_the_same_plan_saved_again_as_another_file_is_recognised(self, personas, tmp_path):
        run(TABLE_PLAN)
        resaved = tmp_path / "ke-hoach-luu-lai.md"
        resaved.write_bytes(TABLE_PLAN.read_bytes().replace(b"\n", b"\r\n") + b"\r\n\r\n")
        _out, err, status = run(resaved)
        assert status == 1 and "đã được nhập" in err
        assert Plan.objects.count() == 1

    def test_update_replaces_the_drafts_content_and_keeps_its_activities(self, personas, tmp_path):
        run(TABLE_PLAN)
        plan = Plan.objects.get()
        ids = dict(plan.activities.values_list("number", "pk"))
        text = TABLE_PLAN.read_text(encoding="utf-8")
        assert "Tháng 6/2025" in text
        changed = tmp_path / "lam-dong-sua.md"
        changed.write_text(text.replace("Tháng 6/2025", "Tháng 9/2025"), encoding="utf-8")
        out, err, status = run(changed, "--update", "--json")
        assert status == 0, err
        assert json.loads(out)["updated"] is True and json.loads(out)["plan"] == plan.pk
        assert Plan.objects.count() == 1
        assert dict(Activity.objects.filter(plan=plan).values_list("number", "pk")) == ids
        periods = set(Activity.objects.filter(plan=plan).values_list("period_start", flat=True))
        assert dt.date(2025, 9, 1) in periods and dt.date(2025, 6, 1) not in periods
        assert AuditEntry.objects.filter(action="plans.update_from_document", object_id=str(plan.pk)).exists()

    def test_update_never_touches_a_plan_that_is_no_longer_a_draft(self, personas, tmp_path):
        run(TABLE_PLAN)
        plan = Plan.objects.get()
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ACTIVE)
        changed = tmp_path / "lam-dong-sua.md"
        changed.write_text(
            TABLE_PLAN.read_text(encoding="utf-8").replace("Tháng 6/2025", "Tháng 9/2025"), encoding="utf-8"
        )
        for args in ([changed], [changed, "--update"]):
            out, err, status = run(*args)
            assert status == 1 and "--update" not in err.splitlines()[0]
            assert "đang thực hiện" in err and "no longer a draft" in err
            # It points at the screen where an active plan is amended, which exists.
            assert f"/plans/{plan.pk}/edit/" in err
        plan.refresh_from_db()
        assert plan.version == 1 and PlanImport.objects.count() == 1
        assert not Activity.objects.filter(plan=plan, period_start=dt.date(2025, 9, 1)).exists()


@pytest.mark.django_db
class TestRefusals:
    @pytest.mark.parametrize(
        "name,data,vietnamese,english",
        [
            ("ke-hoach.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "tệp Word cũ (.doc)", "legacy Word"),
            ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "không phải văn bản đọc được", "not readable text"),
            ("trong.txt", b"   \n\n", "Tệp trống", "empty"),
            (
                "thu-moi.txt",
                "Kính gửi anh chị,\nMời dự họp lúc 8 giờ.\n".encode(),
                "không giống một kế hoạch",
                "does not look like a plan",
            ),
        ],
    )
    def test_a_refused_file_says_what_to_do_and_saves_nothing(
        self, personas, settings, tmp_path, name, data, vietnamese, english
    ):
        path = tmp_path / name
        path.write_bytes(data)
        out, err, status = run(path)
        assert status == 2 and out == ""
        assert vietnamese in err and english in err
        assert not Plan.objects.exists() and not PlanImport.objects.exists() and not stored_files(settings)
        assert not AuditEntry.objects.filter(action__startswith="plans.").exists()

    def test_a_refused_file_is_refused_by_the_dry_run_too(self, tmp_path):
        path = tmp_path / "ke-hoach.doc"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
        _out, err, status = run(path, "--dry-run", "--json")
        assert status == 2 and "tệp Word cũ (.doc)" in err

    def test_a_missing_file(self, tmp_path):
        _out, err, status = run(tmp_path / "khong-co.docx")
        assert status == 2 and "Không đọc được tệp" in err

    def test_a_docx_with_a_task_table_is_saved(self, personas, tmp_path):
        path = tmp_path / "huyen.docx"
        path.write_bytes(district_plan_docx())
        _out, err, status = run(path)
        assert status == 0, err
        plan = Plan.objects.get()
        assert plan.activities.count() >= 4
        assert PlanImport.objects.get().file_format == "docx"
