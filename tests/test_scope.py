"""`leery check --since REV`: only lines changed since the merge base, new files included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clihelp import leery
from gitrepo import commit, git, make_repo, write

CONFIG = 'select = ["F"]\n'
OLD = '''\
import os


def old(path):
    stale = 1
    return path
'''


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main has an old finding; a feature branch adds code; then main moves on without it."""
    repo = make_repo(tmp_path / "repo", {"old.py": OLD, "leery.toml": CONFIG})
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, "old.py", OLD + "\n\ndef added():\n    fresh = 2\n    return 1\n")
    commit(repo, "feature work")
    git(repo, "checkout", "-q", "main")
    # main moves on after the branch point: a diff against main itself would call these lines
    # (which the branch still has in their old form) changed; the merge base does not.
    write(repo, "old.py", OLD.replace("import os", "import os.path").replace("stale = 1", "stale = 11"))
    write(repo, "main_only.py", "import sys\n")
    commit(repo, "main moves on")
    git(repo, "checkout", "-q", "feature")
    return repo


def since(repo: Path, rev: str = "main", *extra: str) -> list[tuple[str, str, int]]:
    result = leery("check", "--since", rev, "--format", "json", *extra, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return [(d["path"], d["code"], d["line"]) for d in json.loads(result.stdout)]


def test_only_changes_since_the_merge_base(repo):
    full = leery("check", "--format", "json", cwd=repo)
    assert {(d["path"], d["line"]) for d in json.loads(full.stdout)} == {("old.py", 1), ("old.py", 5), ("old.py", 10)}
    # The merge base with main is the branch point: main's later commit is not "changed" here.
    assert since(repo) == [("old.py", "F841", 10)]


def test_uncommitted_edits_and_untracked_files_count(repo):
    text = (repo / "old.py").read_text().replace("    stale = 1\n", "    stale = 1\n    also = 3\n")
    write(repo, "old.py", text)
    write(repo, "pkg/new_module.py", "import json\n\n\ndef f():\n    return 1\n")  # untracked
    write(repo, "staged.py", "import re\n")
    git(repo, "add", "staged.py")
    assert since(repo) == [
        ("old.py", "F841", 6),
        ("old.py", "F841", 11),
        ("pkg/new_module.py", "F401", 1),
        ("staged.py", "F401", 1),
    ]


def test_exit_code_follows_the_scope(repo):
    git(repo, "checkout", "-q", "main")
    result = leery("check", "--since", "main", cwd=repo)
    assert result.returncode == 0, result.stdout  # old findings exist, none on changed lines
    assert "All checks passed" in result.stdout


def test_unknown_revision_and_not_a_repository(repo, tmp_path):
    bad = leery("check", "--since", "no-such-branch", cwd=repo)
    assert bad.returncode == 2 and "unknown revision 'no-such-branch'" in bad.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("import os\n")
    outside = leery("check", "--since", "main", cwd=plain)
    assert outside.returncode == 2 and "not in a git repository" in outside.stderr
    assert "Traceback" not in bad.stderr + outside.stderr


def test_fix_with_since_is_refused(repo):
    result = leery("check", "--since", "main", "--fix", cwd=repo)
    assert result.returncode == 2 and "--fix cannot be combined with --since" in result.stderr


def test_scope_changed_setting_uses_the_default_branch_merge_base(repo):
    """`[scope] changed = true` (what the editor's `"leery.scope": "changed"` sets): the merge base
    with the default branch (main here), per file, without --since."""
    (repo / "leery.toml").write_text(CONFIG + "[scope]\nchanged = true\n", encoding="utf-8")
    result = leery("check", "--format", "json", cwd=repo)
    assert [(d["path"], d["code"], d["line"]) for d in json.loads(result.stdout)] == [("old.py", "F841", 10)]
    (repo / "leery.toml").write_text(CONFIG + '[scope]\nchanged = true\nbase = "HEAD"\n', encoding="utf-8")
    result = leery("check", "--format", "json", cwd=repo)
    assert json.loads(result.stdout) == []  # nothing changed since HEAD itself


def test_file_names_git_quotes(repo):
    names = ["dir with space/a b.py", 'q"uote.py', "é.py"]
    for name in names:
        write(repo, name, "x = 1\n")
    commit(repo, "odd names")
    git(repo, "branch", "-f", "base")
    for name in names:
        write(repo, name, "x = 1\nimport os\n")
    assert sorted(since(repo, "base")) == sorted((name, "F401", 2) for name in names)
