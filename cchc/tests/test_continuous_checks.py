"""Issue 9, property 7: the CI security checks exist, run, and catch what they are for."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _git_repo(path: Path, files: dict[str, str]) -> Path:
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=path, check=True)
    return path


def _scan(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "secrets_scan.py"), "--root", str(repo)],
        capture_output=True,
        text=True,
        check=False,
    )


class TestSecretsScan:
    def test_it_fails_on_a_committed_key(self, tmp_path):
        repo = _git_repo(
            tmp_path,
            {
                "settings.py": 'AWS_SECRET = "AKIAIOSFODNN7EXAMPLE"\n'  # pragma: allowlist secret
                "-----BEGIN RSA PRIVATE KEY-----\n"  # pragma: allowlist secret
            },
        )  # pragma: allowlist secret
        result = _scan(repo)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "settings.py:1" in result.stdout

    def test_it_passes_clean_code_and_allowlisted_lines(self, tmp_path):
        repo = _git_repo(
            tmp_path,
            {
                "ok.py": 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n'
                'EXAMPLE = "postgres://u:p@h/db"  # pragma: allowlist secret\n',  # pragma: allowlist secret
            },
        )
        result = _scan(repo)
        assert result.returncode == 0, result.stdout + result.stderr


class TestCiRunsTheChecks:
    def test_ci_runs_bandit_pip_audit_and_the_secrets_scan(self):
        """The checks themselves run in CI before the suite (and with ``make audit``), not again inside it:
        bandit over the tree took 14 s of each of the two runs of ``make test``."""
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        assert re.search(r"bandit .*-r cchc .*-ll", ci)
        assert ".ci/secrets_scan.py" in ci
        assert ".ci/pip_audit.py requirements.lock" in ci
        assert "check --deploy --fail-level WARNING" in ci

    def test_the_lock_file_pins_exact_versions_of_every_runtime_dependency(self):
        lines = [
            line
            for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ]
        assert lines and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.+!-]+", line) for line in lines), lines
        pinned = {re.split(r"==", line)[0].lower().replace("_", "-") for line in lines}
        for needed in ("django", "django-otp", "django-csp", "django-axes", "argon2-cffi"):
            assert needed in pinned

    def test_security_md_says_how_to_report_and_what_is_supported(self):
        text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
        assert "Supported versions" in text and "Reporting a vulnerability" in text


def _pip_audit_judge():
    import importlib.util

    spec = importlib.util.spec_from_file_location("ci_pip_audit", ROOT / ".ci" / "pip_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.judge


class TestPipAuditWrapper:
    def test_a_known_vulnerability_fails(self):
        code, message = _pip_audit_judge()(
            {
                "dependencies": [
                    {
                        "name": "django",
                        "version": "5.2.0",
                        "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}],
                    },
                    {"name": "six", "version": "1.17.0", "vulns": []},
                ]
            }
        )
        assert code == 1 and "PYSEC-2025-1" in message and "5.2.1" in message

    def test_an_unreachable_service_warns_and_passes(self):
        code, message = _pip_audit_judge()(
            {
                "dependencies": [
                    {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"}
                ]
            }
        )
        assert code == 0 and message.startswith("WARNING") and "NOT" not in message.split(":")[0]
        code, message = _pip_audit_judge()(None)
        assert code == 0 and "NOT audited" in message

    def test_all_clean_passes(self):
        code, message = _pip_audit_judge()({"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]})
        assert code == 0 and "no known vulnerability" in message
