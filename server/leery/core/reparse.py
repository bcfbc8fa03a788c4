"""Parsing only the function an edit touched (the language server's fast tier).

A plain `ast.parse` of a 5.6k-line file costs ~15 ms, about half of an incremental analysis.
When a new version differs from the last parsed one only inside one function unit (a top-level
function or a method of a top-level class), the unit's new lines are parsed alone, at their own
line numbers, and put in place of the old unit; the nodes after it are moved by the lines the
edit added or removed. The result equals `ast.parse` of the whole text, node for node
(tests/test_reparse.py compares `ast.dump(..., include_attributes=True)` over random edits, and
tests/test_reparse_fuzz.py over hypothesis edit chains and every single-line edit of tricky modules).
The snippet is the text's own lines, from the unit's first to the end of its last (with a line
break after it only where the text has one); the state the tokenizer starts them in is the same
as in the whole file unless the line above ends with a backslash (then it is a full parse).

The nodes are moved in place, so the tree belongs to the fast tier's `Lineage`: the slow tier
only borrows it while it is of the slow tier's version, and the fast tier does not splice a
lent tree (leery.lsp.scheduler); code actions parse their own copy.
"""

from __future__ import annotations

import ast
import warnings

from leery.core.astutil import first_line, walk
from leery.core.source import SourceFile
from leery.core.units import FUNCTIONS, diff_lines


class Lineage:
    """The last version of a document that parsed, and its tree, which the next version's
    splice reuses and changes."""

    def __init__(self, source: SourceFile) -> None:
        assert source.tree is not None
        self.lines = source.lines
        self.tree = source.tree
        self._positioned: dict[ast.AST, list[ast.AST]] = {}  # statement -> its nodes that have line numbers

    def positioned(self, stmt: ast.AST) -> list[ast.AST]:
        """A statement's nodes with line numbers; a class's own (not its body's: those are
        statements of their own here)."""
        found = self._positioned.get(stmt)
        if found is None:
            if isinstance(stmt, ast.ClassDef):
                parts = [*stmt.decorator_list, *stmt.bases, *stmt.keywords, *getattr(stmt, "type_params", [])]
                found = [stmt, *(n for part in parts for n in walk(part) if "lineno" in n.__dict__)]
            else:
                found = [n for n in walk(stmt) if "lineno" in n.__dict__]
            self._positioned[stmt] = found
        return found

    def forget(self, stmt: ast.AST) -> None:
        self._positioned.pop(stmt, None)


def source_for(lineage: Lineage | None, text: str, path: str) -> tuple[SourceFile, Lineage | None]:
    """The SourceFile of `text` (spliced when it can be) and the lineage to keep for the next
    version: the new one, or the old one when this version does not parse."""
    # One BOM is not part of the code (SourceFile drops it too, once: a second one is an error).
    code = text[1:] if text.startswith("\ufeff") else text
    # `\r`: the snippet is joined with "\n"; barry_as_FLUFL changes what the parser accepts.
    if lineage is not None and "\r" not in code and "\0" not in code and "barry_as_FLUFL" not in code:
        tree = _splice(lineage, code)
        if tree is not None:
            return SourceFile(text, path, tree=tree), lineage
    source = SourceFile(text, path)
    return source, (Lineage(source) if source.tree is not None else lineage)


def _splice(lineage: Lineage, text: str) -> ast.Module | None:
    """The tree of `text` built from the lineage's, or None (then the caller parses it all).
    On success the lineage holds the new version."""
    lines = text.split("\n")
    change = diff_lines(lineage.lines, lines)
    tree = lineage.tree
    if change.start == change.old_end and change.delta == 0:
        return tree  # the same text
    found = _unit_at(tree, change.start, change.old_end)
    if found is None:
        return None
    top, cls, func = found
    first = first_line(func)  # 0-based
    if first and lines[first - 1].endswith("\\"):
        return None  # the unit's first line continues the one above: its indentation is that line's
    last = func.end_lineno - 1 + change.delta  # the unit's last line in the new text, at least the edit's
    if last < first or last >= len(lines):
        return None
    new = _parse_unit(lines, first, last, cls is not None)
    if new is None or first_line(new) != first or new.col_offset != func.col_offset:
        return None
    if _indent(lines[first]) != _indent(lineage.lines[first]):
        return None  # the tokenizer compares indentation with the class body's, which the snippet lacks
    body = list(tree.body)
    index = body.index(top)
    if change.delta:
        for stmt in body[index + 1 :]:
            _move(lineage, stmt, change.delta)
    lineage.forget(func)
    if cls is None:
        body[index] = new
    else:
        members = list(cls.body)
        at = members.index(func)
        if change.delta:
            for member in members[at + 1 :]:
                _move(lineage, member, change.delta)
        members[at] = new
        body[index] = _class_with(lineage, cls, members)
    lineage.tree = ast.Module(body=body, type_ignores=[])
    lineage.lines = lines
    return lineage.tree


def _unit_at(tree: ast.Module, start: int, old_end: int):
    """(top-level statement, its class or None, the function) whose lines hold the whole
    change (old lines start..old_end, exclusive end). Lines inserted just after a unit's last
    line count as its own (Enter at the end of a function); the snippet's parse tells whether
    they belong to it."""
    for stmt in tree.body:
        last = stmt.end_lineno - 1
        if last < start - 1 or (last == start - 1 and (old_end != start or not isinstance(stmt, (*FUNCTIONS, ast.ClassDef)))):
            continue  # ends before the change (or just before it, and the change is not typed at its end)
        if first_line(stmt) > start:
            return None
        if isinstance(stmt, FUNCTIONS):
            return (stmt, None, stmt) if old_end <= stmt.end_lineno else None
        if isinstance(stmt, ast.ClassDef):
            for member in stmt.body:
                if isinstance(member, FUNCTIONS) and first_line(member) <= start and old_end <= member.end_lineno:
                    # the class header must lie on earlier lines: the snippet gets a `class` line above
                    return (stmt, stmt, member) if first_line(member) > stmt.lineno - 1 else None
        return None
    return None


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def _parse_unit(lines: list[str], first: int, last: int, in_class: bool) -> ast.AST | None:
    """The function on lines first..last (0-based, inclusive) parsed at its own line numbers:
    blank lines above it, and a `class` line just above for a method (it is indented)."""
    prefix = "\n" * (first - 1) + "class _:\n" if in_class else "\n" * first
    # The lines exactly as the text has them: a newline after the last one only if the text has
    # one there (an extra line break would end a trailing `\` continuation that EOF makes an error).
    snippet = prefix + "\n".join(lines[first : last + 1]) + ("\n" if last + 1 < len(lines) else "")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # as SourceFile: invalid escapes are not ours to report
            module = _parse_with_headroom(snippet, _HEADROOM)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    body = module.body
    if in_class:
        if len(body) != 1 or not isinstance(body[0], ast.ClassDef):
            return None
        body = body[0].body
    if len(body) != 1 or not isinstance(body[0], FUNCTIONS):
        return None  # the edit made more than one statement of the lines (a dedented line)
    return body[0]


# 3.11's ast.parse starts its nesting count at the caller's stack depth: a unit nested almost to
# the limit parses alone here yet fails in a SourceFile built a frame or two deeper. The snippet
# is parsed this many frames deeper (3 nesting levels each), so the full parse has room to spare.
_HEADROOM = 20


def _parse_with_headroom(snippet: str, frames: int) -> ast.Module:
    if frames:
        return _parse_with_headroom(snippet, frames - 1)
    return ast.parse(snippet, type_comments=False)


def _move(lineage: Lineage, stmt: ast.AST, delta: int) -> None:
    for node in lineage.positioned(stmt):
        node.lineno += delta
        node.end_lineno += delta
    if isinstance(stmt, ast.ClassDef):
        for member in stmt.body:
            _move(lineage, member, delta)


def _class_with(lineage: Lineage, cls: ast.ClassDef, members: list[ast.stmt]) -> ast.ClassDef:
    """A new class node with the new body: caches keyed by the old one must not see it change."""
    fields = {name: getattr(cls, name) for name in cls._fields}
    fields["body"] = members
    last = members[-1]  # a class ends where its last statement does
    copy = ast.ClassDef(**fields, lineno=cls.lineno, col_offset=cls.col_offset,
                        end_lineno=last.end_lineno, end_col_offset=last.end_col_offset)
    own = lineage._positioned.pop(cls, None)
    if own is not None:
        lineage._positioned[copy] = [copy, *own[1:]]
    return copy
