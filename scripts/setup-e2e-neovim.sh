#!/usr/bin/env bash
# Installs Debian's neovim (0.7 on Debian 12) for the end-to-end test tests/e2e/test_neovim.py.
# Idempotent: does nothing when nvim is already on PATH.
set -euo pipefail
if command -v nvim >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq neovim >/dev/null
nvim --version | head -1
