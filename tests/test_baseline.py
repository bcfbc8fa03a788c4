"""`leery baseline`: counts, rewriting, never absorbing new findings; scenarios in a git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clihelp import leery
from gitrepo import git, make_repo, write

CONFIG = 'select = ["F"]\n'  # pyflakes' codes only, so the scenarios do not move as rules are added
LEGACY = '''\
import os


def report(rows):
    print(f"start")
    print(f"start")
    for row in rows:
        total = row
    return len(rows)
'''


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"legacy.py": LEGACY, "leery.toml": CONFIG})


def findings(repo: Path, *args: str) -> list[tuple[str, int]]:
    result = leery("check", "--format", "json", *args, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return [(d["code"], d["line"]) for d in json.loads(result.stdout)]


def baseline(repo: Path) -> dict:
    return json.loads((repo / ".leery" / "baseline.json").read_text(encoding="utf-8"))


def test_baseline_hides_existing_findings_and_no_baseline_shows_them(repo):
    before = findings(repo)
    assert before == [("F401", 1), ("F541", 5), ("F541", 6), ("F841", 8)]
    result = leery("baseline", cwd=repo)
    assert result.returncode == 0, result.stderr
    data = baseline(repo)
    assert [(e["code"], e["count"]) for e in data["findings"]] == sorted([("F401", 1), ("F541", 2), ("F841", 1)], key=lambda e: e[0])
    assert all(e["file"] == "legacy.py" for e in data["findings"])
    assert leery("check", cwd=repo).returncode == 0
    assert findings(repo, "--no-baseline") == before


def test_counts_matter_a_third_identical_finding_is_reported(repo):
    assert leery("baseline", cwd=repo).returncode == 0
    write(repo, "legacy.py", LEGACY.replace('    print(f"start")\n', '    print(f"start")\n    print(f"start")\n', 1))
    text = (repo / "legacy.py").read_text()
    assert text.count('print(f"start")') == 3
    result = leery("check", "--format", "json", cwd=repo)
    assert result.returncode == 1
    [new] = json.loads(result.stdout)
    assert new["code"] == "F541" and "the baseline has 2 like this here" in new["message"]


def test_moving_legacy_code_keeps_it_baselined(repo):
    assert leery("baseline", cwd=repo).returncode == 0
    write(repo, "legacy.py", '"""Module docstring added later."""\n\n' + LEGACY + "\n\ndef helper():\n    return 1\n")
    assert findings(repo) == []


def test_new_findings_are_reported_and_never_absorbed_by_a_rewrite(repo):
    assert leery("baseline", cwd=repo).returncode == 0
    write(repo, "legacy.py", LEGACY + "\n\ndef fresh():\n    leftover = 2\n    return 1\n")
    write(repo, "other.py", "import sys\n")
    assert sorted(findings(repo)) == [("F401", 1), ("F841", 13)]
    rewrite = leery("baseline", cwd=repo)
    assert rewrite.returncode == 0
    assert "2 new findings were NOT added" in rewrite.stdout and "other.py: F401" in rewrite.stdout
    assert sorted(findings(repo)) == [("F401", 1), ("F841", 13)]  # still reported
    accepted = leery("baseline", "--accept-new", cwd=repo)
    assert accepted.returncode == 0 and "NOT added" not in accepted.stdout
    assert findings(repo) == []


def test_rewriting_drops_fixed_findings(repo):
    assert leery("baseline", cwd=repo).returncode == 0
    write(repo, "legacy.py", LEGACY.replace("import os\n", ""))
    result = leery("baseline", cwd=repo)
    assert "1 no longer found" in result.stdout
    assert "F401" not in [e["code"] for e in baseline(repo)["findings"]]
    # The fixed finding is gone for good: bringing the import back reports it again.
    write(repo, "legacy.py", LEGACY)
    assert findings(repo) == [("F401", 1)]


def test_baseline_of_one_folder_keeps_the_other_files_entries(repo):
    write(repo, "pkg/mod.py", "import json\n")
    assert leery("baseline", cwd=repo).returncode == 0
    assert leery("baseline", "pkg", cwd=repo).returncode == 0
    assert {e["file"] for e in baseline(repo)["findings"]} == {"legacy.py", "pkg/mod.py"}


def test_baseline_file_is_stable_and_one_entry_per_line(repo):
    assert leery("baseline", cwd=repo).returncode == 0
    first = (repo / ".leery" / "baseline.json").read_text()
    assert leery("baseline", cwd=repo).returncode == 0
    assert (repo / ".leery" / "baseline.json").read_text() == first
    entry_lines = [line for line in first.splitlines() if '"fingerprint"' in line]
    assert len(entry_lines) == 3 and entry_lines == sorted(entry_lines)


def test_renamed_file_keeps_its_baseline_and_a_rewrite_moves_the_entries(repo):
    assert leery("baseline", cwd=repo).returncode == 0
    git(repo, "mv", "legacy.py", "old_report.py")
    assert findings(repo) == []
    result = leery("baseline", cwd=repo)
    assert "NOT added" not in result.stdout and "no longer found" not in result.stdout, result.stdout
    assert {e["file"] for e in baseline(repo)["findings"]} == {"old_report.py"}
    assert findings(repo) == []


def test_deleted_file_leaves_the_baseline_on_rewrite(repo):
    write(repo, "gone.py", "import json\n")
    assert leery("baseline", cwd=repo).returncode == 0
    (repo / "gone.py").unlink()
    result = leery("baseline", cwd=repo)
    assert "1 no longer found" in result.stdout
    assert "gone.py" not in {e["file"] for e in baseline(repo)["findings"]}


def test_unreadable_baseline_stops_check_and_is_replaced_by_a_rewrite(repo):
    (repo / ".leery").mkdir()
    (repo / ".leery" / "baseline.json").write_text("<<<<<<< HEAD\n", encoding="utf-8")  # a merge conflict
    broken = leery("check", cwd=repo)
    assert broken.returncode == 2 and "cannot read the baseline" in broken.stderr
    assert leery("check", "--no-baseline", cwd=repo).returncode == 1  # still usable without it
    rewrite = leery("baseline", cwd=repo)
    assert rewrite.returncode == 0 and "writing a new one" in rewrite.stderr
    assert findings(repo) == []
