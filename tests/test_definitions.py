"""Callees read from source (leery.rules.apis.definitions): what a dotted name is defined as,
without running anything, and the keywords LY405 then accepts."""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import pytest

from leery.core.config import Settings
from leery.core.engine import analyze
from leery.core.source import SourceFile
from leery.rules.apis import definitions

SYS = tuple(p for p in sys.path if p)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def where(found) -> list[tuple[str, int]]:
    assert isinstance(found, list), found
    return [(Path(d.path).name, d.node.lineno) for d in found]


def ly405(root: Path, rel: str) -> list[tuple[int, str]]:
    path = root / rel
    settings = Settings(root=root, select=["LY405", "LY004"], strict=True)
    findings = analyze(SourceFile(path.read_text(encoding="utf-8"), str(path)), settings)
    return [(f.span.start_line + 1, f.message) for f in findings]


def test_standard_library_functions_are_read_from_their_source():
    found = definitions.resolve("json.dumps", SYS)
    assert where(found) == [("__init__.py", found[0].node.lineno)]
    assert found[0].node.name == "dumps" and not found[0].stub
    # os.path is posixpath here (os.py's first branch, as LY404 reads it)
    assert [d.node.name for d in definitions.resolve("os.path.join", SYS)] == ["join"]


def test_compiled_functions_come_from_typeshed():
    """os.py star-imports `stat` from the compiled posix module: typeshed's stub of os says what it is."""
    found = definitions.resolve("os.stat", SYS)
    assert all(d.stub and d.node.name == "stat" for d in found)
    assert all(d.stub for d in definitions.resolve("time.sleep", SYS))


def test_a_module_that_is_not_installed_is_missing_not_open():
    assert definitions.resolve("nosuchmodule_for_leery_tests.f", SYS) == definitions.MISSING
    assert definitions.resolve("json.no_such_function", SYS) == definitions.OPEN
    assert definitions.resolve("json", SYS) == definitions.OPEN  # a module is not a callee


@pytest.mark.parametrize("test, expected", [
    ("sys.version_info >= (3, 0)", True),
    ("sys.version_info < (3, 0)", False),
    ("sys.version_info >= (3, 0) and sys.platform == 'no-such-os'", False),
    ("not sys.version_info < (3, 0)", True),
    ("sys.platform != 'no-such-os'", True),
    ("sys.platform.startswith('no-such-os')", False),
    ("TYPE_CHECKING", False),
    ("HAS_FEATURE", None),
    ("sys.version_info >= (3, 0) or HAS_FEATURE", True),
])
def test_version_and_platform_tests_are_evaluated_for_this_interpreter(test, expected):
    assert definitions.condition(ast.parse(test, mode="eval").body) is expected


def test_bindings_follow_branches_reexports_and_the_last_definition(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": "from .impl import send as send\nfrom .impl import *\n",
        "pkg/impl.py": """\
            import sys
            from typing import overload
            __all__ = ["star"]

            @overload
            def send(a: int) -> int: ...
            @overload
            def send(a: str) -> str: ...
            def send(a, retries=1):
                return a

            def star(x):
                return x

            if sys.version_info >= (3, 0):
                def branch(new=1): ...
            else:
                def branch(old=1): ...

            if FLAG:
                def either(one=1): ...
            else:
                def either(two=1): ...

            alias = star
            computed = make()
            """,
    })
    search = (str(tmp_path), *SYS)
    # The implementation after the @overloads is what runs (a stub's overloads would all count).
    assert where(definitions.resolve("pkg.send", search)) == [("impl.py", 9)]
    assert where(definitions.resolve("pkg.star", search)) == [("impl.py", 12)]
    assert where(definitions.resolve("pkg.impl.branch", search)) == [("impl.py", 16)]
    assert where(definitions.resolve("pkg.impl.either", search)) == [("impl.py", 21), ("impl.py", 23)]
    assert where(definitions.resolve("pkg.impl.alias", search)) == [("impl.py", 12)]
    assert definitions.resolve("pkg.impl.computed", search) == definitions.OPEN


def test_dynamic_modules_are_open(tmp_path):
    write(tmp_path, {
        "lazy.py": "def __getattr__(name):\n    return len\n",
        "filled.py": "globals().update(x=len)\n",
        "late.py": "def hook(a):\n    return a\n\ndef setup():\n    global hook\n    hook = len\n",
    })
    search = (str(tmp_path), *SYS)
    assert definitions.resolve("lazy.anything", search) == definitions.OPEN
    assert definitions.resolve("filled.x", search) == definitions.OPEN
    assert definitions.resolve("late.hook", search) == definitions.OPEN  # rebound when setup() runs


def test_methods_are_found_in_the_class_or_its_bases(tmp_path):
    write(tmp_path, {"shapes.py": """\
        class Base:
            def area(self, scale=1):
                return 0

        class Square(Base):
            def __init__(self, side):
                self.side = side

        class Unknown(SomethingElse):
            pass
        """})
    search = (str(tmp_path), *SYS)
    found = definitions.resolve("shapes.Square.area", search)
    assert where(found) == [("shapes.py", 2)] and found[0].in_class
    assert definitions.resolve("shapes.Unknown.area", search) == definitions.OPEN


def test_kwargs_are_followed_through_self_super_cls_and_local_names(tmp_path):
    write(tmp_path, {
        "lib.py": """\
            class Base:
                def __init__(self, name, color=None):
                    self.name = name

            class Child(Base):
                def __init__(self, size, **kwargs):
                    super().__init__(**kwargs)
                    self.size = size

                @classmethod
                def make(cls, **kwargs):
                    return cls(**kwargs)

                def render(self, **options):
                    return self.draw(**options)

                def draw(self, width=80):
                    return width

            def build(factory=None, **kw):
                if factory is None:
                    factory = Child
                return factory(**kw)
            """,
        "use.py": """\
            import lib
            lib.Child(1, name="a", colour="red")
            lib.Child.make(size=1, name="a", color="red")
            lib.Child.make(size=1, nam="a")
            lib.build(size=1, name="a", widht=3)
            lib.Child(1, name="a", color="red")
            """,
    })
    assert ly405(tmp_path, "use.py") == [
        (2, "`lib.Child()` takes no keyword `colour`; did you mean `color`?"),
        (4, "`lib.Child.make()` takes no keyword `nam`; did you mean `name`?"),
        (5, "`lib.build()` takes no keyword `widht`"),
    ]


def test_dataclass_fields_without_bases(tmp_path):
    write(tmp_path, {
        "models.py": """\
            from dataclasses import dataclass, field
            from typing import ClassVar

            @dataclass
            class Point:
                x: int
                y: int = 0
                kind: ClassVar[str] = "point"
                cache: dict = field(default_factory=dict, init=False)

            @dataclass
            class Point3(Point):
                z: int = 0
            """,
        "use.py": "from models import Point, Point3\nPoint(1, y=2)\nPoint(1, z=2)\nPoint(1, cache={})\nPoint3(1, z=2, w=3)\n",
    })
    assert ly405(tmp_path, "use.py") == [
        (3, "`Point()` takes no keyword `z`"),
        (4, "`Point()` takes no keyword `cache`"),
    ]


def test_relative_imports_and_stub_files(tmp_path):
    write(tmp_path, {
        "app/__init__.py": "",
        "app/mail.py": "def send(to, retries=1):\n    return to\n",
        "app/views.py": "from .mail import send\nfrom . import mail\nsend('a', retry=2)\nmail.send('a', retires=2)\n",
        "app/views.pyi": "from .mail import send\nsend('a', retry=2)\n",
        "loose.py": "from .mail import send\nsend('a', retry=2)\n",
    })
    assert ly405(tmp_path, "app/views.py") == [
        (3, "`send()` takes no keyword `retry`"),
        (4, "`mail.send()` takes no keyword `retires`; did you mean `retries`?"),
    ]
    assert ly405(tmp_path, "app/views.pyi") == []  # stubs are never run
    assert ly405(tmp_path, "loose.py") == []  # not in a package: the import itself fails


def test_no_jedi_for_callees_read_from_source(tmp_path, monkeypatch):
    """jedi's parser is pure Python: a cold run paid seconds per file for it."""
    from leery.analyzers import jedi_env

    asked: list = []
    monkeypatch.setattr(jedi_env, "script", lambda *args: asked.append(args))
    write(tmp_path, {"use.py": "import json, os, shutil, subprocess\njson.dumps(1, sort=True)\nos.stat('x', follow=True)\nshutil.rmtree('x', ignore_error=True)\nsubprocess.run(['x'], capture=True)\n"})
    assert [line for line, _ in ly405(tmp_path, "use.py")] == [2, 3, 4, 5]
    assert asked == []


def test_compiled_third_party_modules():
    from leery.rules.apis import modules

    # mypyc compiles tomli: the .py beside each .so is what it was compiled from.
    found = definitions.resolve("tomli.loads", SYS)
    assert [d.node.name for d in found] == ["loads"] and found[0].path.endswith("_parser.py")
    # A C extension with no source or stub beside it: only jedi can tell.
    module = modules.find("yaml._yaml", SYS)
    if module is None or module.kind != "extension":
        pytest.skip("PyYAML without its C extension")
    assert definitions.resolve("yaml._yaml.CParser", SYS) == definitions.ASK
