#!/usr/bin/env bash
# Two app servers behind nginx with one PostgreSQL, one Redis and one S3 store (see bench/two_servers.py).
# Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres deploy/two-servers-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/two_servers.py "$@"
