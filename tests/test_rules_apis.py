"""LY4xx beyond the samples: project files, lookups that must not import, jedi set-up and budget."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from leery.analyzers import jedi_env
from leery.core.config import Settings
from leery.core.engine import analyze
from leery.core.source import SourceFile
from leery.rules.apis import modules, names
from leery.workspace import dependencies


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def check(root: Path, rel: str, select=("LY4",), tiers=("fast", "slow")):
    path = root / rel
    settings = Settings(root=root, select=list(select), strict=True)
    return analyze(SourceFile(path.read_text(encoding="utf-8"), str(path)), settings, tiers=tiers)


def codes(findings) -> list[tuple[int, str]]:
    return [(f.span.start_line + 1, f.code) for f in findings]


# -- declared dependencies -------------------------------------------------------------------


def test_pyproject_tables_are_all_read(tmp_path):
    write(tmp_path, {"pyproject.toml": """
        [project]
        name = "Shop_App"
        dependencies = ["Flask_SQLAlchemy>=3", "requests[socks]; python_version>'3.8'"]
        [project.optional-dependencies]
        test = ["pytest"]
        [dependency-groups]
        lint = ["ruff", {include-group = "test"}]
        [build-system]
        requires = ["setuptools>=68"]
        [tool.poetry.dependencies]
        python = "^3.10"
        httpx = "*"
        [tool.poetry.group.docs.dependencies]
        mkdocs = "*"
        """, "pkg/mod.py": ""})
    declared = dependencies.nearest(tmp_path / "pkg" / "mod.py")
    assert declared is not None and declared.complete
    assert set(declared.names) == {"flask-sqlalchemy", "requests", "pytest", "ruff", "setuptools", "httpx", "mkdocs"}
    assert declared.project_name == "shop-app"
    assert declared.declares("flask.sqlalchemy") and not declared.declares("python")


def test_requirements_follow_includes_and_editables(tmp_path):
    write(tmp_path, {
        "requirements.txt": "-r requirements/base.txt\nDjango==5.0  # web\n-e git+https://example.invalid/x.git#egg=Internal_Lib\n--index-url https://example.invalid\n",
        "requirements/base.txt": "# base\ncelery>=5\n",
        "app.py": "",
    })
    declared = dependencies.nearest(tmp_path / "app.py")
    assert set(declared.names) == {"django", "internal-lib", "celery"}
    file, line = declared.names["django"]
    assert file.name == "requirements.txt" and line == 1


def test_setup_cfg_pipfile_and_literal_setup_py(tmp_path):
    write(tmp_path, {
        "setup.cfg": "[metadata]\nname = tool\n[options]\ninstall_requires =\n    click>=8\n    attrs\n[options.extras_require]\ndev = pytest\n",
        "Pipfile": '[packages]\nrich = "*"\n[dev-packages]\nblack = "*"\n',
        "setup.py": "from setuptools import setup\nsetup(name='tool', install_requires=['PyYAML'], extras_require={'x': ['lxml']})\n",
    })
    declared = dependencies.nearest(tmp_path / "setup.py")
    assert set(declared.names) == {"click", "attrs", "pytest", "rich", "black", "pyyaml", "lxml"}
    assert declared.complete


def test_computed_setup_py_or_dynamic_dependencies_are_incomplete(tmp_path):
    write(tmp_path, {"a/setup.py": "from setuptools import setup\nsetup(install_requires=read_requirements())\n"})
    write(tmp_path, {"b/pyproject.toml": '[project]\nname = "b"\ndynamic = ["dependencies"]\n'})
    write(tmp_path, {"c/pyproject.toml": '[project]\nname = "c"\ndynamic = ["dependencies"]\n[tool.setuptools.dynamic]\ndependencies = {file = ["reqs.txt"]}\n', "c/reqs.txt": "numpy\n"})
    assert dependencies.nearest(tmp_path / "a" / "x.py").complete is False
    assert dependencies.nearest(tmp_path / "b" / "x.py").complete is False
    c = dependencies.nearest(tmp_path / "c" / "x.py")
    assert c.complete and set(c.names) == {"numpy"}


def test_setup_py_is_never_executed(tmp_path):
    marker = tmp_path / "ran"
    write(tmp_path, {"setup.py": f"open({str(marker)!r}, 'w').write('x')\nfrom setuptools import setup\nsetup(install_requires=['a'])\n"})
    dependencies.nearest(tmp_path / "setup.py")
    assert not marker.exists()


def test_module_to_distribution_mapping():
    assert dependencies.distributions_of("yaml") == ["PyYAML"]
    assert dependencies.is_installed("pyyaml") and dependencies.is_installed("PyYAML")
    assert not dependencies.is_installed("flask-superauth")


# -- lookups never import ----------------------------------------------------------------------


def test_finding_a_submodule_does_not_import_its_package(tmp_path):
    marker = tmp_path / "imported"
    write(tmp_path, {
        "evilpkg/__init__.py": f"open({str(marker)!r}, 'w').write('x')\n",
        "evilpkg/sub.py": "VALUE = 1\n",
        "use.py": "import evilpkg.sub\nimport evilpkg.missing\nprint(evilpkg.sub.VALUE, evilpkg.sub.VALU)\n",
    })
    findings = check(tmp_path, "use.py")
    assert not marker.exists() and "evilpkg" not in sys.modules
    assert codes(findings) == [(2, "LY401"), (3, "LY404")]
    assert "`evilpkg` has no submodule `missing`" in findings[0].message
    assert findings[1].message == "`evilpkg.sub` has no `VALU`; did you mean `VALUE`?"


def test_dynamic_modules_stay_quiet(tmp_path):
    write(tmp_path, {
        "lazy.py": "def __getattr__(name):\n    return name\n",
        "registry.py": "globals().update({'made_up': 1})\n",
        "starry.py": "from nowhere_to_be_found import *\n",
        "static.py": "from lazy import *\nKNOWN = 1\n",
        "use.py": "import lazy, registry, starry, static\nprint(lazy.anything, registry.made_up, starry.x, static.KNOWN, static.unknown)\n",
    })
    # `static` star-imports a dynamic module, so it is dynamic too: nothing to report.
    assert codes(check(tmp_path, "use.py", select=["LY404"])) == []


def test_star_imports_and_all_are_followed(tmp_path):
    write(tmp_path, {
        "base.py": "__all__ = ['public']\ndef public(): ...\ndef other(): ...\n",
        "facade.py": "from base import *\n",
        "use.py": "import facade\nprint(facade.public, facade.other)\n",
    })
    findings = check(tmp_path, "use.py", select=["LY404"])
    assert codes(findings) == [(2, "LY404")] and "`facade` has no `other`" in findings[0].message


def test_os_path_resolves_through_the_import_in_os():
    search = modules.search_path(__file__, Path(__file__).parent)
    module = names.resolve_module("os.path", search)
    assert module is not None and module.name in ("posixpath", "ntpath")


def test_workspace_and_src_layout_modules_resolve(tmp_path):
    write(tmp_path, {
        "src/shopcore/__init__.py": "",
        "src/shopcore/prices.py": "def total(): ...\n",
        "tests/helpers.py": "",
        "tests/test_x.py": "import shopcore.prices\nimport helpers\nfrom shopcore import prices\nprint(shopcore, helpers, prices.total)\n",
    })
    assert codes(check(tmp_path, "tests/test_x.py")) == []


def test_relative_imports_resolve_on_disk(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from .b import thing\nfrom .missing import other\nfrom . import whatever\nprint(thing, other, whatever)\n",
        "pkg/b.py": "thing = 1\n",
    })
    assert codes(check(tmp_path, "pkg/a.py")) == [(2, "LY401")]


# -- dependencies in findings ------------------------------------------------------------------


def test_undeclared_and_unknown_dependencies(tmp_path):
    write(tmp_path, {
        "requirements.txt": "jedi\npyyaml-typo\n",
        "app.py": "import jedi\nimport yaml\nimport pyyaml_typo\nimport parso\n",
    })
    findings = check(tmp_path, "app.py")
    assert codes(findings) == [(2, "LY402"), (3, "LY403"), (4, "LY402")]
    assert "`yaml` comes from the distribution `PyYAML`, which requirements.txt does not declare" == findings[0].message
    assert findings[1].related and findings[1].related[0].path.endswith("requirements.txt")
    assert findings[1].related[0].span.start_line == 1


def test_no_project_file_means_no_dependency_findings(tmp_path):
    write(tmp_path, {"deep/app.py": "import yaml\n"})
    # tmp_path's parents may hold project files on some machines; only assert when none is found.
    if dependencies.nearest(tmp_path / "deep" / "app.py") is None:
        assert codes(check(tmp_path, "deep/app.py")) == []


# -- tiers, jedi and its budget ----------------------------------------------------------------


def test_jedi_rules_run_in_the_slow_tier_only(tmp_path):
    write(tmp_path, {"a.py": "import json\nimport os\njson.dumps(1, sort=True)\nos.path.exist('x')\nimport nothing_here\nx = []\nx.push(1)\n"})
    fast = check(tmp_path, "a.py", tiers=("fast",))
    slow = check(tmp_path, "a.py", tiers=("slow",))
    assert codes(fast) == [(7, "LY406")]
    assert codes(slow) == [(3, "LY405"), (4, "LY404"), (5, "LY401")]


def test_jedi_project_never_loads_unsafe_extensions(tmp_path):
    project = jedi_env.project(tmp_path)
    assert project._load_unsafe_extensions is False
    assert jedi_env.project(tmp_path) is project


def test_one_script_per_document_version(tmp_path):
    first = jedi_env.script(str(tmp_path / "a.py"), "import json\n", tmp_path)
    assert jedi_env.script(str(tmp_path / "a.py"), "import json\n", tmp_path) is first
    assert jedi_env.script(str(tmp_path / "a.py"), "import json\n\n", tmp_path) is not first


def test_budget_exhausted_reports_ly004_and_stops(tmp_path, monkeypatch):
    """The budget is jedi's (asked for third-party compiled modules: here, every callee)."""
    from leery.rules.apis import definitions

    monkeypatch.setattr(jedi_env, "BUDGET_SECONDS", 0.0)
    monkeypatch.setattr(definitions, "resolve", lambda *args: definitions.ASK)
    write(tmp_path, {"a.py": "import json\njson.dumps(1, sort=True)\njson.dumps(2, sort=True)\n"})
    findings = check(tmp_path, "a.py", select=["LY405", "LY004"])
    assert codes(findings) == [(2, "LY004")]
    assert "budget" in findings[0].message


def test_callees_read_from_source_need_no_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(jedi_env, "BUDGET_SECONDS", 0.0)
    write(tmp_path, {"a.py": "import json\njson.dumps(1, sort=True)\njson.dumps(2, sort=True)\n"})
    assert codes(check(tmp_path, "a.py", select=["LY405", "LY004"])) == [(2, "LY405"), (3, "LY405")]


def test_kwargs_used_otherwise_make_the_callee_open(tmp_path):
    write(tmp_path, {
        "lib.py": "def target(a, b=1):\n    return a\n\ndef forwards(x, **kw):\n    return target(x, **kw)\n\ndef stores(x, **kw):\n    CONFIG.update(kw)\n\ndef reads(**kw):\n    return kw.get('color')\n",
        "use.py": "import lib\nlib.forwards(1, b=2)\nlib.forwards(1, c=2)\nlib.stores(1, anything=3)\nlib.reads(color=1)\nlib.reads(colour=1)\n",
    })
    findings = check(tmp_path, "use.py", select=["LY405"])
    # `reads` ignores unknown keys rather than raising: not this rule's finding.
    assert codes(findings) == [(3, "LY405")]
    assert findings[0].message == "`lib.forwards()` takes no keyword `c`"


def test_methods_called_on_an_imported_class(tmp_path):
    write(tmp_path, {
        "lib.py": "class Panel:\n    def __init__(self, body, title=None):\n        self.body = body\n\n    @classmethod\n    def fit(cls, body, title=None):\n        return cls(body, title)\n\n    @staticmethod\n    def plain(body, width=80):\n        return body\n",
        "use.py": "from lib import Panel\nPanel.fit('x', title='t')\nPanel.fit('x', titel='t')\nPanel.plain('x', width=1)\nPanel('x', title='t', border=1)\n",
    })
    findings = check(tmp_path, "use.py", select=["LY405"])
    assert [(line, f.message) for (line, _), f in zip(codes(findings), findings)] == [
        (3, "`Panel.fit()` takes no keyword `titel`; did you mean `title`?"),
        (5, "`Panel()` takes no keyword `border`"),
    ]


def test_decorated_functions_are_not_checked(tmp_path):
    write(tmp_path, {
        "lib.py": "import functools\n\ndef deco(f):\n    return f\n\n@deco\ndef wrapped(a):\n    return a\n\n@functools.lru_cache\ndef cached(a):\n    return a\n",
        "use.py": "import lib\nlib.wrapped(1, b=2)\nlib.cached(a=1, b=2)\n",
    })
    assert codes(check(tmp_path, "use.py", select=["LY405"])) == []


# -- foreign idioms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, expected",
    [
        ("x = []\nx.push(1)\n", "`list` has no `push` (an idiom from another language); in Python use `append`"),
        ("d = dict()\nd.containsKey(1)\n", "`dict` has no `containsKey` (an idiom from another language); in Python use `in`"),
        ("s = 'a'\ns.lenght\n", "`str` has no `lenght`"),
        ("def f(x: str):\n    return x.trim()\n", "`str` has no `trim` (an idiom from another language); in Python use `strip`"),
    ],
)
def test_foreign_idiom_messages(tmp_path, code, expected):
    write(tmp_path, {"a.py": code})
    findings = check(tmp_path, "a.py", select=["LY406"])
    assert [f.message for f in findings] == [expected]


@pytest.mark.parametrize(
    "code",
    [
        "x = []\nx = make()\nx.push(1)\n",
        "def f(x):\n    x.push(1)\n",
        "x = []\ndef f():\n    global x\n    x = Stack()\n\ndef g():\n    x.push(1)\n",
        "for x in [[1]]:\n    x.push(1)\n",
        "def f(x: list):\n    return x.custom\n",
        "from mylib import list\nx = list()\nx.push(1)\n",
        "x = []\nprint([x.push for x in make()])\n",
    ],
)
def test_foreign_idiom_quiet_when_the_type_is_not_known(tmp_path, code):
    write(tmp_path, {"a.py": code})
    assert check(tmp_path, "a.py", select=["LY406"]) == []


def test_relative_paths_are_relative_to_the_working_directory(tmp_path, monkeypatch):
    # The CLI names files relative to where it runs; the workspace root may be a subfolder.
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "app"\n',
        "src/app/__init__.py": "VALUE = 1\n",
        "tests/test_app.py": "import app\nprint(app.VALUE, app.VALUES)\n",
    })
    monkeypatch.chdir(tmp_path)
    settings = Settings(root=tmp_path / "tests", select=["LY4"], strict=True)
    text = (tmp_path / "tests" / "test_app.py").read_text()
    findings = analyze(SourceFile(text, "tests/test_app.py"), settings)
    assert codes(findings) == [(2, "LY404")]


def test_namespace_packages_inside_namespace_packages_resolve(tmp_path):
    """Folders without `__init__.py` nested in one another: PathFinder looks the parent package
    up in sys.modules there (a KeyError: leery imports nothing), so leery lists the folders itself."""
    write(tmp_path, {
        "tools/scripts/helpers.py": "def run(): ...\n",
        "use.py": "from tools.scripts.helpers import run, runn\nimport tools.scripts.helpers\nprint(run, runn, tools.scripts.helpers.ran)\n",
    })
    findings = check(tmp_path, "use.py", select=["LY4"])
    assert codes(findings) == [(1, "LY404"), (3, "LY404")], [f.message for f in findings]


def test_a_module_that_calls_its_own_globals_writer_is_dynamic(tmp_path):
    """re._constants binds its opcodes in `_makecodes` (`globals().update(...)`), called at import."""
    write(tmp_path, {
        "codes.py": "def _make(*names):\n    globals().update({n: n for n in names})\n    return names\n\nOPS = _make('AT', 'IN')\n",
        "plain.py": "def _make(*names):\n    return globals()\n",
        "use.py": "import codes, plain\nimport re._constants as sre\nprint(codes.AT, sre.CATEGORY_DIGIT, plain.AT)\n",
    })
    findings = check(tmp_path, "use.py", select=["LY404"])
    assert codes(findings) == [(3, "LY404")] and "`plain` has no `AT`" in findings[0].message
