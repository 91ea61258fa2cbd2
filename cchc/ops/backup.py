"""Backups of the database and the uploaded files, and their verified restore.

A backup is one tar file, written as ``NAME.partial`` and renamed when complete, readable by root and
the cchc user only (it holds password hashes):

    database.dump      PostgreSQL custom format (``pg_dump -Fc``), or
    database.sqlite3   a consistent copy made with SQLite's backup API
    media/<name>       every file of the default storage (local disk or S3), under its storage name
    manifest.json      format, time, database engine, every table's row count, every file's size and sha256

The row counts are taken in the same snapshot as the dump (PostgreSQL: an exported snapshot shared
with ``pg_dump``; SQLite: counted in the copy), so they describe exactly what the backup holds. A
restore checks every checksum before it changes anything, then restores, then counts every table and
hashes every file again and compares them with the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from cchc.lib import figcache

FORMAT = "cchc.backup/1"
MANIFEST = "manifest.json"
PG_DUMP_MEMBER = "database.dump"
SQLITE_MEMBER = "database.sqlite3"
MEDIA_DIR = "media/"
BACKUP_GLOB = "cchc-backup-*.tar"
CHUNK = 1024 * 1024

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (in the operator's terms)."""


@dataclass
class Report:
    path: Path
    manifest: dict
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _quiet(_: str) -> None:
    pass


# --- Creating -------------------------------------------------------------------------------------


def create_backup(out_dir: Path, *, log: Log = _quiet) -> Report:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = out_dir / f"cchc-backup-{stamp}.tar"
    n = 1
    while final.exists():
        n += 1
        final = out_dir / f"cchc-backup-{stamp}-{n}.tar"
    partial = final.with_name(final.name + ".partial")
    vendor = connection.vendor
    with tempfile.TemporaryDirectory(prefix="cchc-backup-", dir=out_dir) as tmp:
        if vendor == "postgresql":
            db_member, db_file = PG_DUMP_MEMBER, Path(tmp) / PG_DUMP_MEMBER
            tables = _dump_postgresql(db_file)
        elif vendor == "sqlite":
            db_member, db_file = SQLITE_MEMBER, Path(tmp) / SQLITE_MEMBER
            tables = _dump_sqlite(db_file)
        else:  # pragma: no cover - settings refuse other engines
            raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {vendor}.")
        log(f"Cơ sở dữ liệu: {len(tables)} bảng, {sum(tables.values())} dòng.")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                db_info = {
                    "engine": vendor,
                    "file": db_member,
                    "size": db_file.stat().st_size,
                    "sha256": _sha256_path(db_file),
                }
                tar.add(db_file, arcname=db_member)
                files = _add_media(tar, log)
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "host": socket.gethostname(),
                    "database": db_info,
                    "migrations": _applied_migrations(),
                    "tables": dict(sorted(tables.items())),
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.rename(final)
    log(f"Tệp: {len(files)} tệp, {sum(f['size'] for f in files)} byte.")
    return Report(path=final, manifest=manifest)


def _pg_tool(name: str) -> str:
    bindir = getattr(settings, "CCHC_PG_BINDIR", "")
    path = str(Path(bindir) / name) if bindir else shutil.which(name)
    if not path or not Path(path).exists():
        raise BackupError(
            f"Không tìm thấy chương trình {name} của PostgreSQL: cài gói postgresql-client cùng "
            f"phiên bản với máy chủ, hoặc đặt CCHC_PG_BINDIR."
        )
    return path


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database (keeps the password off the command line)."""
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGDATABASE": db["NAME"],
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
    }
    options = db.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("service", "PGSERVICE"),
    ):
        values[variable] = options.get(option)
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, check=False, **kwargs)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} thất bại: {result.stderr.decode(errors='replace').strip()}")
    return result


def _count_rows(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 # nosec B608
        counts[table] = cursor.fetchone()[0]
    return counts


def _dump_postgresql(target: Path) -> dict[str, int]:
    pg_dump = _pg_tool("pg_dump")
    if connection.in_atomic_block:
        raise BackupError("Không sao lưu được bên trong một giao dịch đang mở.")
    # One snapshot for the row counts and the dump: what the manifest says is what the dump holds,
    # even while users keep working.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _count_rows(cursor, connection.introspection.table_names(cursor))
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
    return tables


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def _dump_sqlite(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        tables = _sqlite_tables(copy)
        counts = {t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608 # nosec B608
    finally:
        copy.close()
    return counts


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def storage_files(storage=None, prefix: str = "") -> Iterator[str]:
    """Every file name in a storage, walking its folders (local disk and S3 alike)."""
    storage = storage or default_storage
    try:
        dirs, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield prefix + name
    for name in sorted(dirs):
        yield from storage_files(storage, f"{prefix}{name}/")


class _HashingReader:
    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fileobj.read(size)
        self.hash.update(data)
        return data


def _add_media(tar: tarfile.TarFile, log: Log) -> list[dict]:
    files = []
    for name in storage_files():
        info = tarfile.TarInfo(MEDIA_DIR + name)
        info.size, info.mode = default_storage.size(name), 0o600
        with default_storage.open(name, "rb") as fh:
            reader = _HashingReader(fh)
            tar.addfile(info, reader)
        files.append({"name": name, "size": info.size, "sha256": reader.hash.hexdigest()})
    return files


def prune_backups(out_dir: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest complete backups in ``out_dir``."""
    backups = sorted(Path(out_dir).glob(BACKUP_GLOB))
    old = backups[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


# --- Reading and verifying ---------------------------------------------------------------------------


def _sha256_path(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_stream(fh) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fh.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("Tệp không phải bản sao lưu cchc (thiếu manifest.json).")
    manifest = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Định dạng bản sao lưu {manifest.get('format')!r} không được hỗ trợ (cần {FORMAT}).")
    for entry in manifest["files"]:
        if not _safe_name(entry["name"]):
            raise BackupError(f"Tên tệp không hợp lệ trong bản sao lưu: {entry['name']!r}")
    return manifest


def verify_archive(path: Path, *, log: Log = _quiet) -> Report:
    """Check every checksum inside a backup without touching the database or the files."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không có tệp {path}.")
    try:
        with tarfile.open(path, "r:") as tar:
            manifest = read_manifest(tar)
            report = Report(path=path, manifest=manifest)
            members = {m.name: m for m in tar.getmembers()}
            db = manifest["database"]
            expected = [(db["file"], db["sha256"], db["size"])]
            expected += [(MEDIA_DIR + f["name"], f["sha256"], f["size"]) for f in manifest["files"]]
            for name, sha, size in expected:
                member = members.get(name)
                if member is None or not member.isfile():
                    report.problems.append(f"thiếu {name}")
                    continue
                if member.size != size:
                    report.problems.append(f"{name}: kích thước {member.size} khác {size}")
                    continue
                if _sha256_stream(tar.extractfile(member)) != sha:
                    report.problems.append(f"{name}: sai mã băm sha256")
    except tarfile.TarError as err:
        raise BackupError(f"Tệp sao lưu hỏng: {err}") from err
    log(f"Kiểm tra bản sao lưu: {len(expected)} mục, {len(report.problems)} lỗi.")
    return report


def verify_live(manifest: dict, *, include_files: bool = True) -> list[str]:
    """Compare the running database and storage with a manifest: every table's rows, every file's sha256."""
    problems = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        live = _count_rows(cursor, tables)
    expected = manifest["tables"]
    for table, count in expected.items():
        if table not in live:
            problems.append(f"bảng {table}: không có")
        elif live[table] != count:
            problems.append(f"bảng {table}: {live[table]} dòng, bản sao lưu có {count}")
    for table in sorted(set(live) - set(expected)):
        problems.append(f"bảng {table}: có thêm, không có trong bản sao lưu")
    if include_files:
        # A file the backup does not know (added after it) belongs to no restored row: a difference.
        listed = {entry["name"] for entry in manifest["files"]}
        for name in storage_files():
            if name not in listed:
                problems.append(f"tệp {name}: có thêm, không có trong bản sao lưu")
        for entry in manifest["files"]:
            name = entry["name"]
            if not default_storage.exists(name):
                problems.append(f"tệp {name}: không có")
                continue
            with default_storage.open(name, "rb") as fh:
                if _sha256_stream(fh) != entry["sha256"]:
                    problems.append(f"tệp {name}: sai mã băm sha256")
    return problems


# --- Restoring ------------------------------------------------------------------------------------------


def restore_backup(path: Path, *, log: Log = _quiet) -> Report:
    """Replace the database and restore the files of a backup, then verify both against its manifest."""
    checked = verify_archive(path, log=log)
    if not checked.ok:
        raise BackupError("Bản sao lưu bị hỏng, không khôi phục: " + "; ".join(checked.problems))
    manifest = checked.manifest
    engine = manifest["database"]["engine"]
    if engine != connection.vendor:
        raise BackupError(f"Bản sao lưu của {engine} không khôi phục được vào {connection.vendor}.")
    if connection.in_atomic_block:
        raise BackupError("Không khôi phục được bên trong một giao dịch đang mở.")
    with tempfile.TemporaryDirectory(prefix="cchc-restore-") as tmp, tarfile.open(path, "r:") as tar:
        db_file = Path(tmp) / manifest["database"]["file"]
        with tar.extractfile(manifest["database"]["file"]) as src, open(db_file, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        if engine == "postgresql":
            _restore_postgresql(db_file)
        else:
            _restore_sqlite(db_file)
        log(f"Đã khôi phục cơ sở dữ liệu ({len(manifest['tables'])} bảng).")
        restored = _restore_media(tar, manifest["files"])
        log(f"Đã khôi phục {restored} tệp ({len(manifest['files']) - restored} tệp đã có sẵn, giống hệt).")
        removed = _remove_unlisted_media(manifest["files"])
        if removed:
            log(f"Đã xoá {removed} tệp thêm vào sau bản sao lưu (không còn dòng dữ liệu nào trỏ tới).")
    figcache.bump()  # every figure kept in the cache counted the rows just replaced
    report = Report(path=Path(path), manifest=manifest, problems=verify_live(manifest))
    log(
        f"Đối chiếu sau khôi phục: {len(manifest['tables'])} bảng, {len(manifest['files'])} tệp, "
        f"{len(report.problems)} sai lệch."
    )
    return report


def _restore_postgresql(dump: Path) -> None:
    """Drop the schema and load the dump in one transaction: on any error nothing has changed."""
    pg_restore, psql = _pg_tool("pg_restore"), _pg_tool("psql")
    connection.close()  # our own connection must not hold locks on tables about to be dropped
    # pg_restore never creates the public schema ("initdb creates it"): recreate it as initdb does.
    prologue = (
        b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\nGRANT USAGE ON SCHEMA public TO PUBLIC;\n"
    )
    with tempfile.TemporaryFile() as errors:
        script = subprocess.Popen(  # noqa: S603
            [pg_restore, "--no-owner", "--no-acl", "--file=-", str(dump)],
            env=_pg_env(),
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        loader = subprocess.Popen(  # noqa: S603
            [psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1", "--output=/dev/null"],
            env=_pg_env(),
            stdin=subprocess.PIPE,
            stderr=errors,
        )
        try:
            loader.stdin.write(prologue)
            shutil.copyfileobj(script.stdout, loader.stdin, CHUNK)
        except BrokenPipeError:
            pass  # psql stopped on an error; its exit code says so below
        script.stdout.close()
        if script.wait() != 0:
            # psql commits what it read when its input ends: kill it first, so the transaction (and the
            # DROP SCHEMA at its start) is rolled back.
            loader.kill()
            loader.wait()
        else:
            try:
                loader.stdin.close()
            except BrokenPipeError:
                pass
        if script.returncode or loader.wait():
            errors.seek(0)
            raise BackupError(
                "Khôi phục PostgreSQL thất bại, cơ sở dữ liệu không bị thay đổi: "
                + errors.read().decode(errors="replace").strip()[-2000:]
            )


def _restore_sqlite(copy_path: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(copy_path)
    try:
        source.execute("PRAGMA schema_version").fetchone()  # fails on a file that is not a database
        source.backup(connection.connection)
    except sqlite3.DatabaseError as err:
        raise BackupError(f"Khôi phục SQLite thất bại, cơ sở dữ liệu không bị thay đổi: {err}") from err
    finally:
        source.close()


def _restore_media(tar: tarfile.TarFile, files: list[dict]) -> int:
    restored = 0
    for entry in files:
        name = entry["name"]
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as fh:
                if _sha256_stream(fh) == entry["sha256"]:
                    continue
            default_storage.delete(name)
        with tar.extractfile(MEDIA_DIR + name) as src:
            content = File(src, name=PurePosixPath(name).name)
            content.size = entry["size"]  # a tar member has no size of its own to find
            saved = default_storage.save(name, content)
        if saved != name:
            raise BackupError(f"Kho lưu đã đổi tên tệp {name} thành {saved}.")
        restored += 1
    return restored


def _remove_unlisted_media(files: list[dict]) -> int:
    """Files added after the backup: the restored database knows nothing of them, and they may hold personal
    data (a citizen's attachment); the store goes back to what the backup holds."""
    listed = {entry["name"] for entry in files}
    removed = 0
    for name in list(storage_files()):
        if name not in listed:
            default_storage.delete(name)
            removed += 1
    return removed


def describe(manifest: dict) -> str:
    created = dt.datetime.fromisoformat(manifest["created_at"])
    return (
        f"{timezone.localtime(created):%d/%m/%Y %H:%M} · {manifest['database']['engine']} · "
        f"{len(manifest['tables'])} bảng, {sum(manifest['tables'].values())} dòng · "
        f"{len(manifest['files'])} tệp"
    )
