"""The duplicate index (fingerprints, MinHash/LSH, Workspace build/update/remove, disk cache,
git order) and the LY301/LY302 rules on small real projects written to a temporary folder."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from leery.core.config import ConfigError, Settings, load_settings
from leery.core.engine import analyze
from leery.core.fixes import fix_until_stable
from leery.core.source import SourceFile
from leery.workspace import Workspace
from leery.workspace import fingerprint, index as index_module, minhash
from leery.workspace.cache import FORMAT

SLUGIFY = '''
import re


def slugify(title):
    """Lower-case, dashes between words."""
    text = title.lower().strip()
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")
'''

COPY = '''
import re


def make_slug(headline):
    slug = headline.lower().strip()
    slug = re.sub(r"[^a-z0-9]+", "-", slug)
    return slug.strip("-")
'''


def shape(code: str) -> fingerprint.Shape:
    func = ast.parse(textwrap.dedent(code)).body[0]
    return fingerprint.shape_of(func)  # type: ignore[arg-type]


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def workspace(root: Path, mode: str = "cli", **section) -> Workspace:
    settings = Settings(root=root, select=["LY3"], sections={"duplicates": {"cache": False, **section}})
    ws = Workspace(root, settings)
    ws.mode = mode
    ws.build()
    return ws


def findings(ws: Workspace, rel: str, text: str | None = None, code: str | None = None):
    path = ws.root / rel
    text = path.read_text(encoding="utf-8") if text is None else text
    found = analyze(SourceFile(text, str(path)), ws.settings, ws)
    return [f for f in found if code is None or f.code == code]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, {"core/__init__.py": "", "core/text.py": SLUGIFY, "web/views.py": COPY})
    return tmp_path


# -- fingerprints -------------------------------------------------------------------------------
def test_renamed_locals_give_the_same_fingerprint():
    a = shape("def f(x):\n    y = x * 2\n    return y + 1\n")
    b = shape("def g(value):\n    doubled = value * 2\n    return doubled + 1\n")
    assert a.exact == b.exact and a.literal == b.literal


def test_literals_are_abstracted_but_remembered():
    a = shape("def f(x):\n    return x.strip('-') + 'a'\n")
    b = shape("def f(x):\n    return x.strip('_') + 'b'\n")
    assert a.exact == b.exact
    assert a.literal != b.literal


def test_docstrings_do_not_count():
    a = shape('def f(x):\n    """Doc."""\n    return x + 1\n')
    b = shape("def f(x):\n    return x + 1\n")
    assert a.exact == b.exact


def test_global_names_and_attributes_are_behaviour():
    a = shape("def f(s):\n    return re.sub('a', 'b', s)\n")
    b = shape("def f(s):\n    return re.match('a', 'b', s)\n")
    c = shape("def f(s):\n    return s.lower()\n")
    d = shape("def f(s):\n    return s.upper()\n")
    assert a.exact != b.exact and c.exact != d.exact


def test_structure_matters_not_only_the_token_bag():
    a = shape("def f(a, b):\n    if a:\n        return b\n    return a\n")
    b = shape("def f(a, b):\n    if a:\n        pass\n    return b\n")
    assert a.exact != b.exact


def test_near_copies_are_similar_and_unrelated_code_is_not():
    a = shape(SLUGIFY.split("\n\n\n")[1])
    b = shape("def s(t):\n    t = t.lower().strip()\n    t = re.sub(r'[^a-z0-9]+', '-', t)\n    t = t.replace('--', '-')\n    return t.strip('-')\n")
    c = shape("def total(rows):\n    out = 0\n    for row in rows:\n        out += row.amount\n    return out\n")
    assert fingerprint.jaccard(a.shingles, b.shingles) > 0.5
    assert fingerprint.jaccard(a.shingles, c.shingles) < 0.2


def test_hashes_do_not_depend_on_the_process_hash_seed():
    """The disk cache and forked CLI workers rely on it (Python salts str hashes)."""
    code = (
        "import ast, json; from leery.workspace import fingerprint, minhash\n"
        "s = fingerprint.shape_of(ast.parse(open(0).read()).body[0])\n"
        "print(json.dumps([s.exact, s.literal, list(s.shingles), list(minhash.band_keys(s.shingles))]))\n"
    )
    source = "def f(a, b='x'):\n    return re.sub(a, b, 'y').lower()\n"
    outputs = set()
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code], input=source, capture_output=True, text=True, env=env, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_lsh_buckets_near_copies_together():
    a = shape("def f(xs):\n    out = []\n    for x in xs:\n        if x > 0:\n            out.append(x * 2)\n    return sorted(out)\n")
    b = shape("def g(ys):\n    res = []\n    for y in ys:\n        if y > 0:\n            res.append(y * 2)\n    return sorted(res)\n")
    assert set(minhash.band_keys(a.shingles)) & set(minhash.band_keys(b.shingles))


# -- the workspace and LY301 ----------------------------------------------------------------------
def test_cli_reports_the_pair_once_on_the_later_path(project: Path):
    ws = workspace(project)
    assert [f.line for f in findings(ws, "web/views.py", code="LY301")] == [4]
    assert findings(ws, "core/text.py", code="LY301") == []
    finding = findings(ws, "web/views.py", code="LY301")[0]
    assert "core.text.slugify" in finding.message and "core/text.py:5" in finding.message
    assert finding.related[0].path == str(project / "core" / "text.py")
    assert finding.related[0].span.start_line == 4
    assert finding.extra["existing"]["name"] == "core.text.slugify"


def test_without_a_workspace_ly301_and_ly302_are_silent(project: Path):
    text = (project / "web/views.py").read_text()
    assert [f for f in analyze(SourceFile(text, "web/views.py"), Settings(select=["LY301", "LY302"]))] == []


def test_a_new_helper_in_an_unsaved_buffer_is_flagged_before_saving(tmp_path: Path):
    write(tmp_path, {"core/__init__.py": "", "core/text.py": SLUGIFY, "web/views.py": "import re\n"})
    ws = workspace(tmp_path, mode="editor")
    path = tmp_path / "web/views.py"
    buffer = textwrap.dedent(COPY)
    changed = ws.update(path, buffer)
    assert changed == {str(tmp_path / "core" / "text.py")}
    assert [f.code for f in findings(ws, "web/views.py", buffer)] == ["LY301"]
    assert path.read_text() == "import re\n"  # nothing was written


def test_editor_reports_on_the_function_being_edited(project: Path):
    ws = workspace(project, mode="editor")
    original = project / "core/text.py"
    assert findings(ws, "core/text.py", code="LY301") == []
    edited = original.read_text().replace('"""Lower-case, dashes between words."""', '"""Edited docstring."""')
    # A docstring edit does not change the function's code: the finding stays where it was.
    assert ws.update(original, edited) == set()
    assert findings(ws, "core/text.py", edited, code="LY301") == []
    edited = edited.replace('text.strip("-")', 'text.strip("_")')
    changed = ws.update(original, edited)
    assert changed == {str(project / "web" / "views.py")}  # its finding moves here
    assert [f.line for f in findings(ws, "core/text.py", edited, code="LY301")] == [4]
    assert findings(ws, "web/views.py", code="LY301") == []


def test_removing_the_original_clears_the_copy(project: Path):
    ws = workspace(project)
    (project / "core/text.py").unlink()
    assert ws.remove(project / "core/text.py") == {str(project / "web" / "views.py")}
    assert findings(ws, "web/views.py", code="LY301") == []


def test_update_refingerprints_only_the_changed_function(project: Path, monkeypatch):
    extra = "\n\ndef other(a, b):\n    total = a * 3 + b\n    if total > 10:\n        total = 10\n    return total\n"
    (project / "core/text.py").write_text(textwrap.dedent(SLUGIFY) + extra)
    ws = workspace(project, mode="editor")
    calls = []
    real = index_module.shape_of
    monkeypatch.setattr(index_module, "shape_of", lambda func: calls.append(func.name) or real(func))
    text = (project / "core/text.py").read_text()
    ws.update(project / "core/text.py", text.replace("total > 10", "total > 11"))
    assert calls == ["other"]


def test_excluded_files_are_not_indexed(project: Path):
    settings = Settings(root=project, select=["LY3"], exclude=["core"], sections={"duplicates": {"cache": False}})
    ws = Workspace(project, settings)
    ws.build()
    assert str(project / "core" / "text.py") not in ws.index.files
    assert findings(ws, "web/views.py", code="LY301") == []


def test_threshold_is_configurable_and_validated(tmp_path: Path):
    body = (
        "    out = []\n    seen = set()\n    for x in xs:\n        if x is None or x in seen:\n            continue\n"
        "        seen.add(x)\n        if x > limit:\n            out.append(limit)\n        else:\n            out.append(x * 2)\n"
        "{extra}    return sorted(out, reverse=True)\n"
    )
    write(tmp_path, {
        "a.py": "def f(xs, limit):\n" + body.format(extra=""),
        "b.py": "def g(xs, limit):\n" + body.format(extra="    print(len(out))\n"),
    })
    assert [f.code for f in findings(workspace(tmp_path), "b.py")] == ["LY301"]
    assert findings(workspace(tmp_path, threshold=0.95), "b.py") == []
    (tmp_path / "pyproject.toml").write_text("[tool.leery.duplicates]\nthreshold = 0.95\nmin-statements = 2\n")
    assert load_settings(tmp_path).section("duplicates") == {"threshold": 0.95, "min-statements": 2}
    (tmp_path / "pyproject.toml").write_text("[tool.leery.duplicates]\nthreshold = 2\n")
    with pytest.raises(ConfigError, match="threshold"):
        load_settings(tmp_path)


def test_interfaces_dunders_properties_and_tests_are_not_helpers(tmp_path: Path):
    method = "    def {name}(self, path):\n        with open(path) as handle:\n            lines = handle.read().splitlines()\n        return [l for l in lines if l and not l.startswith('#')]\n"
    write(tmp_path, {
        "a.py": "class A:\n" + method.format(name="load") + method.format(name="__call__"),
        "b.py": "class B:\n" + method.format(name="load") + method.format(name="__call__"),
        "tests/test_a.py": "def helper(path):\n    with open(path) as handle:\n        lines = handle.read().splitlines()\n    return [l for l in lines if l]\n",
        "tests/test_b.py": "def helper2(path):\n    with open(path) as handle:\n        lines = handle.read().splitlines()\n    return [l for l in lines if l]\n",
    })
    ws = workspace(tmp_path)
    assert findings(ws, "b.py") == [] and findings(ws, "tests/test_b.py") == []
    assert [f.code for f in findings(workspace(tmp_path, **{"include-tests": True}), "tests/test_b.py")] == ["LY301"]


def test_git_history_decides_which_copy_came_later(tmp_path: Path):
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    write(tmp_path, {"z_old.py": SLUGIFY})

    def git(*args: str, date: str | None = None) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@example.org"}
        if date:
            env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "z_old.py")
    git("commit", "-q", "-m", "old", date="2020-01-01T00:00:00")
    write(tmp_path, {"a_new.py": COPY})
    git("add", "a_new.py")
    git("commit", "-q", "-m", "new", date="2021-01-01T00:00:00")
    ws = workspace(tmp_path)
    assert [f.code for f in findings(ws, "a_new.py")] == ["LY301"]  # path order alone would pick z_old.py
    assert findings(ws, "z_old.py") == []


# -- LY302 --------------------------------------------------------------------------------------
def test_divergent_namesakes_are_reported_once_and_conventional_names_are_not(tmp_path: Path):
    write(tmp_path, {
        "a/__init__.py": "",
        "a/dates.py": "from datetime import datetime\n\ndef parse_date(v):\n    v = v.strip()\n    return datetime.strptime(v, '%Y-%m-%d')\n\ndef main():\n    print(parse_date('2020-01-01'))\n",
        "b/__init__.py": "",
        "b/dates.py": "from datetime import datetime\n\ndef parse_date(v):\n    v = v.strip()\n    return datetime.strptime(v, '%d/%m/%Y')\n\ndef main():\n    print(parse_date('01/01/2020'), 'b')\n",
    })
    ws = workspace(tmp_path)
    assert findings(ws, "a/dates.py") == []
    found = findings(ws, "b/dates.py")
    assert [(f.code, f.line) for f in found] == [("LY302", 2)]
    assert "a.dates" in found[0].message and "literal values" in found[0].message


# -- fixes --------------------------------------------------------------------------------------
def _fixed(ws: Workspace, rel: str) -> str:
    path = ws.root / rel
    text, _ = fix_until_stable(path.read_text(), str(path), lambda s: analyze(s, ws.settings, ws), unsafe=True)
    return text


def test_a_same_named_copy_is_replaced_by_an_import(tmp_path: Path):
    write(tmp_path, {"core/__init__.py": "", "core/text.py": SLUGIFY, "web/views.py": SLUGIFY.replace("text", "t") + "\n\nprint(slugify('A b'))\n"})
    ws = workspace(tmp_path)
    fixed = _fixed(ws, "web/views.py")
    assert "from core.text import slugify\n" in fixed and "def slugify" not in fixed
    compile(fixed, "views.py", "exec")


def test_a_renamed_copy_keeps_its_signature_and_calls_the_helper(project: Path):
    ws = workspace(project)
    finding = findings(ws, "web/views.py", code="LY301")[0]
    assert finding.fix.title == "Replace with a call to `core.text.slugify`" and finding.fix.applicability.value == "unsafe"
    fixed = _fixed(ws, "web/views.py")
    assert "from core.text import slugify\n" in fixed
    assert "def make_slug(headline):\n    return slugify(headline)\n" in fixed


def test_no_edit_when_the_signatures_differ(tmp_path: Path):
    copy = COPY.replace("def make_slug(headline):", "def make_slug(headline, sep='-'):")
    write(tmp_path, {"core/__init__.py": "", "core/text.py": SLUGIFY, "web/views.py": copy})
    finding = findings(workspace(tmp_path), "web/views.py", code="LY301")[0]
    assert finding.fix.applicability.value == "display-only"
    assert finding.fix.title.startswith("Go to the existing helper `core.text.slugify`")


# -- the disk cache -------------------------------------------------------------------------------
def cached_workspace(root: Path) -> Workspace:
    ws = Workspace(root, Settings(root=root, select=["LY3"]))
    ws.build()
    return ws


def test_the_cache_makes_a_rebuild_skip_fingerprinting(project: Path, monkeypatch):
    first = cached_workspace(project)
    cache_file = project / ".leery" / "cache" / f"functions-v{FORMAT}.json"
    assert cache_file.is_file()
    assert (project / ".leery" / "cache" / ".gitignore").read_text().strip().endswith("*")
    assert not (project / ".leery" / ".gitignore").exists()  # reviews.toml and baseline.json are committed

    def refuse(func):
        raise AssertionError("fingerprinted although cached")

    monkeypatch.setattr(index_module, "shape_of", refuse)
    second = cached_workspace(project)
    assert len(second.index) == len(first.index) > 0
    assert [f.code for f in findings(second, "web/views.py", code="LY301")] == ["LY301"]


def test_a_corrupt_cache_is_ignored(project: Path):
    folder = project / ".leery" / "cache"
    folder.mkdir(parents=True)
    (folder / f"functions-v{FORMAT}.json").write_text(json.dumps({"format": FORMAT, "files": {"x": [[1, 2, 3]], "y": "nope"}}))
    ws = cached_workspace(project)
    assert [f.code for f in findings(ws, "web/views.py", code="LY301")] == ["LY301"]


def test_the_cache_refuses_a_symlink_out_of_the_workspace(project: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (project / ".leery").symlink_to(outside, target_is_directory=True)
    cached_workspace(project)
    assert list(outside.rglob("*")) == []


def test_the_cache_does_not_follow_a_symlinked_cache_file(project: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "victim.json"
    outside.write_text("keep me")
    folder = project / ".leery" / "cache"
    folder.mkdir(parents=True)
    (folder / f"functions-v{FORMAT}.json").symlink_to(outside)
    cached_workspace(project)
    assert outside.read_text() == "keep me"


# -- the CLI ------------------------------------------------------------------------------------
def test_leery_check_reports_each_pair_once(project: Path):
    done = subprocess.run(
        [sys.executable, "-m", "leery", "check", str(project), "--select", "LY301,LY302", "--format", "json", "--no-progress"],
        capture_output=True, text=True, cwd=project,
    )
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    found = data["findings"] if isinstance(data, dict) else data
    assert [(Path(f["path"]).name, f["code"]) for f in found] == [("views.py", "LY301")]


def test_overrides_are_not_helpers_even_when_another_method_matches(tmp_path: Path):
    body = "(self, stmt, froms, **kw):\n        kw['asfrom'] = True\n        parts = [f.compile(self, **kw) for f in froms]\n        return 'FROM ' + ', '.join(parts)\n"
    write(tmp_path, {
        "base.py": "class Compiler:\n    def update_from" + body,
        "pg.py": "from base import Compiler\n\nclass PG(Compiler):\n    def update_from" + body + "\n    def delete_from" + body,
    })
    ws = workspace(tmp_path)
    # PG.update_from overrides Compiler.update_from (one interface), and delete_from's only
    # match is such an override: code that exists to be polymorphic is no helper to share.
    assert findings(ws, "pg.py") == [] and findings(ws, "base.py") == []
    (tmp_path / "base.py").write_text("class Compiler:\n    def other_name" + body)
    ws = workspace(tmp_path)
    assert [(f.code, f.line) for f in findings(ws, "pg.py")] == [("LY301", 3), ("LY301", 8)]


def test_registered_per_backend_variants_are_not_duplicates(tmp_path: Path):
    body = "(cfg, eng, ident):\n    with eng.begin() as conn:\n        conn.exec_driver_sql({sql!r} % ident)\n        conn.exec_driver_sql('GRANT ALL ON %s' % ident)\n"
    write(tmp_path, {
        "mysql_prov.py": "@create_db.for_db('mysql')\ndef _mysql_create_db" + body.format(sql="CREATE DATABASE %s"),
        "ora_prov.py": "@create_db.for_db('oracle')\ndef _oracle_create_db" + body.format(sql="CREATE USER %s"),
        "pg_prov.py": "@create_db.for_db('postgresql')\ndef _pg_create_db" + body.format(sql="CREATE DATABASE %s"),
    })
    ws = workspace(tmp_path)
    assert findings(ws, "ora_prov.py") == []  # differs in its SQL: a variant for its backend
    assert [f.code for f in findings(ws, "pg_prov.py")] == ["LY301"]  # identical: a real copy


def test_no_forwarding_call_between_a_coroutine_and_a_plain_function(tmp_path: Path):
    copy = COPY.replace("def make_slug", "async def make_slug")
    write(tmp_path, {"core/__init__.py": "", "core/text.py": SLUGIFY, "web/views.py": copy})
    finding = findings(workspace(tmp_path), "web/views.py", code="LY301")[0]
    assert finding.fix.applicability.value == "display-only"


def test_a_name_many_modules_define_is_a_protocol(tmp_path: Path):
    def command(extra: str) -> str:
        return f"def add_arguments(parser):\n    parser.add_argument('paths', nargs='*')\n{extra}"

    write(tmp_path, {
        "cmds/__init__.py": "",
        "cmds/check.py": command("    parser.add_argument('--fix', action='store_true')\n    parser.add_argument('--format', default='text')\n"),
        "cmds/rules.py": command("    group = parser.add_argument_group('x')\n    group.add_argument('--all', action='store_true')\n"),
        "cmds/serve.py": "def add_arguments(parser):\n    group = parser.add_mutually_exclusive_group()\n    group.add_argument('--stdio', action='store_true')\n    group.add_argument('--tcp', type=int)\n",
    })
    ws = workspace(tmp_path)
    assert [f for p in ("check", "rules", "serve") for f in findings(ws, f"cmds/{p}.py")] == []
    (tmp_path / "cmds/serve.py").unlink()
    ws = workspace(tmp_path)  # two modules only: a diverged pair is worth a look
    assert [f.code for f in findings(ws, "cmds/rules.py")] == ["LY302"]


def test_edits_during_a_background_build_are_kept(tmp_path: Path):
    import threading

    files = {f"pkg/m{i}.py": SLUGIFY.replace("slugify", f"slug{i}") for i in range(60)}
    write(tmp_path, {"pkg/__init__.py": "", **files})
    ws = Workspace(tmp_path, Settings(root=tmp_path, select=["LY3"], sections={"duplicates": {"cache": False}}))
    builder = threading.Thread(target=ws.build)
    builder.start()
    edited = tmp_path / "pkg" / "m59.py"
    buffer = textwrap.dedent(COPY)
    for _ in range(20):
        ws.update(edited, buffer)
    builder.join()
    # Whatever the interleaving, the index holds the buffer for the edited file, the disk for the others.
    assert [r.name for r in ws.index.files[str(edited)].records] == ["make_slug"]
    assert len(ws.index.files) == 61
    assert [f.code for f in findings(ws, "pkg/m59.py", buffer, code="LY301")] == ["LY301"]
