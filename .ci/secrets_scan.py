"""Secrets scan for CI: detect-secrets over every tracked file, against an audited baseline.

``detect-secrets-hook`` fails whenever a known finding moves to another line, which in a busy repository
means every other commit. This compares findings by (file, secret hash, type) instead, ignoring line
numbers, and fails only on findings that are not in ``.secrets.baseline``.

A finding that is not a secret (a test password, an example URL): mark its line with
``# pragma: allowlist secret``, or after review add it to the baseline with
``.venv/bin/detect-secrets scan $(git ls-files) > .secrets.baseline``. A real secret: remove it from the
code and the history, rotate it, and read it from the environment (cchc.lib.env) instead.

    python .ci/secrets_scan.py [--root DIR] [--baseline FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path


def tracked_files(root: Path, baseline: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout  # noqa: S607
    names = [n for n in out.decode("utf-8").split("\0") if n]
    return [n for n in names if (root / n).is_file() and (root / n).resolve() != baseline.resolve()]


def findings(results: dict) -> set[tuple[str, str, str]]:
    return {(name, r["hashed_secret"], r["type"]) for name, items in results.items() for r in items}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=".")
    parser.add_argument("--baseline", default=".secrets.baseline")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    baseline = root / args.baseline
    tool = shutil.which("detect-secrets") or str(Path(sys.executable).parent / "detect-secrets")
    files = tracked_files(root, baseline)
    scan = subprocess.run([tool, "scan", *files], cwd=root, capture_output=True, text=True, check=False)
    if scan.returncode != 0:
        print(scan.stderr, file=sys.stderr)
        return 2
    found = json.loads(scan.stdout)["results"]
    known = findings(json.loads(baseline.read_text(encoding="utf-8"))["results"]) if baseline.exists() else set()
    new = []
    for name, items in sorted(found.items()):
        for item in items:
            if (name, item["hashed_secret"], item["type"]) not in known:
                new.append(f"{name}:{item['line_number']}: {item['type']}")
    if new:
        print("Possible secrets not in .secrets.baseline (see .ci/secrets_scan.py for what to do):")
        print("\n".join(f"  {line}" for line in new))
        return 1
    print(f"secrets scan: {len(files)} files, no new findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
