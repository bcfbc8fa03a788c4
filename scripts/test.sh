#!/usr/bin/env bash
# Sets up everything (Python packages, editors for the end-to-end tests) and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
for setup in scripts/setup-e2e-*.sh; do
  [ -e "$setup" ] || continue
  echo "== $setup"
  bash "$setup"
done
exec .venv/bin/python -m pytest "$@"
