"""Code that is allowed to refer to things that may not exist: imports in `try/except
ImportError`, branches on the Python version or platform, `if TYPE_CHECKING:` blocks."""

from __future__ import annotations

import ast

from leery.core import astutil
from leery.core.context import dotted_name

_GUARD_WORDS = (
    "version_info", "platform", "type_checking", "os.name", "hasattr", "py2", "py3", "sys.version", "pypy",
    "implementation", "win32", "darwin", "windows", "macos", "linux", "has_", "available", "installed", "importorskip",
)


def _mentions_guard(node: ast.AST, memo: dict[int, bool]) -> bool:
    found = memo.get(id(node))
    if found is None:
        text = ast.unparse(node).lower()
        found = memo[id(node)] = any(word in text for word in _GUARD_WORDS)
    return found


def handler_names(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return {"BaseException"}
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {(dotted_name(t) or "").rsplit(".", 1)[-1] for t in types}


def guarded(ctx, node: ast.AST, errors: tuple[str, ...] = ("ImportError", "ModuleNotFoundError")) -> bool:
    """Whether `node` sits in a `try` that catches one of `errors` (or everything), in its
    handlers or `else` (fallbacks and code that runs only when the optional import worked), under
    an `if` that tests the Python version, the platform, `TYPE_CHECKING`, `hasattr` or a
    `HAS_X`/`x_available` flag, or in a function whose decorators do (`@skipif(os.name != "nt")`)."""
    broad = {"Exception", "BaseException", *errors}
    chain = list(ctx.parents)
    if not chain or chain[-1] is not node:
        chain.append(node)
    mentions = ctx.__dict__.setdefault("_leery_guard_tests", {})  # id(test) -> bool: unparse once per test
    for parent, child in zip(chain, chain[1:]):
        if isinstance(parent, ast.Try) and any(handler_names(h) & broad for h in parent.handlers):
            if child not in parent.finalbody:
                return True
        if isinstance(parent, (ast.If, ast.IfExp, ast.While)) and child is not parent.test and _mentions_guard(parent.test, mentions):
            return True
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(_mentions_guard(d, mentions) for d in parent.decorator_list):
            return True
    return False


def workspace_root(ctx):
    if ctx.workspace is not None and getattr(ctx.workspace, "root", None):
        return ctx.workspace.root
    return ctx.settings.root


def _bound_names(scope: ast.AST, children=astutil.children) -> set[str]:
    """Names a scope binds other than by import: parameters, assignments, defs, except-as.
    `children`: astutil.binding_children when no expression of the file binds a name."""
    names: set[str] = set()
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = scope.args
        params = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
        names.update(a.arg for a in params)
    stack = list(getattr(scope, "body", []) if not isinstance(scope, ast.Lambda) else [])
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        stack.extend(children(node))
    return names


def shadowed(ctx, name: str) -> bool:
    """Whether `name` at the node being visited may be something other than its import: bound
    in an enclosing function, or re-bound at module level."""
    cache = ctx.__dict__.setdefault("_leery_bound_names", {})
    scopes = [s for s in ctx.parents if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
    for scope in [*scopes, ctx.source.tree]:
        bound = cache.get(id(scope))
        if bound is None:
            children = astutil.children if ctx.source.binds_in_expressions else astutil.binding_children
            bound = cache[id(scope)] = _bound_names(scope, children)
        if name in bound:
            return True
    return False


def import_bindings(ctx) -> dict[str, list[tuple[str, ast.stmt | None]]]:
    """name -> [(what an import binds it to, the statement when it sits directly in the module
    body, else None)] over every import in the file (`import a.b` binds `a` to `a`, `from m import f`
    binds `f` to `m.f`, `from . import m` binds `m` to `.m`). Computed once per analysis; only statements are visited (imports are
    statements), not expressions."""
    cached = ctx.__dict__.get("_leery_import_bindings")
    if cached is None:
        cached = ctx._leery_import_bindings = {}
        tree = ctx.source.tree
        top = {id(node) for node in tree.body}
        stack = list(reversed(tree.body))
        while stack:
            node = stack.pop()
            statement = node if id(node) in top else None
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    cached.setdefault(local, []).append((alias.name if alias.asname else local, statement))
            elif isinstance(node, ast.ImportFrom):
                dots = "." * node.level
                for alias in node.names:
                    target = f"{dots}{node.module}.{alias.name}" if node.module else f"{dots}{alias.name}"
                    cached.setdefault(alias.asname or alias.name, []).append((target, statement))
            else:
                for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                    stack.extend(reversed(getattr(node, field, None) or []))
    return cached


def search_for(ctx) -> tuple[str, ...]:
    """The module search path of the file being analysed (computed once per analysis)."""
    from leery.rules.apis import modules

    cached = ctx.__dict__.get("_leery_search_path")
    if cached is None:
        cached = ctx._leery_search_path = modules.search_path(ctx.path, workspace_root(ctx))
    return cached
