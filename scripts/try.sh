#!/usr/bin/env bash
# Sets up .venv and runs leery's main job on samples/: every finding, printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
# The samples are risky on purpose, so findings (exit code 1) are the expected outcome here.
.venv/bin/leery check samples/ --statistics "$@" || [ $? -eq 1 ]
