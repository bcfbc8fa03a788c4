"""A hostile workspace: every file that Python would run (conftest.py, setup.py, sitecustomize.py,
a package's __init__.py, modules named like the libraries leery imports) writes a marker when
run. `leery check --select ALL` and `leery serve` (every file opened, the workspace analysed)
must leave no marker. Files leery writes stay inside the workspace; a symlink leading out of it
is refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from lspclient import LspProcess, is_diagnostics_for  # noqa: E402

# Modules leery or its libraries import, some lazily: a workspace copy must never be picked up.
SHADOWS = ["pyflakes", "jedi", "parso", "yaml", "bandit", "stevedore", "typing_extensions", "tomllib", "array", "_json", "lsprotocol"]


def payload(markers: Path, rel: str) -> str:
    name = rel.replace("/", "--")  # one flat folder of markers
    return f"import os as _os\nopen(_os.path.join({str(markers)!r}, {name!r}), 'w').write('ran')\n"


def hostile_workspace(tmp_path: Path) -> tuple[Path, Path]:
    ws, markers = tmp_path / "ws", tmp_path / "markers"
    markers.mkdir()
    files = {
        "conftest.py": "import pytest\n\n\n@pytest.fixture\ndef thing():\n    return 1\n",
        "setup.py": "from setuptools import setup\n\nsetup(name='evil', version='1')\n",
        "sitecustomize.py": "",
        "usercustomize.py": "",
        "noxfile.py": "import nox\n",
        "docs/conf.py": "project = 'evil'\n",
        "pkg/__init__.py": "from pkg.mod import helper\n",
        "pkg/__main__.py": "from pkg import helper\nhelper([])\n",
        "pkg/mod.py": (
            "import os\nimport array\nimport json\n\nimport pkg\nfrom pkg import sub\n\n\n"
            "def helper(items):\n    try:\n        return array.array('i', items).tolist() + json.loads('[]')\n"
            "    except Exception:\n        pass\n\n\ndef call():\n    return pkg.helper([1]) + sub.nothing_here()\n"
        ),
        "pkg/sub/__init__.py": "VALUE = 1\n",
        "tests/test_pkg.py": "from pkg import helper\n\n\ndef test_helper():\n    helper([1])\n",
    }
    for name in SHADOWS:
        files[f"{name}.py"] = ""
    for rel, body in files.items():
        path = ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(payload(markers, rel) + body, encoding="utf-8")
    (ws / "leery.toml").write_text('select = ["ALL"]\n', encoding="utf-8")
    (ws / "evil.pth").write_text(f"import os; open({str(markers / 'evil.pth')!r}, 'w').write('ran')\n")
    return ws, markers


def user_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LEERY_STRICT", "PYTHONPATH")}
    return env


def test_leery_check_runs_no_workspace_code(tmp_path):
    ws, markers = hostile_workspace(tmp_path)
    report = tmp_path / "report.json"
    done = subprocess.run(
        [str(BIN / "leery"), "check", "--select", "ALL", "--exit-zero", "--no-progress", "--format", "json", "-o", str(report), "."],
        cwd=ws, env=user_env(), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in markers.iterdir()) == []
    findings = json.loads(report.read_text())
    flagged = {Path(f["path"]).name for f in (findings if isinstance(findings, list) else findings["findings"])}
    assert "mod.py" in flagged  # it really analysed the package (unused import, swallowed error)
    # The control: running one of these files does leave its marker.
    subprocess.run([sys.executable, "-S", "-c", (ws / "pkg" / "sub" / "__init__.py").read_text()], check=True, timeout=60)
    assert [p.name for p in markers.iterdir()] == ["pkg--sub--__init__.py"]


def test_python_m_leery_in_the_workspace_imports_nothing_from_it(tmp_path):
    """`python -m` puts the current folder first on sys.path; leery/__main__.py takes it off."""
    ws, markers = hostile_workspace(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "leery", "check", "--select", "ALL", "--exit-zero", "--no-progress", "."],
        cwd=ws, env=user_env(), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in markers.iterdir()) == []


def test_leery_serve_runs_no_workspace_code(tmp_path):
    """Started in the workspace (worse than the VS Code extension, which starts it elsewhere)."""
    ws, markers = hostile_workspace(tmp_path)
    proc = LspProcess([str(BIN / "leery"), "serve"], ws, tmp_path / "serve.stderr", env=user_env())
    try:
        _, init = proc.request("initialize", {
            "processId": os.getpid(), "rootUri": ws.as_uri(),
            "workspaceFolders": [{"uri": ws.as_uri(), "name": "ws"}],
            "capabilities": {"window": {"workDoneProgress": True}, "textDocument": {"publishDiagnostics": {"versionSupport": True}}},
            "initializationOptions": {"debounce": 0},
        }, timeout=60)
        proc.notify("initialized", {})
        for path in sorted(ws.rglob("*.py")):
            uri = path.as_uri()
            proc.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": path.read_text()}})
            proc.wait_for(is_diagnostics_for(uri, 1), timeout=120)
        commands = init.body["result"]["capabilities"].get("executeCommandProvider", {}).get("commands", [])
        if "leery.analyzeWorkspace" in commands:
            _, answer = proc.request("workspace/executeCommand", {"command": "leery.analyzeWorkspace", "arguments": []}, timeout=300)
            assert "error" not in answer.body, answer.body
            assert answer.body["result"]["files"] >= len(list(ws.rglob("*.py")))
    finally:
        proc.close()
    assert sorted(p.name for p in markers.iterdir()) == []


def outside_and_link(tmp_path: Path, ws: Path, link_dir: bool) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    if link_dir:
        (ws / ".leery").symlink_to(outside, target_is_directory=True)
    else:
        (ws / ".leery").mkdir()  # a dangling link: writing through it would create the outside file
        (ws / ".leery" / "baseline.json").symlink_to(outside / "baseline.json")
    return outside


@pytest.mark.parametrize("link_dir", [True, False], ids=["folder-link", "file-link"])
def test_writes_through_a_symlink_out_of_the_workspace_are_refused(tmp_path, link_dir):
    ws = tmp_path / "ws"
    (ws / "pkg").mkdir(parents=True)
    (ws / "leery.toml").write_text('select = ["ALL"]\n')
    (ws / "pkg" / "mod.py").write_text("import os\n\n\ndef f():\n    try:\n        return 1\n    except Exception:\n        pass\n")
    outside = outside_and_link(tmp_path, ws, link_dir)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    done = subprocess.run([str(BIN / "leery"), "baseline", "."], cwd=ws, env=user_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "outside" in done.stderr
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    # The server's index cache (under .leery/) must not follow the link either.
    proc = LspProcess([str(BIN / "leery"), "serve"], ws, tmp_path / "serve.stderr", env=user_env())
    try:
        proc.initialize(ws, {"debounce": 0})
        uri = (ws / "pkg" / "mod.py").as_uri()
        proc.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": (ws / "pkg" / "mod.py").read_text()}})
        proc.wait_for(is_diagnostics_for(uri, 1), timeout=120)
    finally:
        proc.close()
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before


def test_baseline_is_written_inside_the_workspace(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "leery.toml").write_text('select = ["ALL"]\n')
    (ws / "mod.py").write_text("import os\n")
    done = subprocess.run([str(BIN / "leery"), "baseline", "."], cwd=ws, env=user_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.name not in ("leery.toml", "mod.py")]
    assert written and all(ws in p.parents for p in written), written
