#!/usr/bin/env bash
# Regenerate requirements.lock: the exact versions of cchc's runtime dependencies (pyproject.toml
# "dependencies", not the test tools), resolved in a clean virtualenv. Run `make lock` after changing
# dependencies or to take security fixes, review the diff, commit it. pip-audit checks this file in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --upgrade pip
"$tmp/venv/bin/pip" install --quiet .
{
  echo "# Exact runtime dependencies of cchc, resolved by .ci/lock.sh ('make lock') on $(date -u +%Y-%m-%d)."
  echo "# Install a server with: pip install -r requirements.lock && pip install --no-deps ."
  "$tmp/venv/bin/pip" freeze --exclude cchc --exclude pip --exclude setuptools --exclude wheel | LC_ALL=C sort -f
} > requirements.lock
echo "requirements.lock: $(grep -vc '^#' requirements.lock) packages"
