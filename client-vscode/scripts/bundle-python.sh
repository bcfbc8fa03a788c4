#!/usr/bin/env bash
# Builds bundled/libs: the leery server (../server/leery) and its pure-Python dependencies, which the
# extension runs with PYTHONPATH=bundled/libs (leery.importStrategy = useBundled). Works on Python 3.11+
# (pyflakes 4.1 and stevedore 5.10 need it).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(cd .. && pwd)
PYTHON="${PYTHON:-$repo/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
libs=bundled/libs
stamp=bundled/.stamp
# pip warns about this machine's missing local indexes; keep real errors only.
quiet() { "$@" 2> >(grep -v "is ignored: it is neither" >&2); }
pip=(quiet "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --no-compile --target "$libs")

if [ ! -f "$stamp" ] || [ requirements-bundle.txt -nt "$stamp" ]; then
  rm -rf bundled
  # Only universal wheels (py3-none-any), so the bundle is the same on every OS and Python 3.11+.
  "${pip[@]}" --only-binary :all: --platform any --implementation py --python-version 3.11 -r requirements-bundle.txt
  # PyYAML (bandit's) has no universal wheel: take a binary one and drop its optional C speed-up;
  # yaml/__init__.py falls back to the pure-Python loader when _yaml is missing.
  pyyaml=$(grep -i '^PyYAML==' "$repo/requirements-dev.txt")
  "${pip[@]}" --only-binary :all: --platform manylinux2014_x86_64 --python-version 3.11 "$pyyaml"
  find "$libs" \( -name '*.so' -o -name '*.pyd' -o -name '*.dylib' \) -delete
  rm -rf "$libs/bin" "$libs/share"
  touch "$stamp"
fi

# The server itself: copied fresh on every build, without caches.
rm -rf "$libs/leery"
cp -r "$repo/server/leery" "$libs/leery"
find "$libs/leery" -name '__pycache__' -type d -prune -exec rm -rf {} +

# Smoke test: the bundle alone (no site-packages: -S) imports the server's stack.
PYTHONPATH="$libs" "$PYTHON" -S -c "import leery, pygls, lsprotocol, pyflakes, bandit, jedi, yaml; print('bundle ok: leery', leery.__version__)"
