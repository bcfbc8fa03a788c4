"""LY405 reads callees from source and asks jedi only where that cannot tell: the same findings
as asking jedi for everything. jedi's shortcuts and its answers kept between `leery check` runs
(the tests that call `ask_jedi` send every callee to jedi): the same findings as a Script of the
whole file, answers checked against the files they came from."""

from __future__ import annotations

import gc
import json
import os
import textwrap
from pathlib import Path

import pytest

from leery.analyzers import jedi_env
from leery.commands.checking import CheckRequest, check_files
from leery.rules.apis import definitions, keywords, modules, names

PROJECT = {
    "lib.py": "def send(data, retries=1):\n    return data\n",
    "use.py": """\
        import json
        import lib
        import os.path
        from subprocess import run as sh

        json.dumps(1, sort=True)
        lib.send(1, retry=2)
        os.path.join("a", bogus=1)
        sh(["true"], capture=True)


        def inner():
            return json.loads("1", strict=True, strickt=False)
        """,
    "sub/deeper.py": """\
        import json
        import nosuchmodule_for_leery_tests as gone
        import lib

        json.dumps(1, indnt=2)
        gone.call(x=1)
        lib.send(1, retries=2, tries=3)
        """,
    "sub/fallback.py": """\
        try:
            import simplejson as js
        except ImportError:
            import json as js

        js.dumps(1, sort=True)
        """,
    "sub/paths.py": """\
        import sys
        sys.path.insert(0, "elsewhere")
        import json

        json.dumps(1, sort=True)
        """,
    "sub/local.py": """\
        def first():
            import json
            return json.dumps(1, sort=True)


        def second(json):
            return json.dumps(1, sort=True)
        """,
}


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    """Each check starts as a new process would: no answers in memory."""
    for module, name in ((keywords, "_SHARED"), (keywords, "_ACCEPTED"), (jedi_env, "_ORIGINS"), (jedi_env, "_PROJECTS"), (names, "_CACHE")):
        monkeypatch.setattr(module, name, {})
    monkeypatch.setattr(jedi_env, "_SCRIPTS", jedi_env.OrderedDict())
    for module in (keywords, jedi_env, names):
        monkeypatch.setattr(module, "_LEARNT", [])


def run(root: Path, select=("LY405", "LY004")) -> list[tuple]:
    for cache in (keywords._SHARED, keywords._ACCEPTED, jedi_env._ORIGINS, jedi_env._SCRIPTS, jedi_env._PROJECTS, names._CACHE):
        cache.clear()
    outcome = check_files(CheckRequest(paths=[root], overrides={"select": list(select)}, jobs=1, apply_reviews=False))
    return [(Path(f.path).resolve().relative_to(root.resolve()).as_posix(), f.span.start_line + 1, f.message) for f in outcome.findings]


def count_lookups(monkeypatch) -> list:
    calls: list = []
    original = keywords._definitions

    def counting(script, line, col):
        calls.append((line, col))
        return original(script, line, col)

    monkeypatch.setattr(keywords, "_definitions", counting)
    return calls


EXPECTED = [
    ("sub/deeper.py", 5, "`json.dumps()` takes no keyword `indnt`; did you mean `indent`?"),
    ("sub/deeper.py", 7, "`lib.send()` takes no keyword `tries`; did you mean `retries`?"),
    ("sub/fallback.py", 6, "`js.dumps()` takes no keyword `sort`; did you mean `sort_keys`?"),
    ("sub/local.py", 3, "`json.dumps()` takes no keyword `sort`; did you mean `sort_keys`?"),
    ("sub/paths.py", 5, "`json.dumps()` takes no keyword `sort`; did you mean `sort_keys`?"),
    ("use.py", 6, "`json.dumps()` takes no keyword `sort`; did you mean `sort_keys`?"),
    ("use.py", 7, "`lib.send()` takes no keyword `retry`"),
    ("use.py", 8, "`os.path.join()` takes no keyword `bogus`"),
    ("use.py", 9, "`sh()` takes no keyword `capture`; did you mean `capture_output`?"),
    ("use.py", 13, "`json.loads()` takes no keyword `strickt`; did you mean `strict`?"),
]


def ask_jedi(monkeypatch) -> None:
    """Every callee to jedi, as before LY405 read callees from source. jedi's time budget is
    lifted: on a loaded machine a Script of a whole file can take longer than 4 s (LY004), and
    the budget has tests of its own."""
    monkeypatch.setattr(keywords, "_from_source", lambda *args: definitions.ASK)
    monkeypatch.setattr(jedi_env, "BUDGET_SECONDS", 600.0)


def test_reading_the_source_finds_what_jedi_finds(tmp_path, monkeypatch):
    write(tmp_path, PROJECT)
    scripts: list = []
    original = jedi_env.script
    monkeypatch.setattr(jedi_env, "script", lambda path, text, root: scripts.append(path) or original(path, text, root))
    assert run(tmp_path) == EXPECTED
    # No jedi: sub/paths.py edits sys.path, but its callee is the standard library's.
    assert scripts == []
    ask_jedi(monkeypatch)
    shutil_rmtree(tmp_path / ".leery")
    assert run(tmp_path) == EXPECTED


def test_shortcuts_find_what_a_script_of_the_whole_file_finds(tmp_path, monkeypatch):
    write(tmp_path, PROJECT)
    ask_jedi(monkeypatch)
    assert run(tmp_path) == EXPECTED
    # Without the shortcuts: every lookup in a Script of the whole file, no module probe.
    monkeypatch.setattr(keywords, "_one_binding", lambda ctx, local: False)
    monkeypatch.setattr(keywords, "_module_origin", lambda *args: "")
    shutil_rmtree(tmp_path / ".leery")
    assert run(tmp_path) == EXPECTED


def shutil_rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def test_a_module_jedi_cannot_import_is_probed_once_per_folder(tmp_path, monkeypatch):
    write(tmp_path, {f"f{i}.py": "import nosuchmodule_for_leery_tests as gone\ngone.a(x=1)\ngone.b(y=2)\n" for i in range(3)})
    scripts: list = []
    original = jedi_env.script
    monkeypatch.setattr(jedi_env, "script", lambda path, text, root: scripts.append(text) or original(path, text, root))
    assert run(tmp_path) == []
    assert scripts == []  # a module that is not installed is not a callee to check: no jedi
    ask_jedi(monkeypatch)
    assert run(tmp_path) == []
    assert scripts == ["import nosuchmodule_for_leery_tests\n"]


def test_answers_are_kept_between_runs(tmp_path, monkeypatch):
    write(tmp_path, PROJECT)
    ask_jedi(monkeypatch)
    assert run(tmp_path) == EXPECTED
    saved = json.loads((tmp_path / ".leery" / "cache" / keywords.ANSWERS_FILE).read_text())
    assert saved["stamp"] == jedi_env.environment()
    saved = saved["payload"]
    assert [str(tmp_path), None, "json.dumps"] in [row[:3] for row in saved["callees"]]
    assert any(row[2] == "json" for row in saved["origins"])
    calls = count_lookups(monkeypatch)
    assert run(tmp_path) == EXPECTED
    # Left to jedi: the files that edit sys.path or bind a name twice, and the local import.
    assert len(calls) <= 3


@pytest.mark.parametrize("jedi", [False, True], ids=["source", "jedi"])
def test_an_answer_whose_source_changed_is_not_used(tmp_path, monkeypatch, jedi):
    if jedi:
        ask_jedi(monkeypatch)
    write(tmp_path, PROJECT)
    assert ("use.py", 7, "`lib.send()` takes no keyword `retry`") in run(tmp_path)
    lib = tmp_path / "lib.py"
    lib.write_text("def send(data, retry=1):\n    return data\n", encoding="utf-8")
    os.utime(lib, (lib.stat().st_atime, lib.stat().st_mtime + 10))
    findings = run(tmp_path)
    assert ("use.py", 7, "`lib.send()` takes no keyword `retry`") not in findings
    assert ("sub/deeper.py", 7, "`lib.send()` takes no keyword `retries`") in findings


@pytest.mark.parametrize("jedi", [False, True], ids=["source", "jedi"])
def test_a_module_added_to_the_root_takes_over_from_the_environment(tmp_path, monkeypatch, jedi):
    if jedi:
        ask_jedi(monkeypatch)
    write(tmp_path, {"use.py": "import json\njson.dumps(1, sort=True)\n"})
    assert [m for _, _, m in run(tmp_path)] == ["`json.dumps()` takes no keyword `sort`; did you mean `sort_keys`?"]
    write(tmp_path, {"json.py": "def dumps(obj, sort=False):\n    return ''\n"})
    assert run(tmp_path) == []


@pytest.mark.parametrize("content", [
    "not json",
    "[1, 2]",
    '{"stamp": "elsewhere", "payload": {"origins": [], "callees": []}}',
    '{"stamp": ENV, "payload": {"origins": [["x", 1], 3], "callees": [[1, 2, 3, 4, 5], "x", null]}}',
    '{"stamp": ENV, "payload": {"origins": {}, "callees": "x"}}',
    '{"stamp": ENV, "payload": []}',
])
def test_a_broken_or_foreign_answers_file_is_ignored(tmp_path, monkeypatch, content):
    write(tmp_path, PROJECT)
    ask_jedi(monkeypatch)
    answers = tmp_path / ".leery" / "cache" / keywords.ANSWERS_FILE
    answers.parent.mkdir(parents=True)
    answers.write_text(content.replace("ENV", json.dumps(jedi_env.environment())), encoding="utf-8")
    assert run(tmp_path) == EXPECTED


def test_a_forged_answer_is_not_trusted(tmp_path, monkeypatch):
    """An answers file in a repository claims `json.dumps` takes `sort`: its file and time do not match."""
    write(tmp_path, PROJECT)
    ask_jedi(monkeypatch)
    answers = tmp_path / ".leery" / "cache" / keywords.ANSWERS_FILE
    answers.parent.mkdir(parents=True)
    forged = [[str(tmp_path), None, "json.dumps", ["sort"], [[json.__file__, 1.0]]]]
    answers.write_text(json.dumps({"stamp": jedi_env.environment(), "payload": {"origins": [], "callees": forged}}))
    assert run(tmp_path) == EXPECTED


def test_the_check_leaves_garbage_collection_and_lookups_as_it_found_them(tmp_path):
    """The run's settings (automatic gc, thresholds, frozen objects, kept module lookups) end with it: the
    language server, in the same process in tests, must see modules created later."""
    write(tmp_path, {"a.py": "import json\nimport later_module\njson.dumps(1, sort=True)\n"})
    before = gc.get_threshold()
    assert gc.isenabled()
    run(tmp_path)
    assert gc.get_threshold() == before
    assert gc.isenabled()  # automatic collection is off during the run only
    assert gc.get_freeze_count() == 0
    assert modules.find("later_module", (str(tmp_path),)) is None
    write(tmp_path, {"later_module.py": ""})
    assert modules.find("later_module", (str(tmp_path),)) is not None


def test_module_names_are_kept_between_runs(tmp_path, monkeypatch):
    write(tmp_path, {
        "base.py": "x = 1\n",
        "lib.py": "from base import *\n\ndef send():\n    pass\n",
        "use.py": "import lib\nimport json\nlib.send()\nlib.x\nlib.y\njson.parse('1')\n",
    })
    expected = [("use.py", 5, "`lib` has no `y`"), ("use.py", 6, "`json` has no `parse`")]
    assert run(tmp_path, ["LY404"]) == expected
    saved = json.loads((tmp_path / ".leery" / "cache" / names.TABLES_FILE).read_text())["payload"]["tables"]
    assert {"lib", "json"} <= {row[0] for row in saved}
    parsed: list = []
    original = modules.parse_file
    monkeypatch.setattr(modules, "parse_file", lambda path: parsed.append(path) or original(path))
    assert run(tmp_path, ["LY404"]) == expected
    assert parsed == []
    # A star-imported file that changes makes the table stale.
    base = tmp_path / "base.py"
    base.write_text("x = 1\ny = 2\n", encoding="utf-8")
    os.utime(base, (base.stat().st_atime, base.stat().st_mtime + 10))
    assert run(tmp_path, ["LY404"]) == [("use.py", 6, "`json` has no `parse`")]


def test_the_editor_collects_nothing_for_the_kept_caches(tmp_path):
    """The language server analyses forever: nothing may pile up for a save that never comes."""
    from leery.core.config import Settings
    from leery.core.engine import analyze
    from leery.core.source import SourceFile

    write(tmp_path, PROJECT)
    path = tmp_path / "use.py"
    settings = Settings(root=tmp_path, select=["LY404", "LY405"], strict=True)
    findings = analyze(SourceFile(path.read_text(encoding="utf-8"), str(path)), settings)
    assert [f.span.start_line + 1 for f in findings] == [6, 7, 8, 9, 13]
    assert keywords._LEARNT == [] and names._LEARNT == [] and jedi_env._LEARNT == []
