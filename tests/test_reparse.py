"""Parsing only the edited function (leery.core.reparse) gives the tree `ast.parse` gives.

Chains of random edits on real files; after each, the tree the lineage builds must dump equal to
a fresh parse with every position (`include_attributes=True`), and a version that does not parse
must report the same error. The edits aim at the splice's edges: lines typed just after a
function, dedented or re-indented lines, a def line changed, brackets and strings left open.
"""

from __future__ import annotations

import ast
import os
import random
from pathlib import Path

import pyflakes
import pytest

from leery.core import reparse
from leery.core.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(pyflakes.__file__).parent.parent
EDITS = int(os.environ.get("REPARSE_EDITS", "60"))

TYPED = ["x = 1", "return x", "pass", "if a:", "    y = (1,", "'''", "def inner():", "@decorator", "# note", "",
         "else:", "print(f'{a}')", "\tz = 2", "async def later():", "class Inner:", "x = [", "]", "lambda: (yield)"]


def _files() -> list[Path]:
    samples = sorted(p for p in (ROOT / "samples").rglob("*.py") if not p.name.endswith(".fixed.py"))[::4]
    own = [ROOT / "server/leery/core/engine.py", ROOT / "server/leery/lsp/scheduler.py"]
    site = [SITE / "pyflakes/checker.py", SITE / "jedi/api/__init__.py", SITE / "bandit/core/manager.py"]
    return [p for p in samples + own + site if p.exists()]


def _function_lines(text: str) -> list[int]:
    """Lines of functions and methods (bodies and headers) and the line after each."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    out: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.extend(range(node.lineno - 1, node.end_lineno + 1))
    return out


def _edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    line = rng.choice(_function_lines(text) or list(range(len(lines))))
    line = min(line, len(lines) - 1)
    current = lines[line]
    indent = current[: len(current) - len(current.lstrip())]
    kind = rng.random()
    if kind < 0.2:  # a statement typed on a new line
        lines.insert(line, indent + rng.choice(["x = 1", "return x", "pass", "print(f'{a}')", "# note", "y = [\n1]"]))
    elif kind < 0.3:  # a line typed at this line's indentation or another, often not valid yet
        lines.insert(line, rng.choice([indent, indent + "    ", indent[:-4], "", "\t"]) + rng.choice(TYPED))
    elif kind < 0.45 and len(lines) > 1:
        del lines[line]
    elif kind < 0.6:  # indentation changed
        lines[line] = rng.choice(["", " ", "\t", "    "]) + current if rng.random() < 0.5 else current.lstrip()
    elif kind < 0.9 and current.strip():  # a character typed or deleted
        col = rng.randrange(len(current))
        if rng.random() < 0.5:
            lines[line] = current[:col] + rng.choice("x_1 (.:'\"[]") + current[col:]
        else:
            lines[line] = current[:col] + current[col + 1 :]
    else:  # Enter at the end of the line
        lines.insert(line + 1, indent)
    return "\n".join(lines)


def _parse_or_error(text: str):
    source = SourceFile(text, "m.py")
    return source.error if source.tree is None else ast.dump(source.tree, include_attributes=True)


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_spliced_tree_equals_a_fresh_parse(path: Path, monkeypatch) -> None:
    spliced = []
    real_splice = reparse._splice

    def counting(lineage, text):
        tree = real_splice(lineage, text)
        spliced.append(tree is not None)
        return tree

    monkeypatch.setattr(reparse, "_splice", counting)
    rng = random.Random(path.name)
    text = path.read_text(encoding="utf-8")
    source, lineage = reparse.source_for(None, text, "m.py")
    good = text
    for step in range(EDITS):
        # Typing goes through versions that do not parse; a person mends them (or undoes).
        text = _edit(good if source.tree is None and rng.random() < 0.7 else text, rng)
        source, lineage = reparse.source_for(lineage, text, "m.py")
        if source.tree is not None:
            good = text
        got = source.error if source.tree is None else ast.dump(source.tree, include_attributes=True)
        assert got == _parse_or_error(text), f"step {step}"
        assert source.lines == SourceFile(text, "m.py").lines
    assert sum(spliced) >= 3, f"the splice was used {sum(spliced)} times in {EDITS} edits"


def _lineage(text: str):
    return reparse.source_for(None, text, "m.py")[1]


def test_a_dedented_line_after_a_method_is_not_part_of_it() -> None:
    text = "class A:\n    def f(self):\n        return 1\n\n    def g(self):\n        pass\n"
    lineage = _lineage(text)
    for new in (
        text.replace("return 1\n", "return 1\n    x = 2\n"),  # a class-level statement
        text.replace("return 1\n", "return 1\ny = 2\n"),  # a module-level one
        text.replace("        return 1", "      return 1"),  # an indentation the class does not have
        text.replace("    def f(self)", "  def f(self)"),
    ):
        source, _ = reparse.source_for(_lineage(text), new, "m.py")
        assert (None if source.tree is None else ast.dump(source.tree, include_attributes=True)) == (
            None if SourceFile(new).tree is None else ast.dump(SourceFile(new).tree, include_attributes=True)
        )
    assert lineage is not None


def test_an_edit_inside_a_function_parses_only_that_function(monkeypatch) -> None:
    text = "import os\n\n\ndef f():\n    return 1\n\n\nclass A:\n    def g(self):\n        return 2\n\n    def h(self):\n        return 3\n"
    lineage = _lineage(text)
    parsed: list[str] = []
    real = ast.parse
    monkeypatch.setattr(reparse.ast, "parse", lambda snippet, **kw: parsed.append(snippet) or real(snippet, **kw))
    new = text.replace("return 2", "value = 2\n        return value")
    source, lineage = reparse.source_for(lineage, new, "m.py")
    assert len(parsed) == 1 and "def g" in parsed[0] and "def h" not in parsed[0] and "def f" not in parsed[0]
    assert ast.dump(source.tree, include_attributes=True) == ast.dump(ast.parse(new), include_attributes=True)
    assert source.tree.body[2].body[1].lineno == 13  # h moved down a line


def test_a_function_right_after_a_statement_is_spliced(monkeypatch) -> None:
    text = "x = 1\ndef f():\n    return 1\ny = 2\ndef g():\n    return 2\n"
    lineage = _lineage(text)
    calls = []
    real = reparse._parse_unit
    monkeypatch.setattr(reparse, "_parse_unit", lambda *a: calls.append(a) or real(*a))
    for old, replacement in (("return 1", "return 11"), ("def g():\n", "def g():\n    pass\n")):
        new = text.replace(old, replacement)
        source, lineage = reparse.source_for(lineage, new, "m.py")
        assert ast.dump(source.tree, include_attributes=True) == ast.dump(ast.parse(new), include_attributes=True)
        text = new
    assert len(calls) == 2


def _same_as_a_full_parse(old: str, new: str) -> bool:
    """Whether the lineage of `old` turns `new` into what a full parse of `new` gives."""
    source, _ = reparse.source_for(_lineage(old), new, "m.py")
    return _parse_or_error(new) == (source.error if source.tree is None else ast.dump(source.tree, include_attributes=True))


def test_a_function_whose_first_line_continues_a_backslash_line_is_not_spliced() -> None:
    # The tokenizer measures the def's indentation on the `\` line (the class body's), the
    # snippet on the def line: a body indented 3 is inside a def at 2, not one at 4.
    old = "class A:\n    x = 1\n    \\\n  def f(self):\n      return 1\n"
    assert _same_as_a_full_parse(old, old.replace("      return 1", "   return 1"))
    old = "\\\ndef f():\n    return 1\n"
    assert _same_as_a_full_parse(old, old.replace("return 1", "return 2"))


def test_a_decorator_split_after_its_at_sign_is_not_spliced() -> None:
    # The decorator's expression (where the unit seemed to start) continues the `@ \` line:
    # deleting it leaves `@ def b`, which the function's lines parsed alone do not show.
    for old, line in (("class G:\n    @ \\\n    d\n    def b(self):\n        pass\n", "    d\n"),
                      ("@ \\\nd\ndef b():\n    pass\n", "d\n")):
        assert _same_as_a_full_parse(old, old.replace(line, "", 1))


def test_a_unit_nested_to_the_parser_s_limit_gets_what_a_full_parse_gets() -> None:
    # 3.11's ast.parse counts nesting from the caller's stack depth: near the limit a unit parsed
    # alone must not succeed where the full parse (a frame or two deeper) fails.
    old = "def f():\n    x = 1\n    return 2\n"

    def text(n: int) -> str:
        return "def f():\n    x = 1\n    return " + "+".join(["1"] * n) + "\n"

    def parses(n: int) -> bool:
        return reparse.source_for(None, text(n), "m.py")[0].tree is not None

    low, high = 10, 20000  # parses(low), not parses(high): find the first n that does not
    assert parses(low) and not parses(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if parses(middle) else (low, middle)
    for n in range(high - 80, high + 12):  # `parses` runs a frame deeper than this loop
        spliced, _ = reparse.source_for(_lineage(old), text(n), "m.py")
        full, _ = reparse.source_for(None, text(n), "m.py")
        assert (spliced.tree is None, spliced.error) == (full.tree is None, full.error), n


def test_a_second_bom_is_an_error_as_in_a_full_parse() -> None:
    # SourceFile drops one BOM; a second one is a character the parser refuses.
    for old in ("def f():\n    return 1\n", "x = 1\ndef f():\n    return 1\n"):
        assert _same_as_a_full_parse(old, "\ufeff\ufeff" + old.replace("return 1", "return 2"))
        assert _same_as_a_full_parse(old, "\ufeff" + old.replace("return 1", "return 2"))


def test_a_backslash_on_the_last_line_of_the_file_is_an_error_as_in_a_full_parse() -> None:
    # The text ends with `\` and its newline: EOF follows, an error. The snippet must not add a
    # line break of its own (which would end the continuation and parse).
    for old, typed in (("def s():\n    yield 1", "\n    return 1 \\\n"),
                       ("class E:\n    def s(self):\n        yield 1\n", "        return 1 \\\n")):
        assert _same_as_a_full_parse(old, old + typed)
