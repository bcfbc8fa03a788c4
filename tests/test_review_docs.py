"""Every `leery ...` command in the `sh` blocks of docs/ci.md and docs/review.md runs: in a scratch
git repository it is never a usage error and never crashes (findings and refusals are fine)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from clihelp import leery
from gitrepo import commit, git, make_repo, write

DOCS = Path(__file__).resolve().parent.parent / "docs"


def commands(name: str) -> list[list[str]]:
    text = (DOCS / name).read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["leery"]:
                found.append(words[1:])
    return found


ALL = [(name, args) for name in ("ci.md", "review.md") for args in commands(name)]


def test_the_docs_have_commands():
    assert len(commands("ci.md")) >= 6 and len(commands("review.md")) >= 9


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("docs") / "repo", {"app/db.py": "import os\n", "leery.toml": 'select = ["F"]\n'})
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, "app/new.py", "import sys\n")
    commit(repo, "feature")
    git(repo, "update-ref", "refs/remotes/origin/main", "main")  # what a clone has
    return repo


@pytest.mark.parametrize("name,args", ALL, ids=[f"{n}:{' '.join(a)[:40]}" for n, a in ALL])
def test_documented_command_runs(scratch, name, args):
    result = leery(*args, cwd=scratch)
    assert "usage:" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1, 2)
    if result.returncode == 2:  # a refusal names what is wrong, e.g. no such finding at app/db.py:42
        assert result.stderr.strip().startswith("leery"), result.stderr
