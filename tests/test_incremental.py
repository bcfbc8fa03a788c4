"""The incremental fast tier (leery.core.incremental) gives exactly what a full analysis gives.

A chain of random edits is applied to real files (every sample, leery's own sources, a few
installed packages): lines inserted into function bodies from a list that trips many rules,
lines deleted, characters changed, comments added. After each edit the findings of the
incremental analysis (one State kept across the chain, as the language server keeps it) must
equal those of a fresh analysis of the same text, field for field.
"""

from __future__ import annotations

import ast
import os
import random
from pathlib import Path

import pyflakes
import pytest

from leery.core import incremental, reparse
from leery.core.config import Settings
from leery.core.context import Context
from leery.core.engine import analyze
from leery.core.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(pyflakes.__file__).parent.parent
EDITS = int(os.environ.get("INCREMENTAL_EDITS", "25"))

SNIPPETS = [
    "value = eval(input())",
    "subprocess.run(cmd, shell=True)",
    "os.system('ls ' + name)",
    "requests.get(url)",
    "assert isinstance(value, int)",
    "global counter",
    "import json",
    "from os import path as os",
    "# TODO: finish this",
    "return None",
    "pass",
    "print(undefined_name)",
    "unused = 1",
    "try:\n    work()\nexcept Exception:\n    pass",
    "for os in range(3):\n    print(os)",
    "asyncio.create_task(job())",
    "yaml.load(data)",
    "hashlib.md5(data)",
    "password = 'hunter2-secret'",
    "list = []",
    "x: 'Session' = None",
    "random.random()",
    "raise NotImplementedError",
    "...",
    "def inner():\n    return outer_name",
    "class Local(Base):\n    pass",
    # Binding names the module binds too (an assignment, a function, an import): pyflakes
    # re-checks only the function unless it is an import's name.
    "text = messages = log = node = 1",
    "for name in names:\n    print(name)",
    "def checker(self):\n    return self",
    "import ast",
]


def _files() -> list[Path]:
    samples = sorted(p for p in (ROOT / "samples").rglob("*.py") if not p.name.endswith(".fixed.py"))
    own = [ROOT / "server/leery/core/engine.py", ROOT / "server/leery/rules/input.py", ROOT / "server/leery/lsp/scheduler.py"]
    site = [SITE / "pyflakes/checker.py", SITE / "bandit/core/manager.py", SITE / "jedi/api/__init__.py"]
    return [p for p in samples + own + site if p.exists()]


def _body_lines(text: str) -> list[int]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    return [
        stmt.lineno - 1
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for stmt in node.body
    ]


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def _edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    sites = _body_lines(text) or list(range(len(lines)))
    line = rng.choice(sites)
    indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
    kind = rng.random()
    if kind < 0.55:
        snippet = rng.choice(SNIPPETS)
        new = [indent + part for part in snippet.split("\n")]
        lines[line:line] = new
    elif kind < 0.7 and len(lines) > 1:
        del lines[line]
    elif kind < 0.85 and lines[line].strip():
        col = rng.randrange(len(indent), len(lines[line]))
        lines[line] = lines[line][:col] + rng.choice("xo_1 (.:") + lines[line][col + 1 :]
    else:
        lines[line] = lines[line] + "  # noqa: F401" if rng.random() < 0.5 else lines[line] + "  # leery: ignore[LY101]"
    return "\n".join(lines)


def _spliced(state: incremental.State, text: str, name: str) -> SourceFile:
    """The source as the server's fast tier gets it: only the edited function parsed again."""
    source, state.lineage = reparse.source_for(state.lineage, text, name)
    return source


def _dicts(findings) -> list[dict]:
    return [f.to_dict() for f in findings]


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_incremental_equals_full(path: Path) -> None:
    settings = Settings(root=ROOT)
    rng = random.Random(path.name)
    text = path.read_text(encoding="utf-8")
    state = incremental.State()
    name = str(path)
    assert _dicts(analyze(_spliced(state, text, name), settings, tiers=("fast",), state=state)) == _dicts(
        analyze(SourceFile(text, name), settings, tiers=("fast",))
    )
    for step in range(EDITS):
        before = text
        text = _edit(text, rng) if step % 3 else _edit(_edit(text, rng), rng)
        source = _spliced(state, text, name)
        incremental_result = _dicts(analyze(source, settings, tiers=("fast",), state=state))
        full_result = _dicts(analyze(SourceFile(text, name), settings, tiers=("fast",)))
        assert incremental_result == full_result, f"step {step}: incremental and full analyses differ"
        assert source.comments == SourceFile(text, name).comments, f"step {step}: comments carried over wrongly"
        if not _parses(text):
            text = before  # the user fixes the syntax error (the next analysis sees the fix)
    if _body_lines(path.read_text(encoding="utf-8")) and not Context(SourceFile("", name), settings).is_test_file:
        assert state.incremental_runs >= 1, "the chain never took the incremental path"


def test_typing_in_function_bodies_stays_incremental() -> None:
    """Statements typed into function bodies of a large real file: nearly every analysis is
    incremental (only a new import or `global` inside a function falls back), and exact."""
    path = SITE / "pyflakes/checker.py"
    text = path.read_text(encoding="utf-8")
    settings = Settings(root=ROOT)
    state = incremental.State()
    rng = random.Random(7)
    analyze(SourceFile(text, str(path)), settings, tiers=("fast",), state=state)
    plain = [s for s in SNIPPETS if "import" not in s and "global" not in s]
    for step in range(12):
        lines = text.split("\n")
        line = rng.choice(_body_lines(text))
        indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
        lines[line:line] = [indent + part for part in rng.choice(plain).split("\n")]
        text = "\n".join(lines)
        got = _dicts(analyze(_spliced(state, text, str(path)), settings, tiers=("fast",), state=state))
        assert got == _dicts(analyze(SourceFile(text, str(path)), settings, tiers=("fast",))), f"step {step}"
    assert state.incremental_runs >= 10


def test_an_edit_in_one_function_walks_only_that_function() -> None:
    """The point of it all: the other functions are not walked again (their findings moved)."""
    head = "import subprocess\n\n"
    funcs = [f"def f{i}(cmd):\n    subprocess.run(cmd, shell=True)\n    return {i}\n" for i in range(30)]
    text = head + "\n".join(funcs)
    settings = Settings(root=ROOT)
    state = incremental.State()
    first = analyze(SourceFile(text, "m.py"), settings, tiers=("fast",), state=state)
    assert state.snapshot is not None
    edited = text.replace("    return 7\n", "    extra = 1\n    return 7\n")
    source = SourceFile(edited, "m.py")
    plan = incremental.plan(state, source, settings, settings.enabled_codes("m.py"), False)
    assert plan is not None and plan.incremental and plan.units[plan.edited].node.name == "f7"
    second = analyze(source, settings, tiers=("fast",), state=state)
    # Findings below the edit moved down one line; the edited function got its new finding.
    assert len(second) == len(first) + 1
    fresh = analyze(SourceFile(edited, "m.py"), settings, tiers=("fast",))
    assert _dicts(second) == _dicts(fresh)


def test_other_edits_fall_back_to_a_full_analysis() -> None:
    text = "import os\n\ndef f():\n    return os.sep\n\ndef g():\n    return 1\n"
    settings = Settings(root=ROOT)
    state = incremental.State()
    analyze(SourceFile(text, "m.py"), settings, tiers=("fast",), state=state)
    enabled = settings.enabled_codes("m.py")
    for changed in (
        text.replace("import os", "import os, sys"),  # module level
        text.replace("def g():", "def g(a):"),  # a header
        text.replace("return 1", "global os\n    return 1"),  # binds outside itself
        text.replace("return os.sep", "import json\n    return os.sep"),  # imports: later code reads them
    ):
        plan = incremental.plan(state, SourceFile(changed, "m.py"), settings, enabled, False)
        assert plan is not None and not plan.incremental, changed


def test_hits_through_another_file_follow_that_file(tmp_path) -> None:
    """A taint hit in `view` runs through `db.find` in another file. When that file changes,
    an edit elsewhere in the first file must not keep the old hit."""
    from leery.workspace import Workspace

    (tmp_path / "db.py").write_text("def find(cursor, name):\n    cursor.execute('SELECT * FROM t WHERE n = ' + name)\n", encoding="utf-8")
    app = tmp_path / "app.py"
    text = (
        "from flask import request\nfrom db import find\n\n\n"
        "def view(cursor):\n    find(cursor, request.args['name'])\n\n\n"
        "def other():\n    return 1\n"
    )
    app.write_text(text, encoding="utf-8")
    settings = Settings(root=tmp_path)
    workspace = Workspace(tmp_path, settings)
    state = incremental.State()

    def codes(source_text: str, state=None) -> list[str]:
        return [f.code for f in analyze(SourceFile(source_text, str(app)), settings, workspace, tiers=("fast",), state=state)]

    assert "LY201" in codes(text, state)
    (tmp_path / "db.py").write_text(
        "def find(cursor, name):\n    cursor.execute('SELECT * FROM t WHERE n = ?', (name,))\n", encoding="utf-8"
    )
    edited = text.replace("return 1", "return 2")
    assert codes(edited, state) == codes(edited) and "LY201" not in codes(edited)
    assert state.incremental_runs >= 1


def test_a_version_that_does_not_parse_keeps_the_snapshot() -> None:
    """Typing passes through broken text; the next version that parses builds on the last good one."""
    text = "def f():\n    return 1\n\n\ndef g():\n    return 2\n"
    settings = Settings(root=ROOT)
    state = incremental.State()
    analyze(SourceFile(text, "m.py"), settings, tiers=("fast",), state=state)
    broken = text.replace("return 2", "return (")
    assert [f.code for f in analyze(SourceFile(broken, "m.py"), settings, tiers=("fast",), state=state)] == ["LY001"]
    assert state.snapshot is not None and state.snapshot.lines == SourceFile(text, "m.py").lines
    fixed = text.replace("return 2", "return (2)")
    analyze(SourceFile(fixed, "m.py"), settings, tiers=("fast",), state=state)
    assert state.incremental_runs == 1


def test_pyflakes_rechecks_one_function_unless_it_binds_an_imported_name(monkeypatch) -> None:
    """A body binding a name the module assigns is re-checked alone; one binding a name the
    module imports is checked with the whole module: whether that import is used elsewhere
    decides its messages (`os = 1` below is F811 only while no other function reads `os`)."""
    from leery.analyzers import pyflakes as adapter

    taken: list[bool] = []
    original = adapter._incremental

    def spy(source, plan, ctx):
        result = original(source, plan, ctx)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(adapter, "_incremental", spy)
    settings = Settings(root=ROOT, select=["F"])
    for reads_os in ("os.sep + value", "value"):  # another function uses the import, or none does
        text = f'import os\ntext = "module"\n\n\ndef first(value):\n    return {reads_os}\n\n\ndef second(value):\n    return value\n'
        for body, alone in (
            ("    text = value", True),
            ("    for text in value:\n        pass", True),
            ("    os = 1", False),
            ("    for os in value:\n        print(os)", False),
        ):
            state = incremental.State()
            analyze(_spliced(state, text, "m.py"), settings, tiers=("fast",), state=state)
            taken.clear()
            edited = text[: text.rindex("    return value")] + body + "\n    return value\n"
            got = _dicts(analyze(_spliced(state, edited, "m.py"), settings, tiers=("fast",), state=state))
            assert got == _dicts(analyze(SourceFile(edited, "m.py"), settings, tiers=("fast",))), (reads_os, body)
            assert taken == [alone], (reads_os, body, taken)


def test_typing_a_new_first_statement_stays_incremental() -> None:
    """A blank line opened above a function's first statement, then a statement typed into it,
    key by key: edits in the body, not in the header (each was a full analysis: the header ran
    up to the first statement)."""
    funcs = [
        "def plain(cmd):\n    return cmd\n",
        "def documented(cmd):\n    '''Run it.'''\n    return cmd\n",
        "def commented(cmd):  # why\n    # a comment above the body\n\n    return cmd\n",
        "def wrapped(\n    cmd,\n):\n    return cmd\n",
        "def decorated(cmd):\n    @staticmethod\n    def inner():\n        return 1\n    return inner\n",
    ]
    text = "import subprocess\n\n\n" + "\n\n".join(funcs)
    settings = Settings(root=ROOT)
    for name in ("plain", "documented", "commented", "wrapped", "decorated"):
        state = incremental.State()
        analyze(_spliced(state, text, "m.py"), settings, tiers=("fast",), state=state)
        lines = text.split("\n")
        def_line = next(i for i, line in enumerate(lines) if line.startswith(f"def {name}("))
        at = next(i for i in range(def_line + 1, len(lines)) if lines[i].startswith("    ") and lines[i].strip() and not lines[i].strip().startswith(("#", "cmd", "):")))
        typed = "subprocess.run(cmd, shell=True)"
        versions = ["\n".join(lines[:at] + ["    "] + lines[at:])]
        versions += ["\n".join(lines[:at] + ["    " + typed[:n]] + lines[at:]) for n in range(1, len(typed) + 1)]
        before = state.incremental_runs
        for version in versions:
            got = _dicts(analyze(_spliced(state, version, "m.py"), settings, tiers=("fast",), state=state))
            assert got == _dicts(analyze(SourceFile(version, "m.py"), settings, tiers=("fast",))), (name, version)
        parsed = sum(_parses(v) for v in versions)
        assert state.incremental_runs - before == parsed, name  # every version that parses: incremental
