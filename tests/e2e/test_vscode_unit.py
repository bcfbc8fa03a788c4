"""The VS Code extension's unit tests (node's test runner, stubbed `vscode`) and its package."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client-vscode"


def node() -> str:
    env_file = CLIENT / ".e2e-env.json"
    if env_file.exists():
        return json.loads(env_file.read_text())["node"]
    found = shutil.which("node")
    if not found:
        pytest.fail("no node: run `bash scripts/setup-e2e-vscode.sh`")
    return found


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_unit_tests_pass():
    if not (CLIENT / "node_modules").exists():
        pytest.fail("client-vscode/node_modules is missing: run `bash scripts/setup-e2e-vscode.sh`")
    bin_dir = str(Path(node()).parent)
    proc = subprocess.run(
        ["npm", "test"], cwd=CLIENT, capture_output=True, text=True, timeout=300,
        env={**__import__("os").environ, "PATH": f"{bin_dir}:{__import__('os').environ['PATH']}",
             "LEERY_TEST_PYTHON": "python3"},
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert re.search(r"^# pass [1-9]\d*$", proc.stdout, re.M) and re.search(r"^# fail 0$", proc.stdout, re.M)


def test_bundle_pins_match_the_repository():
    bundle = pins(CLIENT / "requirements-bundle.txt")
    repo = pins(ROOT / "requirements-dev.txt")
    assert bundle, "empty bundle list"
    for name, version in bundle.items():
        assert repo.get(name) == version, f"{name}: bundle {version}, requirements-dev.txt {repo.get(name)}"


def test_vsix_holds_the_server_and_no_native_code():
    version = json.loads((CLIENT / "package.json").read_text())["version"]
    path = CLIENT / f"leery-{version}.vsix"
    if not path.exists():
        pytest.fail(f"{path.name} is not built: run `bash scripts/setup-e2e-vscode.sh`")
    names = zipfile.ZipFile(path).namelist()
    for needed in ("extension/dist/extension.js", "extension/bundled/libs/leery/__main__.py",
                   "extension/bundled/libs/leery/lsp/server.py", "extension/bundled/libs/pygls/__init__.py",
                   "extension/bundled/libs/yaml/__init__.py", "extension/readme.md", "extension/icon.png",
                   "extension/LICENSE.txt", "extension/changelog.md"):
        assert needed in names, needed
    assert not [n for n in names if n.endswith((".so", ".pyd", ".dylib"))]
    assert not [n for n in names if "/node_modules/" in n or "__pycache__" in n or n.startswith("extension/src/")]
    manifest = json.loads(zipfile.ZipFile(path).read("extension/package.json"))
    assert manifest["capabilities"]["untrustedWorkspaces"]["restrictedConfigurations"] == [
        "leery.interpreter", "leery.path", "leery.importStrategy"]
