#!/usr/bin/env bash
# README command 1: set up and run Solarscan on its embedded defaults
# (SQLite under ./data, in-process Dramatiq worker, offline weather, demo data) at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo
echo "Portal: http://127.0.0.1:8000/   API docs: http://127.0.0.1:8000/v1/docs   Admin: http://127.0.0.1:8000/admin/"
exec .venv/bin/python manage.py runserver "${SOLARSCAN_ADDR:-127.0.0.1:8000}"
