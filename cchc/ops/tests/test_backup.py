"""Backup and restore round trips on the configured database (SQLite here, PostgreSQL in CI's second run)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from cchc.audit.actions import record
from cchc.ops.backup import (
    BackupError,
    create_backup,
    prune_backups,
    restore_backup,
    storage_files,
    verify_archive,
)
from cchc.orgs.models import Unit
from cchc.plans.models import Obligation
from cchc.testing import make_unit

pytestmark = pytest.mark.django_db(transaction=True)


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        out = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 # nosec B608
            out[table] = cursor.fetchone()[0]
    return out


def live_files() -> dict[str, str]:
    out = {}
    for name in storage_files():
        with default_storage.open(name, "rb") as fh:
            out[name] = hashlib.sha256(fh.read()).hexdigest()
    return out


@pytest.fixture
def populated(personas, demo_plan):
    default_storage.save("evidence/1/report.pdf", ContentFile(b"%PDF-1.4 report " * 100))
    default_storage.save("evidence/2/photo.png", ContentFile(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50))
    default_storage.save("ops-check/tiny.txt", ContentFile(b"x"))
    return demo_plan


class TestRoundTrip:
    def test_it_restores_every_table_and_file_after_changes(self, populated, tmp_path):
        before_counts, before_files = live_counts(), live_files()
        assert before_counts["plans_obligation"] > 0 and len(before_files) == 3

        report = create_backup(tmp_path / "backups")
        assert report.manifest["tables"] == before_counts
        assert {f["name"]: f["sha256"] for f in report.manifest["files"]} == before_files
        assert report.manifest["database"]["engine"] == connection.vendor
        assert (report.path.stat().st_mode & 0o777) == 0o600

        # Work goes on after the backup: rows added and deleted, a file changed, one deleted, one added.
        Obligation.objects.filter(activity__plan=populated).delete()
        make_unit(code="moi-sau-sao-luu")
        record("test.after_backup", None)
        default_storage.delete("evidence/1/report.pdf")
        default_storage.delete("evidence/2/photo.png")
        default_storage.save("evidence/2/photo.png", ContentFile(b"changed"))
        assert live_counts() != before_counts

        restored = restore_backup(report.path)
        assert restored.ok, restored.problems
        assert live_counts() == before_counts
        after_files = live_files()
        for name, digest in before_files.items():
            assert after_files[name] == digest
        assert not Unit.objects.filter(code="moi-sau-sao-luu").exists()

    def test_it_removes_files_added_after_the_backup_and_reports_them_otherwise(self, populated, tmp_path):
        """Finding 11 (issue 15): a file added after the backup is neither kept nor passed over in silence."""
        from cchc.ops.backup import verify_live

        report = create_backup(tmp_path)
        default_storage.save("feedback/2026/05/added-later.pdf", ContentFile(b"%PDF-1.4 personal data"))
        assert "tệp feedback/2026/05/added-later.pdf: có thêm, không có trong bản sao lưu" in verify_live(
            report.manifest
        )
        restored = restore_backup(report.path)
        assert restored.ok, restored.problems
        assert not default_storage.exists("feedback/2026/05/added-later.pdf")

    def test_it_restores_through_the_commands(self, populated, tmp_path, capsys):
        before = live_counts()
        call_command("backup", "-o", str(tmp_path), verbosity=0)
        path = capsys.readouterr().out.strip().splitlines()[-1]
        assert path.endswith(".tar")
        Unit.objects.filter(code="xa-2").update(name="Đổi tên sau sao lưu")
        make_unit(code="them-sau")
        call_command("restore", path, "--noinput")
        assert "đối chiếu khớp" in capsys.readouterr().out
        assert live_counts() == before
        assert Unit.objects.get(code="xa-2").name == "UBND xã Ia Ly"

    def test_it_refuses_a_damaged_backup_and_changes_nothing(self, populated, tmp_path):
        report = create_backup(tmp_path)
        damaged = tmp_path / "damaged.tar"
        with tarfile.open(report.path) as src, tarfile.open(damaged, "w") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                if member.name == "media/evidence/1/report.pdf":
                    data = data.replace(b"report", b"REPORT", 1)
                dst.addfile(member, io.BytesIO(data))
        assert not verify_archive(damaged).ok
        make_unit(code="con-nguyen")
        before = live_counts()
        with pytest.raises(BackupError, match="hỏng"):
            restore_backup(damaged)
        assert live_counts() == before
        with pytest.raises(CommandError):
            call_command("restore", str(damaged), "--verify-only")

    def test_it_reports_a_mismatch_after_restore(self, populated, tmp_path):
        report = create_backup(tmp_path)
        tampered = tmp_path / "tampered.tar"
        with tarfile.open(report.path) as src, tarfile.open(tampered, "w") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                if member.name == "manifest.json":
                    manifest = json.loads(data)
                    manifest["tables"]["orgs_unit"] += 1  # a manifest that lies about the dump
                    data = json.dumps(manifest).encode()
                    member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
        result = restore_backup(tampered)
        assert not result.ok
        assert any("orgs_unit" in p for p in result.problems)

    def test_it_leaves_the_database_alone_when_the_dump_cannot_be_loaded(self, populated, tmp_path):
        report = create_backup(tmp_path)
        broken = tmp_path / "broken.tar"
        garbage = b"PGDMP" + b"\x00garbage" * 100 if connection.vendor == "postgresql" else b"not a database" * 100
        db_member = report.manifest["database"]["file"]
        with tarfile.open(report.path) as src, tarfile.open(broken, "w") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                if member.name == db_member:
                    data = garbage
                elif member.name == "manifest.json":
                    manifest = json.loads(data)
                    manifest["database"].update(size=len(garbage), sha256=hashlib.sha256(garbage).hexdigest())
                    data = json.dumps(manifest).encode()
                member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
        assert verify_archive(broken).ok  # the checksums agree: only loading it can tell
        make_unit(code="sau-sao-luu")
        before = live_counts()
        with pytest.raises(BackupError, match="không bị thay đổi"):
            restore_backup(broken)
        assert live_counts() == before

    def test_it_refuses_file_names_that_leave_the_store(self, populated, tmp_path):
        report = create_backup(tmp_path)
        evil = tmp_path / "evil.tar"
        with tarfile.open(report.path) as src, tarfile.open(evil, "w") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                if member.name == "manifest.json":
                    manifest = json.loads(data)
                    manifest["files"][0]["name"] = "../../etc/cron.d/x"
                    data = json.dumps(manifest).encode()
                    member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
        with pytest.raises(BackupError, match="không hợp lệ"):
            verify_archive(evil)


def test_it_keeps_only_the_newest_backups(tmp_path):
    for stamp in ("20240101-020000", "20240102-020000", "20240103-020000"):
        (tmp_path / f"cchc-backup-{stamp}.tar").write_bytes(b"")
    (tmp_path / "cchc-backup-20240104-020000.tar.partial").write_bytes(b"")
    removed = prune_backups(tmp_path, keep=2)
    assert [p.name for p in removed] == ["cchc-backup-20240101-020000.tar"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cchc-backup-20240102-020000.tar",
        "cchc-backup-20240103-020000.tar",
        "cchc-backup-20240104-020000.tar.partial",
    ]
