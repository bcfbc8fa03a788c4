"""The review record, as a team uses it: scenarios in a temporary git repository."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from clihelp import leery
from gitrepo import git, make_repo, write

APP = '''\
import os


def load(path):
    unused = 1
    return open(path).read()


def save(path, data):
    with open(path, "w") as handle:
        handle.write(data)
'''


# pyflakes' codes only: the scenarios must not move when leery's own rules grow.
CONFIG = 'select = ["F"]\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"app.py": APP, "leery.toml": CONFIG})


def check(repo: Path, *args: str):
    return leery("check", "--format", "json", *args, cwd=repo)


def codes_lines(result) -> list[tuple[str, int]]:
    return [(d["code"], d["line"]) for d in json.loads(result.stdout)]


def record(repo: Path) -> list[dict]:
    return tomllib.loads((repo / ".leery" / "reviews.toml").read_text(encoding="utf-8"))["review"]


def test_add_writes_entry_and_hides_the_finding(repo):
    assert codes_lines(check(repo)) == [("F401", 1), ("F841", 5)]
    added = leery("review", "add", "app.py:5", "F841", "--reason", "kept for the debugger", cwd=repo)
    assert added.returncode == 0, added.stderr
    [entry] = record(repo)
    assert entry["file"] == "app.py" and entry["code"] == "F841" and entry["scope"] == "load"
    assert entry["reviewer"] == "Ada Lovelace <ada@example.com>"
    assert entry["reason"] == "kept for the debugger" and "expires" not in entry
    assert entry["statement"] == "unused = 1" and entry["occurrence"] == 0
    assert codes_lines(check(repo)) == [("F401", 1)]


def test_add_refuses_without_reason_and_without_a_finding(repo):
    no_reason = leery("review", "add", "app.py:5", "F841", "--reason", "   ", cwd=repo)
    assert no_reason.returncode == 2 and "needs a reason" in no_reason.stderr
    missing = leery("review", "add", "app.py:5", "F841", cwd=repo)
    assert missing.returncode == 2 and "--reason" in missing.stderr
    wrong_code = leery("review", "add", "app.py:5", "F401", "--reason", "fine", cwd=repo)
    assert wrong_code.returncode == 2 and "no F401 finding at app.py:5" in wrong_code.stderr and "F841" in wrong_code.stderr
    empty_line = leery("review", "add", "app.py:3", "F841", "--reason", "fine", cwd=repo)
    assert empty_line.returncode == 2 and "no finding starts on that line" in empty_line.stderr
    past = leery("review", "add", "app.py:5", "F841", "--reason", "fine", "--expires", "2001-01-01", cwd=repo)
    assert past.returncode == 2 and "later date" in past.stderr
    assert not (repo / ".leery" / "reviews.toml").exists()


def test_review_survives_moving_code_and_editing_other_lines(repo):
    assert leery("review", "add", "app.py:5", "F841", "--reason", "kept for the debugger", cwd=repo).returncode == 0
    # Move `load` below `save`, add lines above it, edit `save`.
    moved = APP.replace('def load(path):\n    unused = 1\n    return open(path).read()\n\n\n', "")
    moved = "# header\n\n" + moved.replace("handle.write(data)", "handle.write(data.strip())")
    moved += '\n\ndef load(path):\n    unused = 1\n    return open(path).read()\n'
    write(repo, "app.py", moved)
    result = check(repo)
    assert codes_lines(result) == [("F401", 3)], result.stdout


def test_review_reopens_when_the_reviewed_function_changes(repo):
    assert leery("review", "add", "app.py:5", "F841", "--reason", "kept for the debugger", cwd=repo).returncode == 0
    write(repo, "app.py", APP.replace("return open(path).read()", "return open(path, encoding='utf-8').read()"))
    [f401, f841] = json.loads(check(repo).stdout)
    assert f841["code"] == "F841" and f841["line"] == 5
    assert "reviewed by Ada Lovelace <ada@example.com>" in f841["message"]
    assert "`load` changed since: the review no longer matches" in f841["message"]
    listed = leery("review", "list", "--json", cwd=repo)
    assert listed.returncode == 1
    assert [e["status"] for e in json.loads(listed.stdout)] == ["no longer matches"]
    pruned = leery("review", "prune", cwd=repo)
    assert pruned.returncode == 0 and "1 dropped, 0 kept" in pruned.stdout
    assert "review" not in tomllib.loads((repo / ".leery" / "reviews.toml").read_text())
    assert "review no longer matches" not in check(repo).stdout  # nothing left to lapse


def test_review_expires(repo):
    ok = leery("review", "add", "app.py:5", "F841", "--reason", "until the refactor", "--expires", "2999-01-01", cwd=repo)
    assert ok.returncode == 0, ok.stderr
    assert codes_lines(check(repo)) == [("F401", 1)]
    assert json.loads(leery("review", "list", "--json", cwd=repo).stdout)[0]["status"] == "ok"
    # Time passes: the committed record says the review ran out yesterday.
    path = repo / ".leery" / "reviews.toml"
    path.write_text(path.read_text().replace('expires = "2999-01-01"', 'expires = "2020-01-01"'), encoding="utf-8")
    f841 = json.loads(check(repo).stdout)[1]
    assert f841["code"] == "F841" and "expired on 2020-01-01: until the refactor" in f841["message"]
    assert json.loads(leery("review", "list", "--json", cwd=repo).stdout)[0]["status"] == "expired"
    assert "0 dropped, 1 kept" in leery("review", "prune", cwd=repo).stdout  # expired still matches


def test_two_identical_findings_need_two_entries(tmp_path):
    text = 'def report():\n    print(f"start")\n    print(f"start")\n    return 1\n'
    repo = make_repo(tmp_path / "repo", {"twice.py": text, "leery.toml": CONFIG})
    assert codes_lines(check(repo)) == [("F541", 2), ("F541", 3)]
    assert leery("review", "add", "twice.py:3", "F541", "--reason", "log format kept", cwd=repo).returncode == 0
    assert codes_lines(check(repo)) == [("F541", 2)]  # one entry covers one of the two
    assert leery("review", "add", "twice.py:3", "F541", "--reason", "log format kept", cwd=repo).returncode == 0
    assert [e["occurrence"] for e in record(repo)] == [1]  # same finding again: replaced, not duplicated
    assert leery("review", "add", "twice.py:2", "F541", "--reason", "log format kept", cwd=repo).returncode == 0
    assert [e["occurrence"] for e in record(repo)] == [0, 1]
    assert codes_lines(check(repo)) == []


def test_hint_mode_shows_who_and_why_and_does_not_fail(repo):
    (repo / "leery.toml").write_text(CONFIG + '[review]\nshow = "hint"\n', encoding="utf-8")
    assert leery("review", "add", "app.py:1", "F401", "--reason", "plugins import it from here", cwd=repo).returncode == 0
    assert leery("review", "add", "app.py:5", "F841", "--reason", "kept for the debugger", cwd=repo).returncode == 0
    result = check(repo)
    assert result.returncode == 0, result.stdout
    data = json.loads(result.stdout)
    assert [(d["code"], d["severity"]) for d in data] == [("F401", "hint"), ("F841", "hint")]
    assert "reviewed by Ada Lovelace <ada@example.com> on" in data[0]["message"] and "plugins import it from here" in data[0]["message"]


def test_record_is_sorted_and_stable(repo):
    write(repo, "b.py", "import sys\n")
    assert leery("review", "add", "b.py:1", "F401", "--reason", "second file", cwd=repo).returncode == 0
    assert leery("review", "add", "app.py:5", "F841", "--reason", "r1", cwd=repo).returncode == 0
    assert leery("review", "add", "app.py:1", "F401", "--reason", "r2", cwd=repo).returncode == 0
    first = (repo / ".leery" / "reviews.toml").read_text()
    assert [(e["file"], e["code"]) for e in record(repo)] == [("app.py", "F401"), ("app.py", "F841"), ("b.py", "F401")]
    assert leery("review", "prune", cwd=repo).returncode == 0
    assert (repo / ".leery" / "reviews.toml").read_text() == first


def test_refuses_to_write_through_a_symlink_leading_outside(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, repo / ".leery")
    result = leery("review", "add", "app.py:5", "F841", "--reason", "fine", cwd=repo)
    assert result.returncode == 2 and "leads outside the project" in result.stderr
    assert list(outside.iterdir()) == []


def test_refuses_a_record_file_symlinked_outside(repo, tmp_path):
    (repo / ".leery").mkdir()
    target = tmp_path / "elsewhere.toml"
    target.write_text("", encoding="utf-8")
    os.symlink(target, repo / ".leery" / "reviews.toml")
    result = leery("review", "add", "app.py:5", "F841", "--reason", "fine", cwd=repo)
    assert result.returncode == 2 and "leads outside the project" in result.stderr
    assert target.read_text() == ""


def test_broken_record_is_a_clear_error(repo):
    (repo / ".leery").mkdir()
    (repo / ".leery" / "reviews.toml").write_text('[[review]]\nfile = "app.py"\ncode = "F841"\n', encoding="utf-8")
    result = check(repo)
    assert result.returncode == 2 and "missing" in result.stderr and "reviews.toml" in result.stderr


def test_record_with_a_bad_occurrence_is_a_clear_error(repo):
    assert leery("review", "add", "app.py:5", "F841", "--reason", "fine", cwd=repo).returncode == 0
    path = repo / ".leery" / "reviews.toml"
    path.write_text(path.read_text().replace("occurrence = 0", 'occurrence = "first"'), encoding="utf-8")
    result = check(repo)
    assert result.returncode == 2 and "`occurrence` must be a whole number" in result.stderr


def test_review_follows_a_renamed_file_and_prune_records_the_new_path(repo):
    assert leery("review", "add", "app.py:5", "F841", "--reason", "kept for the debugger", cwd=repo).returncode == 0
    git(repo, "mv", "app.py", "storage.py")
    assert codes_lines(check(repo)) == [("F401", 1)]  # still reviewed after the rename
    listed = leery("review", "list", "--json", cwd=repo)
    assert listed.returncode == 1 and json.loads(listed.stdout)[0]["status"] == "moved to storage.py"
    pruned = leery("review", "prune", cwd=repo)
    assert "updated app.py F841: moved to storage.py" in pruned.stdout
    assert [e["file"] for e in record(repo)] == ["storage.py"]
    assert json.loads(leery("review", "list", "--json", cwd=repo).stdout)[0]["status"] == "ok"
    assert codes_lines(check(repo)) == [("F401", 1)]


def test_a_copy_of_reviewed_code_is_not_covered(repo):
    assert leery("review", "add", "app.py:5", "F841", "--reason", "kept for the debugger", cwd=repo).returncode == 0
    write(repo, "copy.py", APP)  # the original still exists: its entry does not travel
    result = leery("check", "--format", "json", "copy.py", cwd=repo)
    assert [(d["code"], d["line"]) for d in json.loads(result.stdout)] == [("F401", 1), ("F841", 5)]
