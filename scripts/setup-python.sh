#!/usr/bin/env bash
# Creates .venv with leery (editable) and its pinned test dependencies. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.leery-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements-dev.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  touch "$stamp"
fi
# Byte-compile leery's own modules (an editable install is not compiled, and PYTHONDONTWRITEBYTECODE
# keeps Python from doing it): every start of `leery` imports ~100 modules (~150 ms saved a start).
.venv/bin/python -m compileall -q server/leery >/dev/null
