"""Legacy word-processor files (.doc, .odt, .rtf) → .docx, by LibreOffice headless.

LibreOffice runs as a separate process in a temporary folder of its own (its own user profile, its own
HOME, no network use, input and output inside that folder), under a time limit; the whole process group
is killed when the limit is reached, so a file that makes LibreOffice hang cannot hold a request. The
folder is removed afterwards whatever happened.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .errors import PlanImportError

TIME_LIMIT = 60  # seconds; a real plan converts in 2-5 s on a small server
MAX_OUTPUT_BYTES = 50 * 1024 * 1024


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, kind: str, time_limit: float = TIME_LIMIT) -> bytes:
    """The .docx bytes of a .doc/.odt/.rtf document; PlanImportError when it cannot be converted."""
    program = soffice()
    if program is None:
        raise PlanImportError.of("no_libreoffice")
    with tempfile.TemporaryDirectory(prefix="cchc-convert-") as folder:
        work = Path(folder)
        source = work / f"plan.{kind}"
        source.write_bytes(data)
        (work / "out").mkdir()
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        env = {"HOME": str(work), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        _run(command, env, work, time_limit)
        result = work / "out" / "plan.docx"
        if not result.exists() or not 0 < result.stat().st_size <= MAX_OUTPUT_BYTES:
            raise PlanImportError.of("legacy_doc" if kind == "doc" else "corrupt")
        return result.read_bytes()


def _run(command: list[str], env: dict, cwd: Path, time_limit: float) -> None:
    # A new session: on timeout the whole group (soffice.bin and its helpers) is killed, not only the
    # wrapper script.
    process = subprocess.Popen(  # noqa: S603 - fixed program and arguments, no shell
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise PlanImportError.of("conversion_timeout") from None
    finally:
        if process.poll() is None:
            _kill_group(process)


def _kill_group(process: subprocess.Popen, settle: float = 2.0) -> None:
    """SIGKILL to the whole group, then wait until none of it is left running: the signal is delivered
    asynchronously, and soffice.bin, a grandchild, is not ours to wait for (up to ``settle`` seconds)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    deadline = time.monotonic() + settle
    while _group_running(process.pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _group_running(group: int) -> bool:
    """A process of this group is still alive (not a zombie); False where there is no /proc to look in."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses, so split after the last ")"
            state, _ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue  # ended while we looked
        if int(pgrp) == group and state not in {"Z", "X"}:
            return True
    return False
