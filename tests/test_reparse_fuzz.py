"""Fuzzing the function-only reparse (leery.core.reparse) with hypothesis.

Editor-like edits (characters and lines typed or deleted, indentation changed, Enter at a line's
end, tricky fragments pasted) are applied in chains to real and hand-made modules, keeping the
lineage across steps as the language server does. After every step the result must equal a full
parse: the same dump with positions, or the same error, and the same lines. The splice is counted
so that the test cannot pass by always falling back to a full parse. A second test sweeps every
single-line edit from a fixed list over every line of the hand-made modules.

The default (500 chains) takes about 6 s, the sweep about 8 s. REPARSE_FUZZ_EXAMPLES=10000 runs
longer; REPARSE_FUZZ_SEED=n searches another part of the space than the fixed default; with -s
the chains test prints how many versions were spliced.
"""

from __future__ import annotations

import ast
import os
import warnings
from pathlib import Path

import pyflakes
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from leery.core import reparse
from leery.core.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(pyflakes.__file__).parent.parent
EXAMPLES = int(os.environ.get("REPARSE_FUZZ_EXAMPLES", "500"))
SEED = os.environ.get("REPARSE_FUZZ_SEED")  # another stretch of the search space than the fixed one

HAND_MADE = [
    # tabs for the class body, spaces inside; decorators; a one-line def; async; nested class
    "import os\n\n\nclass A(Base):\n\tx = 1\n\n\t@property\n\tdef f(self):\n\t    return self.x\n\n"
    "\tdef g(self): return 2\n\n\tasync def h(self):\n\t\tawait os.x()\n\n\tclass B:\n\t\tdef i(self):\n"
    "\t\t\tpass\n\n\ndef top(a, *, b=1):\n    '''doc'''\n    return a + b\n",
    # a class header over several lines, methods with no blank line between, a trailing comment
    "class C(\n    object,\n    metaclass=M,\n):\n    def a(self):\n        return 1\n    def b(self):\n"
    "        x = [\n            1,\n        ]\n        return x  # done\n    # end of C\n\nz = 1\n",
    # match, f-strings, backslash continuations, a form feed, a function after a statement
    "x = 1\ndef m(v):\n    match v:\n        case [a, *rest] if a > 0:\n            return f'{a!r:>{10}}'\n"
    "        case {'k': b}:\n            return b\n        case _:\n            pass\n\f\ndef n():\n"
    "    total = 1 + \\\n        2\n    return total\ny = 2\n",
    # decorators with arguments, lambdas, comprehension, try/except*, no newline at the end
    "@decorate(1,\n          2)\n@other\ndef d(a=lambda: 0):\n    try:\n        return [i for i in a]\n"
    "    except* ValueError:\n        raise\n\nclass E:\n    @staticmethod\n    def s():\n        yield 1",
    # backslash lines just above and after units, a decorator split after its `@`
    "class G:\n    x = 1\n    \\\n  def a(self):\n      return 1\n\n    @ \\\n    d\n    def b(self):\n"
    "        pass\n\\\ndef c():\n    return [\n1]\ndef e():\n    return 1 \\\n\nz = 0\n",
    # one-line functions and classes, a tuple over two lines, 2-space indentation
    "def a(): pass\ndef b(): return 1\nclass C: pass\nclass D:\n  def m(self): pass\n  def n(self): return (1,\n 2)\n"
    "  # col-2 comment\n# col-0 comment\n        # deep comment\n  async def o(self):\n    async with x as y:\n"
    "      return [z async for z in y]\n",
    # tabs then spaces inside, nested functions and classes in methods, trailing spaces, no final newline
    "class T:\n\tdef a(self):\n\t\tdef inner():\n\t\t    return 1  \n\t\tclass L:\n\t\t\tpass\n\t\treturn inner\n"
    "\t\n\tdef b(self):\n\t\tif self:\n\t\t\treturn 2\n\t\telse:\n\t\t\treturn 3   ",
    # a class whose body is indented with a form feed, comments between units, `# type:` comments
    "class F:\n\f    def a(self):  # type: () -> int\n        return 1\n\n    # between\n\n"
    "    def b(self, x):\n        # type: (int) -> None\n        global g\n        del x\n",
]

FRAGMENTS = [
    "\\", "    \\", "\t", "\f", " ", "(", ")", "[", "]", "{", "}", "'", '"', "'''", '"""', ":", ",", "#",
    "x = 1", "return x", "pass", "if a:", "else:", "try:", "except* E:", "finally:", "yield", "await x",
    "def g(self):", "async def h():", "class B:", "@d", "@ \\", "lambda: 0", "match x:", "case 1:",
    "f'{x!r:>{w}}'", "f'{'", "# type: int", "global x", "nonlocal x", "x: int = 1", "type X = int",
    "def p[T](x): pass", "from __future__ import annotations", "\ufeff", "\0", "\r", "\ud800",
    "(" * 120 + ")" * 120, "print(1); print(2)", "    def q(self):\n        pass", "\n", "\n\n",
    "def r():\n    pass\n", "        return 1 \\\n", "u'\\N{BULLET}'", "b'\\xff'", "0x_1", "1_000j",
]


def _sources() -> list[str]:
    samples = sorted(p for p in (ROOT / "samples").rglob("*.py") if not p.name.endswith(".fixed.py"))[::3]
    site = [SITE / "pyflakes/messages.py", SITE / "rich/padding.py", SITE / "tomli/_parser.py"]
    real = [p.read_text(encoding="utf-8") for p in samples + site if p.exists()]
    return HAND_MADE + real


SOURCES = _sources()


def _function_lines(text: str) -> tuple[list[int], list[int]]:
    """Lines of functions (the line above to the line after), and their edges alone: the line
    above, the first, the last and the one after, where the splice decides most."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return [], []
    inside: list[int] = []
    edges: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([d.lineno for d in node.decorator_list] + [node.lineno]) - 1
            inside.extend(range(max(first - 1, 0), node.end_lineno + 1))
            edges.extend([max(first - 1, 0), first, node.end_lineno - 1, node.end_lineno])
    return inside, edges


@st.composite
def edits(draw):
    """One edit as (kind, line pick, column pick, fragment, indentation, variant)."""
    kind = draw(st.sampled_from(["type", "delete", "line", "del_line", "indent", "nudge", "enter", "join", "dup", "fragment"]))
    return (kind, draw(st.integers(0, 10**6)), draw(st.integers(0, 200)), draw(st.sampled_from(FRAGMENTS)),
            draw(st.sampled_from(["", " ", "  ", "    ", "        ", "\t", "\t    ", "\f", "    \f", "  \t"])),
            draw(st.integers(0, 11)))


def _apply(text: str, edit) -> str:
    kind, pick, col, fragment, indent, variant = edit
    lines = text.split("\n")
    inside, edges = _function_lines(text)
    near = edges if variant % 3 == 0 else inside
    line = min(near[pick % len(near)] if near and variant < 10 else pick % len(lines), len(lines) - 1)
    current = lines[line]
    own = current[: len(current) - len(current.lstrip(" \t\f"))]
    col = col % (len(current) + 1)
    if kind == "type":
        lines[line] = current[:col] + fragment[:1] + current[col:]
    elif kind == "delete":
        lines[line] = current[:col] + current[col + 1 + variant % 3 :]
    elif kind == "line":  # a statement typed on a new line, at this line's indentation or another
        lines.insert(line, (own if variant % 2 else indent) + fragment)
    elif kind == "del_line" and len(lines) > 1:
        del lines[line : line + 1 + variant % 2]
    elif kind == "indent":
        lines[line] = indent + current.lstrip(" \t\f") if variant % 2 else indent + current
    elif kind == "nudge":  # a space or a tab typed at the line's start, or one taken away
        lines[line] = current[variant % 4 :] if variant < 6 else " \t"[variant // 11] * (1 + variant % 3) + current
    elif kind == "enter":  # Enter at the end of the line, maybe something typed after it
        lines.insert(line + 1, (own if variant % 3 == 0 else indent) + ("" if variant % 2 else fragment))
    elif kind == "join" and line + 1 < len(lines):
        lines[line : line + 2] = [current + lines[line + 1]]
    elif kind == "dup":
        lines.insert(line, current)
    else:  # a fragment pasted inside a line
        lines[line] = current[:col] + fragment + current[col:]
    return "\n".join(lines)


def _result(source: SourceFile):
    return source.error if source.tree is None else ast.dump(source.tree, include_attributes=True)


def test_random_edit_chains_give_a_full_parse_s_tree(monkeypatch) -> None:
    calls = {"splice": 0, "spliced": 0, "parsed": 0}
    real_splice = reparse._splice

    def counting(lineage, text):
        tree = real_splice(lineage, text)
        calls["splice"] += 1
        calls["spliced"] += tree is not None
        return tree

    monkeypatch.setattr(reparse, "_splice", counting)

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=SEED is None, database=None,
              suppress_health_check=list(HealthCheck))
    @seed(int(SEED or 0))
    @given(st.sampled_from(range(len(SOURCES))), st.lists(edits(), min_size=1, max_size=12), st.booleans())
    def chain(which: int, steps, mend: bool) -> None:
        text = good = SOURCES[which]
        source, lineage = reparse.source_for(None, text, "m.py")
        for step, edit in enumerate(steps):
            # Typing goes through versions that do not parse; sometimes the person undoes one.
            text = _apply(good if mend and source.tree is None else text, edit)
            source, lineage = reparse.source_for(lineage, text, "m.py")
            fresh = SourceFile(text, "m.py")
            if source.tree is not None:
                good = text
                calls["parsed"] += 1
            assert _result(source) == _result(fresh), f"step {step}: {edit!r}"
            assert source.lines == fresh.lines

    chain()
    print(calls)
    # The splice must build a real share of the versions that parse, not a path the test never takes.
    assert calls["spliced"] >= calls["parsed"] * 0.3, calls


def _single_edits(text: str, at=None):
    """Every edit of one line from a fixed list, at every line of `text` (or those in `at`): each
    fragment typed on a new line at several indentations, the line deleted, nudged in or out,
    given a trailing `\\`, joined with the next."""
    lines = text.split("\n")
    for i in range(len(lines) + 1) if at is None else sorted(at):
        current = lines[i] if i < len(lines) else ""
        own = current[: len(current) - len(current.lstrip(" \t\f"))]
        for indent in sorted({own, "", "  ", "    ", "        ", "\t", own + " ", own[:-1]}):
            for fragment in [*FRAGMENTS, ""]:
                yield lines[:i] + [indent + fragment] + lines[i:]
        if i == len(lines):
            break
        after = lines[i + 1 :]
        yield lines[:i] + after
        for k in (1, 2, 3):
            yield lines[:i] + [current[k:]] + after
            yield lines[:i] + [" " * k + current] + after
        yield lines[:i] + ["\t" + current] + after
        yield lines[:i] + [current + "\\"] + after
        yield lines[:i] + [current + " \\"] + after
        if after:
            yield lines[:i] + [current + after[0]] + after[1:]


def test_every_single_line_edit_of_the_hand_made_modules_gives_a_full_parse_s_tree(monkeypatch) -> None:
    spliced = parsed = 0
    real_splice = reparse._splice

    def counting(lineage, text):
        nonlocal spliced
        tree = real_splice(lineage, text)
        spliced += tree is not None
        return tree

    monkeypatch.setattr(reparse, "_splice", counting)
    for original in HAND_MADE:
        for new in _single_edits(original):
            text = "\n".join(new)
            source, _ = reparse.source_for(reparse.source_for(None, original, "m.py")[1], text, "m.py")
            fresh = SourceFile(text, "m.py")
            assert _result(source) == _result(fresh), (original, text)
            parsed += fresh.tree is not None
    assert spliced >= parsed * 0.3, (spliced, parsed)
