"""The CLI as users run it: exit codes, formats, broken config, syntax errors, odd files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clihelp import leery

RISKY = "import os\n\n\ndef f():\n    return undefined_name\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(RISKY, encoding="utf-8")
    (tmp_path / "pkg" / "clean.py").write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")
    return tmp_path


def test_findings_exit_1_and_text_names_path_line_code(project):
    result = leery("check", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "pkg/mod.py:1:8: F401" in result.stdout
    assert "pkg/mod.py:5:12: F821" in result.stdout
    assert "Found 2 findings in 2 files." in result.stdout


def test_clean_exit_0(project):
    result = leery("check", "pkg/clean.py", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed" in result.stdout


def test_exit_zero(project):
    assert leery("check", "--exit-zero", cwd=project).returncode == 0


def test_empty_folder_is_clean(tmp_path):
    result = leery("check", cwd=tmp_path)
    assert result.returncode == 0
    assert "0 files" in result.stdout


def test_missing_path_is_usage_error(tmp_path):
    result = leery("check", "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_json_contract(project):
    result = leery("check", "--format", "json", cwd=project)
    data = json.loads(result.stdout)
    assert [d["code"] for d in data] == ["F401", "F821"]
    first = data[0]
    assert set(first) == {"code", "name", "path", "line", "column", "end_line", "end_column", "message", "severity", "confidence", "fix", "related"}
    assert first["path"] == "pkg/mod.py"
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (1, 8, 1, 10)
    assert first["name"] == "unused-import"
    assert first["related"] == []


def test_json_columns_count_code_points_after_non_ascii(tmp_path):
    (tmp_path / "m.py").write_text('s = "😀日本"; import os\n', encoding="utf-8")
    data = json.loads(leery("check", "--format", "json", cwd=tmp_path).stdout)
    f401 = [d for d in data if d["code"] == "F401"][0]
    assert f401["column"] == len('s = "😀日本"; import ') + 1


def test_sarif_is_2_1_0_with_rule_metadata(project):
    result = leery("check", "--format", "sarif", cwd=project)
    doc = json.loads(result.stdout)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "leery"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"F401", "F821"}
    assert "## What it does" in rules["F401"]["help"]["markdown"]
    res = run["results"][0]
    assert res["ruleId"] == "F401"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert rules[res["ruleId"]] is run["tool"]["driver"]["rules"][res["ruleIndex"]]


def test_github_annotations(project):
    result = leery("check", "--format", "github", cwd=project)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::warning file=pkg/mod.py,line=1,col=8,endLine=1,endColumn=10,title=F401 unused-import::F401 ")
    assert lines[1].startswith("::error file=pkg/mod.py,line=5,")


def test_select_and_ignore(project):
    only = json.loads(leery("check", "--format", "json", "--select", "F821", cwd=project).stdout)
    assert [d["code"] for d in only] == ["F821"]
    ignored = json.loads(leery("check", "--format", "json", "--ignore", "unused-import", cwd=project).stdout)
    assert [d["code"] for d in ignored] == ["F821"]


def test_unknown_selector_is_usage_error(project):
    result = leery("check", "--select", "LY999", cwd=project)
    assert result.returncode == 2
    assert "LY999" in result.stderr and "names no rule" in result.stderr


def test_broken_config_names_file_key_and_expectation(project):
    (project / "pyproject.toml").write_text('[tool.leery]\nselect = "LY1"\n', encoding="utf-8")
    result = leery("check", cwd=project)
    assert result.returncode == 2
    assert "pyproject.toml" in result.stderr and "`select`" in result.stderr and "expected a list of strings" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_config_key(project):
    (project / "leery.toml").write_text('selekt = ["LY1"]\n', encoding="utf-8")
    result = leery("check", cwd=project)
    assert result.returncode == 2
    assert "leery.toml" in result.stderr and "`selekt`" in result.stderr and "unknown key" in result.stderr


def test_invalid_toml(project):
    (project / "leery.toml").write_text("select = [\n", encoding="utf-8")
    result = leery("check", cwd=project)
    assert result.returncode == 2
    assert "invalid TOML" in result.stderr


def test_syntax_error_is_reported_not_silent(tmp_path):
    (tmp_path / "bad.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    result = leery("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert [d["code"] for d in data] == ["LY001"]
    assert data[0]["line"] == 1


def test_binary_and_non_utf8_files_are_reported(tmp_path):
    (tmp_path / "bin.py").write_bytes(b"\x00\x01\x02garbage")
    (tmp_path / "latin.py").write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    result = leery("check", "--format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert sorted((d["path"], d["code"]) for d in data) == [("bin.py", "LY005"), ("latin.py", "LY005")]
    assert "Traceback" not in result.stderr


def test_unreadable_file(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads files regardless of permissions")  # CI runs as root: covered by the binary case
    path = tmp_path / "secret.py"
    path.write_text("x = 1\n")
    path.chmod(0)
    data = json.loads(leery("check", "--format", "json", cwd=tmp_path).stdout)
    assert [d["code"] for d in data] == ["LY005"]


def test_per_file_ignores_and_exclude(project):
    (project / "pyproject.toml").write_text(
        '[tool.leery]\nexclude = ["pkg/clean.py"]\n[tool.leery.per-file-ignores]\n"pkg/*.py" = ["F401"]\n', encoding="utf-8"
    )
    data = json.loads(leery("check", "--format", "json", cwd=project).stdout)
    assert [d["code"] for d in data] == ["F821"]


def test_severity_override(project):
    (project / "leery.toml").write_text('[severity]\nF401 = "error"\n', encoding="utf-8")
    data = json.loads(leery("check", "--format", "json", cwd=project).stdout)
    assert {d["code"]: d["severity"] for d in data}["F401"] == "error"


def test_statistics(project):
    out = leery("check", "--statistics", cwd=project).stdout
    assert "F401 unused-import" in " ".join(out.split())


def test_rules_and_explain(tmp_path):
    rules = json.loads(leery("rules", "--json", cwd=tmp_path).stdout)
    codes = {r["code"] for r in rules}
    assert {"LY001", "LY002", "LY003", "F401"} <= codes
    explained = leery("explain", "LY002", cwd=tmp_path)
    assert explained.returncode == 0 and "## Why it matters" in explained.stdout
    by_name = leery("explain", "suppression-without-reason", cwd=tmp_path)
    assert by_name.stdout == explained.stdout
    assert leery("explain", "LY999", cwd=tmp_path).returncode == 2


def test_many_files_run_in_parallel_and_agree_with_serial(tmp_path):
    for i in range(40):
        (tmp_path / f"m{i:02d}.py").write_text(f"import os\nx{i} = y{i}\n", encoding="utf-8")
    parallel = json.loads(leery("check", "--format", "json", "-j", "2", cwd=tmp_path).stdout)
    serial = json.loads(leery("check", "--format", "json", "-j", "1", cwd=tmp_path).stdout)
    assert parallel == serial
    assert len(parallel) == 80


def test_virtualenv_and_git_folders_are_skipped(tmp_path):
    for folder in (".venv/lib", ".git", "build", "node_modules/x"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "m.py").write_text("import os\n")
    assert leery("check", cwd=tmp_path).returncode == 0


def _swallowing(path: Path) -> None:
    path.write_text("def load(f):\n    try:\n        return f()\n    except Exception:\n        pass\n", encoding="utf-8")


def test_fix_applies_and_unsafe_needs_the_flag(tmp_path):
    _swallowing(tmp_path / "m.py")
    before = (tmp_path / "m.py").read_text()
    safe_only = leery("check", "--fix", "--select", "LY101", cwd=tmp_path)
    assert safe_only.returncode == 1  # the LY101 fix (re-raise) is unsafe: nothing written
    assert (tmp_path / "m.py").read_text() == before
    both = leery("check", "--fix", "--unsafe-fixes", "--select", "LY101", cwd=tmp_path)
    assert both.returncode == 0, both.stdout
    assert (tmp_path / "m.py").read_text().endswith("    except Exception:\n        raise\n")


def test_fix_does_not_write_through_a_symlink_out_of_the_project(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    _swallowing(outside / "target.py")
    before = (outside / "target.py").read_text()
    project = tmp_path / "project"
    project.mkdir()
    (project / "leery.toml").write_text('select = ["LY101"]\n')
    (project / "link.py").symlink_to(outside / "target.py")
    result = leery("check", "--fix", "--unsafe-fixes", cwd=project)
    assert (outside / "target.py").read_text() == before
    assert "symlink" in result.stderr


def test_input_followed_into_another_module_when_checked_from_a_parent_folder(tmp_path: Path) -> None:
    """Files named relative to the working folder, not to the project root (leery.toml's
    folder): the taint pass must still find `.db` next to `views.py`."""
    app = tmp_path / "proj" / "app"
    app.mkdir(parents=True)
    (tmp_path / "proj" / "leery.toml").write_text('select = ["LY2"]\n')
    (app / "__init__.py").write_text("")
    (app / "db.py").write_text(
        "def find(conn, name):\n    return conn.execute(\"SELECT * FROM users WHERE name = '%s'\" % name)\n"
    )
    (app / "views.py").write_text(
        "from flask import request\n\nfrom .db import find\n\n\ndef show(conn):\n    return find(conn, request.args['name'])\n"
    )
    for cwd, target in ((tmp_path, "proj"), (tmp_path / "proj", ".")):
        data = json.loads(leery("check", "--format", "json", "--exit-zero", target, cwd=cwd).stdout)
        assert [f["code"] for f in data] == ["LY201"], (cwd, data)
