#!/usr/bin/env bash
# README command 2: set up and run the whole test suite (lint, architecture contracts, pytest).
# Embedded defaults unless DATABASE_URL / DRAMATIQ_BROKER_URL are set (.ci/run sets them for PostgreSQL + Redis).
# The unit and API tests run on both cores (pytest-xdist); the tests that start worker processes on the shared
# Redis broker or drive the browser run after them in one process, so they never compete for one queue.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports

run_pytest() {  # pytest's exit code 5 ("no tests collected") is not a failure when a selection is empty
  local rc=0
  .venv/bin/python -m pytest "$@" || rc=$?
  [ "$rc" -eq 0 ] || [ "$rc" -eq 5 ]
}
run_pytest -n 2 -m "not redis and not e2e" "$@"
run_pytest -m "redis or e2e" "$@"
