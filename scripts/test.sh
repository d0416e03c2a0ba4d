#!/usr/bin/env bash
# README command 2: set up and run the whole test suite (lint, architecture contracts, pytest).
# Embedded defaults unless DATABASE_URL / DRAMATIQ_BROKER_URL are set (.ci/run sets them for PostgreSQL + Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
