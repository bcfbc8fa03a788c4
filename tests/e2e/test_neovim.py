"""End to end in a real Neovim (Debian's 0.7, headless): the docs/editors.md snippet as the user's
config, a sample opened, its diagnostics read, hover, the quick fix applied, the file saved and
the finding gone. tests/e2e/neovim/driver.lua does the editing and writes what it saw as JSON."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().parent / "neovim" / "driver.lua"
SAMPLE = ROOT / "samples" / "errors" / "LY101_swallowed_exception.py"

pytestmark = pytest.mark.e2e


def nvim() -> str:
    """Neovim, installed by scripts/setup-e2e-neovim.sh when missing (it is not optional)."""
    found = shutil.which("nvim")
    if found is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "setup-e2e-neovim.sh")], check=True)
        found = shutil.which("nvim")
    assert found, "scripts/setup-e2e-neovim.sh did not install nvim"
    return found


def docs_snippet() -> str:
    """The Neovim 0.7 snippet exactly as docs/editors.md shows it."""
    text = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- snippet: neovim-0.7 .*?-->\s*```lua\n(.*?)```", text, re.S)
    assert match, "docs/editors.md lost its Neovim 0.7 snippet"
    return match.group(1)


def test_neovim_quick_fix_makes_the_finding_go(tmp_path):
    binary = nvim()
    project = tmp_path / "project"
    project.mkdir()
    target = project / "swallowed.py"
    shutil.copy(SAMPLE, target)
    init = tmp_path / "init.lua"
    init.write_text(docs_snippet(), encoding="utf-8")
    out = tmp_path / "observations.json"
    bin_dir = Path(sys.executable).parent  # where `leery` is installed next to this Python
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT / "server"),
        "LEERY_E2E_OUT": str(out),
        "LEERY_E2E_CODE": "LY101",
        "XDG_STATE_HOME": str(tmp_path / "state"),  # Neovim's LSP log goes here, not to ~
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    assert shutil.which("leery", path=env["PATH"]), "the snippet runs `leery serve`: leery must be on PATH"
    proc = subprocess.run(
        [binary, "--headless", "--clean", "-u", str(init), "-c", f"luafile {DRIVER}", str(target)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.is_file(), f"the driver wrote nothing (exit {proc.returncode}): {proc.stderr[-2000:]}"
    seen = json.loads(out.read_text(encoding="utf-8"))
    assert seen.get("ok") is True, f"{seen.get('error')} after steps {seen.get('steps')}; stderr: {proc.stderr[-2000:]}"
    assert proc.returncode == 0
    assert seen["client"]["name"] == "leery"

    before = [d for d in seen["initial"] if d["code"] == "LY101"]
    expected_lines = [n for n, line in enumerate(SAMPLE.read_text(encoding="utf-8").splitlines()) if re.search(r"# expect: .*LY101", line)]
    assert [d["line"] for d in before] == expected_lines
    assert all(d["source"] == "leery" for d in before)
    assert before[0]["href"].endswith("LY101.md")

    assert seen["hover"].startswith("**leery LY101**") and "#### Why it matters" in seen["hover"]
    assert "Confidence: **" in seen["hover"]
    titles = seen["actions"]
    assert "leery (LY101): Re-raise the exception (unsafe)" in titles
    assert "Suppress LY101 on this line…" in titles and "Explain LY101" in titles

    after = [d["line"] for d in seen["after_fix"] if d["code"] == "LY101"]
    assert after == expected_lines[1:]
    assert [d["line"] for d in seen["after_save"] if d["code"] == "LY101"] == expected_lines[1:]
    saved = target.read_text(encoding="utf-8")
    assert saved.rstrip("\n") == seen["saved"].rstrip("\n")
    original = SAMPLE.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(original, saved.splitlines()) if a != b]
    assert len(changed) == 1 and changed[0][1].strip() == "raise", changed
