"""Qualified names for the taint engine, from every import in the file.

The taint engine runs once per module before the engine's walk has met the imports, so it
collects them itself (function-level imports included: generated code often imports inside
the handler).
"""

from __future__ import annotations

import ast
import weakref
from dataclasses import dataclass

from leery.core import astutil
from leery.core.context import qualify


class Names:
    def __init__(self, tree: ast.Module | None = None) -> None:
        self.imports: dict[str, str] = {}
        self.assigned: set[str] = set()
        self.modules: set[str] = set()  # top-level packages imported anywhere
        if tree is not None:
            for node in statements(tree):
                self.add(node)

    def add(self, node: ast.AST) -> None:
        """Take note of one statement (the caller walks the statements once for several purposes)."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.modules.add(alias.name.split(".")[0])
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    self.imports[root] = root
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if not node.level and node.module:
                self.modules.add(node.module.split(".")[0])
            for alias in node.names:
                if alias.name != "*":
                    joined = f"{module}{alias.name}" if module.endswith(".") else f"{module}.{alias.name}"
                    self.imports[alias.asname or alias.name] = joined if module else alias.name
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.assigned.add(node.name)
            if not isinstance(node, ast.ClassDef):
                args = node.args
                for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
                    if arg is not None:
                        self.assigned.add(arg.arg)
        else:
            for target in _targets(node):
                for sub in astutil.walk(target):
                    if isinstance(sub, ast.Name):
                        self.assigned.add(sub.id)

    def merge(self, other: "Names") -> None:
        """Take `other`'s notes as if its statements came after the ones seen so far."""
        self.imports.update(other.imports)
        self.assigned |= other.assigned
        self.modules |= other.modules

    def qualname(self, expr: ast.AST) -> str | None:
        return qualify(expr, self.imports, self.assigned)

    def uses(self, *packages: str) -> bool:
        return any(p in self.modules for p in packages)


WEB_FRAMEWORKS = ("flask", "django", "rest_framework", "fastapi", "starlette", "aiohttp", "quart", "sanic", "bottle", "falcon", "tornado", "pyramid")


def statements(tree: ast.Module | None, body: list[ast.AST] | None = None):
    """Every statement (and except handler / match case) at any depth, without visiting
    expressions: a third of the nodes of a full `ast.walk`. Names bound inside expressions
    (walrus, comprehension targets) do not shadow builtins in practice. `body`: these
    statements and what they hold instead of the module's."""
    stack: list[ast.AST] = list(reversed(body if body is not None else tree.body))  # type: ignore[union-attr]
    while stack:
        node = stack.pop()
        yield node
        for field in ("handlers", "cases", "finalbody", "orelse", "body"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                stack.extend(reversed(children))


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [ast.Name(node.name, ast.Store())]
    return []


@dataclass
class Part:
    """What one top-level statement (or one member of a top-level class) adds to a module's
    Names, and the functions and classes at any depth inside it, the statement itself excluded
    (a cached value must not hold its weak key)."""

    names: Names
    functions: list[ast.AST]
    classes: list[ast.ClassDef]


# By node, for as long as its tree lives. The language server's fast tier keeps the nodes of
# unchanged functions from one version to the next (leery.core.reparse), so an edit inside one
# function walks only that function's statements again. A Part holds names and nodes inside
# its statement, never positions (those move).
_PARTS: "weakref.WeakKeyDictionary[ast.AST, Part]" = weakref.WeakKeyDictionary()


def module_parts(tree: ast.Module):
    """(statement, Part) for every top-level statement and every member of a top-level class,
    in source order; a top-level class comes with a Part of its own name before its members'."""
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            header = Names()
            header.add(stmt)
            yield stmt, Part(header, [], [])
            for member in stmt.body:
                yield member, part(member)
        else:
            yield stmt, part(stmt)


def part(stmt: ast.AST) -> Part:
    found = _PARTS.get(stmt)
    if found is None:
        names = Names()
        functions: list[ast.AST] = []
        classes: list[ast.ClassDef] = []
        for node in statements(None, [stmt]):
            names.add(node)
            if node is stmt:
                continue
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions.append(node)
            elif isinstance(node, ast.ClassDef):
                classes.append(node)
        found = _PARTS[stmt] = Part(names, functions, classes)
    return found

