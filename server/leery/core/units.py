"""Function units and line diffs: what lets an edit inside one function re-analyse only it.

A unit is a top-level function or a method of a top-level class: the pieces most typing happens
in. Everything else (module-level statements, class bodies around their methods, every unit's
header) is "the rest", which is always analysed again. `Summary` holds the few facts about a
unit that rules read from outside it (names it binds, `global` names, class bases, imports,
and for pyflakes the names it reads), so an edit can be checked to leave them unchanged.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from typing import Callable, Hashable

from leery.core import astutil
from leery.core.context import dotted_name

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BUILTINS = frozenset(dir(builtins))
_LINE_REF = re.compile(r"\bline (\d+)")
_TYPING_STRINGS = frozenset({"cast", "TypeVar", "NewType", "NamedTuple", "TypedDict"})


@dataclass(frozen=True)
class Unit:
    node: ast.AST  # the def; not kept across versions
    start: int  # 0-based line of the first decorator (or the def)
    body_start: int  # 0-based line where the body begins: after the signature (blank lines and comments count as body)
    end: int  # 0-based last line
    header: tuple  # (kind, name, text from start to the body): what other units may read
    in_class: str | None  # the enclosing class's name, for methods


def function_units(tree: ast.Module, lines: list[str]) -> list[Unit]:
    """Top-level functions and methods of top-level classes, in source order."""
    units = []
    for stmt in tree.body:
        if isinstance(stmt, FUNCTIONS):
            units.append(_unit(stmt, lines, None))
        elif isinstance(stmt, ast.ClassDef):
            units.extend(_unit(m, lines, stmt.name) for m in stmt.body if isinstance(m, FUNCTIONS))
    return units


def _unit(node, lines: list[str], in_class: str | None) -> Unit:
    start = astutil.first_line(node)
    first = astutil.first_line(node.body[0])
    end = node.end_lineno - 1
    body_start = _after_signature(node, lines, first)
    head_end = max(body_start, node.lineno)  # a one-line def: its body is its header
    header = (type(node).__name__, node.name, "\n".join(lines[start:head_end]))
    return Unit(node, start, body_start, end, header, in_class)


def _after_signature(node, lines: list[str], first: int) -> int:
    """The body's first line: blank and comment lines between the signature and the first
    statement belong to the body, so that typing a new first statement (a blank line, then
    its characters) is an edit inside the body, not a new header (which meant a full analysis
    for every such keystroke). Where the first statement shares a line with the signature's
    end, that line stays the boundary."""
    line = lines[first] if first < len(lines) else ""
    statement = node.body[0]
    column = statement.col_offset if not getattr(statement, "decorator_list", None) else statement.decorator_list[0].col_offset - 1
    if first <= node.lineno - 1 or line[:column].strip():
        return first
    while first - 1 > node.lineno - 1 and _blank_or_comment(lines[first - 1]):
        first -= 1
    return first


def _blank_or_comment(line: str) -> bool:
    stripped = line.lstrip()
    return not stripped or stripped.startswith("#")


# Facts about one function that rules read while checking *other* functions (e.g. LY501 asks
# whether every method of a class is a documented placeholder). A rule module adds a function
# here; an edit that changes its value for the edited function makes the analysis a full one.
SHARED_FACTS: list[Callable[[ast.AST], Hashable]] = []


@dataclass(frozen=True)
class Summary:
    """What one unit contributes to module-wide facts (compared before and after an edit)."""

    shadowed_builtins: frozenset[str]  # builtin names it binds (qualified names read these)
    global_names: frozenset[str]
    class_bases: frozenset[str]
    imports: tuple  # (name, module) of every import in it, in order
    reads: frozenset[str]  # names it reads (pyflakes: uses of module names)
    binds: frozenset[str]  # every name it binds in any scope
    rebinds_outer: bool  # `global` / `nonlocal`: it changes bindings outside itself
    shared: tuple = ()  # SHARED_FACTS of the unit


def summarize(node: ast.AST, unit: bool = True) -> Summary:
    binds: set[str] = set()
    reads: set[str] = set()
    global_names: set[str] = set()
    bases: set[str] = set()
    imports: list = []
    outer = False
    stack = [node]
    while stack:  # in source order (depth first), as the engine meets imports
        sub = stack.pop()
        stack.extend(reversed(astutil.children(sub)))
        if isinstance(sub, ast.Name):
            (binds if isinstance(sub.ctx, (ast.Store, ast.Del)) else reads).add(sub.id)
        elif isinstance(sub, ast.arg):
            binds.add(sub.arg)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if sub is not node:
                binds.add(sub.name)
            if isinstance(sub, ast.ClassDef):
                bases.update(_last_part(b) for b in sub.bases)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            for alias in sub.names:
                binds.add(alias.asname or alias.name.split(".")[0])
                imports.append((alias.asname, alias.name, getattr(sub, "module", None), getattr(sub, "level", 0)))
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            outer = True
            if isinstance(sub, ast.Global):
                global_names.update(sub.names)
        elif isinstance(sub, ast.ExceptHandler) and sub.name:
            binds.add(sub.name)
        elif isinstance(sub, (ast.MatchAs, ast.MatchStar)) and sub.name:
            binds.add(sub.name)
        elif isinstance(sub, ast.MatchMapping) and sub.rest:
            binds.add(sub.rest)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            reads.update(_string_names(sub.value))  # string annotations and typing.cast("T", ...)
    return Summary(
        frozenset(binds & _BUILTINS), frozenset(global_names), frozenset(bases), tuple(imports),
        frozenset(reads), frozenset(binds), outer, tuple(fact(node) for fact in SHARED_FACTS) if unit else (),
    )


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _string_names(text: str) -> set[str]:
    """Identifiers in a short string that may be a forward reference: pyflakes reads those."""
    if len(text) > 200 or "\n" in text:
        return set()
    return set(_IDENTIFIER.findall(text))


def _last_part(expr: ast.AST) -> str:
    """`abc.ABC` -> `ABC`; anything but a dotted name -> "" (as the LY501 rule reads bases)."""
    return (dotted_name(expr) or "").rsplit(".", 1)[-1]


def base_names(tree: ast.AST) -> set[str]:
    return {_last_part(b) for node in astutil.walk(tree) if isinstance(node, ast.ClassDef) for b in node.bases}


@dataclass(frozen=True)
class LineMap:
    """Old -> new line numbers after an edit: lines before `start` stay, lines from `old_end`
    (exclusive end of the changed old lines) move by `delta`; lines in between changed."""

    start: int
    old_end: int
    delta: int

    def line(self, old: int) -> int | None:
        if old < self.start:
            return old
        if old >= self.old_end:
            return old + self.delta
        return None

    def old_line(self, new: int) -> int | None:
        if new < self.start:
            return new
        if new >= self.old_end + self.delta:
            return new - self.delta
        return None

    def text(self, message: str) -> str | None:
        """A message's `line N` references moved along; None when one points into the change."""
        if "line " not in message or not self.delta:
            return message
        failed = False

        def move(match: re.Match) -> str:
            nonlocal failed
            new = self.line(int(match.group(1)) - 1)
            if new is None:
                failed = True
                return match.group(0)
            return f"line {new + 1}"

        moved = _LINE_REF.sub(move, message)
        return None if failed else moved


def diff_lines(old: list[str], new: list[str]) -> LineMap:
    """The one changed stretch between two versions (an editor sends one edit at a time)."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < limit - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return LineMap(start, len(old) - tail, len(new) - len(old))
