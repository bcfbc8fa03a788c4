"""Fingerprints of findings that survive moves: normalized ASTs, never line numbers.

Two fingerprints per finding:
- `review`: the flagged statement and the whole enclosing function. A review vouches for that
  code, so any edit inside the function re-opens it; edits elsewhere in the file, or moving
  the function, do not.
- `baseline`: the flagged statement and the names of its enclosing scopes only. A baseline
  records old findings; touching another line of a long legacy function must not bring all
  of its old findings back. Counts (see baseline.py) keep new copies from hiding.

"Flagged statement" is the innermost statement (or `except` / `case` clause) containing the
finding's start; for compound statements only the header counts (their bodies are cut off),
so editing a loop body does not change the fingerprint of a finding on the `for` line.
"""

from __future__ import annotations

import ast
import copy
import hashlib
from dataclasses import dataclass

from leery.core.findings import Finding
from leery.core.source import SourceFile

_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")
_BLOCK = (ast.stmt, ast.excepthandler)
_FUNCTION = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Fingerprint:
    review: str
    baseline: str
    scope: str  # "Class.method", "" at module level: names the reviewed code for people
    statement: str  # the flagged statement's first line, for people reading the record


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:16]


class Fingerprinter:
    """Fingerprints for findings of one file; caches the function dumps it computes."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self._dumps: dict[int, str] = {}

    def of(self, finding: Finding) -> Fingerprint:
        line, col = finding.span.start_line, finding.span.start_col
        chain = self._chain(line, col) if self.source.tree is not None else []
        if not chain:  # no syntax tree, or a finding outside every statement: the line's text
            text = " ".join(self._line(line).split())
            return Fingerprint(_digest("line", text), _digest("line", text), "", text[:120])
        flagged = chain[-1]
        scope = ".".join(n.name for n in chain if isinstance(n, _SCOPE))  # type: ignore[attr-defined]
        header = self._dump(_header(flagged))
        function = next((n for n in reversed(chain) if isinstance(n, _FUNCTION)), None)
        body = self._function_dump(function) if function is not None else ""
        first = self._line(flagged.lineno - 1).strip()  # type: ignore[attr-defined]
        return Fingerprint(_digest("stmt", header, body), _digest("scope", header, scope), scope, first[:120])

    def _line(self, line: int) -> str:
        return self.source.line(line)

    def _chain(self, line: int, col: int) -> list[ast.AST]:
        """Statements containing (line, col), outermost first."""
        chain: list[ast.AST] = []
        children = list(_blocks(self.source.tree))  # type: ignore[arg-type]
        while children:
            for node in children:
                if self._contains(node, line, col):
                    chain.append(node)
                    children = list(_blocks(node))
                    break
            else:
                break
        return chain

    def _contains(self, node: ast.AST, line: int, col: int) -> bool:
        start_node = node
        decorators = getattr(node, "decorator_list", None)
        if decorators:
            start_node = decorators[0]
        start = (start_node.lineno - 1, self.source.col_of_byte(start_node.lineno - 1, start_node.col_offset))  # type: ignore[attr-defined]
        if decorators:
            start = (start[0], max(start[1] - 1, 0))  # the '@' before the decorator expression
        end_line = node.end_lineno - 1  # type: ignore[attr-defined]
        end = (end_line, self.source.col_of_byte(end_line, node.end_col_offset))  # type: ignore[attr-defined]
        return start <= (line, col) <= end

    def _function_dump(self, node: ast.AST) -> str:
        key = id(node)
        if key not in self._dumps:
            self._dumps[key] = self._dump(node)
        return self._dumps[key]

    @staticmethod
    def _dump(node: ast.AST) -> str:
        return ast.dump(node, annotate_fields=False, include_attributes=False)


def _blocks(node: ast.AST):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _BLOCK):
            yield child
        elif isinstance(child, ast.match_case):  # no positions of its own: look inside
            yield from _blocks(child)


def _header(node: ast.AST) -> ast.AST:
    """A compound statement without the statements nested in it."""
    if not any(isinstance(getattr(node, name, None), list) and getattr(node, name) for name in _BODIES):
        return node
    head = copy.copy(node)
    for name in _BODIES:
        if isinstance(getattr(head, name, None), list):
            setattr(head, name, [])
    return head


def occurrences(findings: list[Finding], keys: list[str]) -> list[int]:
    """For each finding, its index among earlier findings with the same code and key (source order)."""
    order = sorted(range(len(findings)), key=lambda i: findings[i].sort_key())
    seen: dict[tuple[str, str], int] = {}
    out = [0] * len(findings)
    for i in order:
        k = (findings[i].code, keys[i])
        out[i] = seen.get(k, 0)
        seen[k] = out[i] + 1
    return out
