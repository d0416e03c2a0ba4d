#!/usr/bin/env bash
# Create .venv and install Solarscan with pinned dependencies (and the test tools with --test).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
stamp=".venv/.installed$extras-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -m pip install --quiet -e ".$extras" 2>&1 | grep -v "^WARNING: Location" || true
  # fail loudly if the install did not complete (cvxpy: the test tools' reference LP)
  .venv/bin/python -c "import django, pvlib, highspy"
  [ -z "$extras" ] || .venv/bin/python -c "import cvxpy, pytest"
  touch "$stamp"
fi
