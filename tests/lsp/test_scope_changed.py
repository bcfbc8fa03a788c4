"""The server setting `"leery.scope": "changed"`: only lines changed since the branch's merge base
with the default branch, unsaved edits included."""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")

OLD = "import os\n\n\ndef old():\n    stale = 1\n    return 2\n"


def git(root, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


async def test_changed_scope_reports_only_new_lines_of_the_buffer(launch, client_name, tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.name", "Ada Lovelace")
    git(tmp_path, "config", "user.email", "ada@example.com")
    (tmp_path / "leery.toml").write_text('select = ["F"]\n', encoding="utf-8")
    (tmp_path / "old.py").write_text(OLD, encoding="utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "old code")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    editor = await launch(client_name, init_options={"scope": "changed"})
    uri = editor.open("old.py")
    assert await editor.diagnostics(uri) == []  # the old findings are not this branch's
    editor.replace(uri, OLD + "\n\ndef new():\n    fresh = 3\n    return 4\n")  # unsaved
    assert [(d.code, d.range.start.line) for d in await editor.diagnostics(uri)] == [("F841", 9)]
    plain = await launch(client_name)
    uri2 = plain.open("old.py")
    assert sorted(d.code for d in await plain.diagnostics(uri2)) == ["F401", "F841"]
