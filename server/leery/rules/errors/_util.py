"""Helpers shared by the LY1xx rules: scopes, bindings, uses of a name, small edits."""

from __future__ import annotations

import ast
from collections import defaultdict

from leery.core import astutil
from leery.core.context import FUNCTION_NODES, Context, node_cache
from leery.core.findings import Edit, Span

SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)


def scope_of(ctx: Context) -> ast.AST:
    """The innermost function (or the module) around the node being visited."""
    for anc in reversed(ctx.parents):
        if isinstance(anc, SCOPE_NODES):
            return anc
    assert ctx.source.tree is not None
    return ctx.source.tree


def ancestor(ctx: Context, levels: int = 1) -> ast.AST | None:
    """The parent (1), grandparent (2), ... of the node being visited: no parent map needed."""
    return ctx.parents[-levels] if len(ctx.parents) >= levels else None


class _ScopeIndex:
    """Every plain binding and every read of each name in one scope, from one walk."""

    def __init__(self, scope: ast.AST) -> None:
        self.bindings: dict[str, list[tuple[ast.AST, ast.expr]]] = defaultdict(list)
        self.loads: dict[str, list[ast.Name]] = defaultdict(list)
        for node in astutil.walk(scope):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    self.loads[node.id].append(node)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.bindings[target.id].append((node, node.value))
            elif isinstance(node, ast.AnnAssign):
                if node.value is not None and isinstance(node.target, ast.Name):
                    self.bindings[node.target.id].append((node, node.value))
            elif isinstance(node, ast.NamedExpr):
                self.bindings[node.target.id].append((node, node.value))
            elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
                self.bindings[node.optional_vars.id].append((node, node.context_expr))


# Per scope node, for as long as its tree lives: rules ask about many calls in one function.
_INDEXES: "weakref.WeakKeyDictionary[ast.AST, _ScopeIndex]" = node_cache()


def _index(scope: ast.AST) -> _ScopeIndex:
    index = _INDEXES.get(scope)
    if index is None:
        index = _INDEXES[scope] = _ScopeIndex(scope)
    return index


def name_loads(scope: ast.AST, name: str) -> list[ast.Name]:
    """Reads of `name` anywhere in a scope, nested functions included (closures read it too)."""
    return _index(scope).loads.get(name, [])


def bindings(scope: ast.AST, name: str) -> list[tuple[ast.AST, ast.expr]]:
    """(statement or withitem, value) for each plain binding `name = value` / `with value as name` in a scope."""
    return _index(scope).bindings.get(name, [])


def visible_bindings(ctx: Context, name: str) -> tuple[ast.AST, list[tuple[ast.AST, ast.expr]]]:
    """(scope, bindings) of `name` as the visited node sees it: its function's, else the module's top level."""
    scope = scope_of(ctx)
    found = bindings(scope, name)
    tree = ctx.source.tree
    if found or tree is None or scope is tree:
        return scope, found
    return tree, list(_top_level_bindings(tree).get(name, ()))


_TOP_LEVEL: "weakref.WeakKeyDictionary[ast.AST, dict]" = node_cache()


def _top_level_bindings(tree: ast.Module) -> dict[str, list[tuple[ast.AST, ast.expr]]]:
    """`bindings(tree, name)` of the module's own statements only, from those statements: the
    index of the whole module (every function's names) is not needed for them."""
    index = _TOP_LEVEL.get(tree)
    if index is None:
        index = _TOP_LEVEL[tree] = defaultdict(list)
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        index[target.id].append((stmt, stmt.value))
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and isinstance(stmt.target, ast.Name):
                index[stmt.target.id].append((stmt, stmt.value))
    return index


def strip_await(ctx: Context, node: ast.expr) -> tuple[ast.AST, ast.AST | None]:
    """(expression, its parent) for the node being visited, an `await` around it taken as part of it."""
    parent = ancestor(ctx)
    if isinstance(parent, ast.Await):
        return parent, ancestor(ctx, 2)
    return node, parent


def bound_name(stmt: ast.AST | None, value: ast.AST) -> str | None:
    """The name a statement binds `value` to: `x = value`, `x: T = value`, `with value as x`."""
    if isinstance(stmt, ast.Assign) and stmt.value is value and len(stmt.targets) == 1:
        target = stmt.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(stmt, ast.AnnAssign) and stmt.value is value and isinstance(stmt.target, ast.Name):
        return stmt.target.id
    if isinstance(stmt, ast.withitem) and stmt.context_expr is value and isinstance(stmt.optional_vars, ast.Name):
        return stmt.optional_vars.id
    return None


def inside_nested_function(ctx: Context, function: ast.AST) -> bool:
    """Whether the node being visited sits in another function (or lambda) inside `function`."""
    seen = False
    for anc in ctx.parents:
        if anc is function:
            seen = True
        elif seen and isinstance(anc, FUNCTION_NODES):
            return True
    return False


def call_label(ctx: Context, call: ast.Call) -> str:
    """How a message names a call: `` `subprocess.run(...)` ``, as written in the source."""
    func = ctx.source.text_of(call.func)
    if "\n" in func or len(func) > 40:
        func = getattr(call.func, "attr", None) or getattr(call.func, "id", None) or "call"
    return f"`{func}(...)`"


def add_keyword(ctx: Context, call: ast.Call, text: str) -> Edit:
    """Insert `text` (`check=True`) as the last argument of a call."""
    args = [*call.args, *call.keywords]
    if args:
        last = max((ctx.source.span_of(a) for a in args), key=lambda s: (s.end_line, s.end_col))
        return Edit(Span(last.end_line, last.end_col, last.end_line, last.end_col), f", {text}")
    end = ctx.source.span_of(call)
    return Edit(Span(end.end_line, end.end_col - 1, end.end_line, end.end_col - 1), text)


def starts_its_line(ctx: Context, node: ast.AST) -> bool:
    span = ctx.source.span_of(node)
    return ctx.source.lines[span.start_line][: span.start_col].strip() == ""


def ends_its_line(ctx: Context, node: ast.AST) -> bool:
    """Nothing but whitespace or a comment after the node on its last line."""
    span = ctx.source.span_of(node)
    rest = ctx.source.lines[span.end_line][span.end_col :].strip()
    return rest == "" or rest.startswith("#")


def insert_line_after(ctx: Context, stmt: ast.stmt, text: str) -> Edit | None:
    """A new line `text` after a statement, at its indentation; None when the statement shares its line."""
    if not (starts_its_line(ctx, stmt) and ends_its_line(ctx, stmt)):
        return None
    span = ctx.source.span_of(stmt)
    indent = ctx.source.indent_of(span.start_line)
    end_col = len(ctx.source.lines[span.end_line])
    return Edit(Span(span.end_line, end_col, span.end_line, end_col), f"\n{indent}{text}")


def in_try_catching(ctx: Context, node: ast.AST, names: frozenset[str]) -> bool:
    """Whether the visited `node` sits in the body of a `try` whose handlers catch one of `names` (or everything)."""
    child = node
    for anc in reversed(ctx.parents):
        if isinstance(anc, SCOPE_NODES):
            return False
        if isinstance(anc, ast.Try) and child in anc.body:
            for handler in anc.handlers:
                if handler.type is None:
                    return True
                types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                if any(ctx.qualname(t) in names for t in types):
                    return True
        child = anc
    return False
