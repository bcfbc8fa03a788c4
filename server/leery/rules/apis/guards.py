"""Code that is allowed to refer to things that may not exist: imports in `try/except
ImportError`, branches on the Python version or platform, `if TYPE_CHECKING:` blocks."""

from __future__ import annotations

import ast

from leery.core.context import dotted_name

_GUARD_WORDS = ("version_info", "platform", "TYPE_CHECKING", "os.name", "hasattr", "PY2", "PY3", "sys.version", "PYPY", "IS_", "WINDOWS", "MACOS", "LINUX")


def handler_names(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return {"BaseException"}
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {(dotted_name(t) or "").rsplit(".", 1)[-1] for t in types}


def guarded(ctx, node: ast.AST, errors: tuple[str, ...] = ("ImportError", "ModuleNotFoundError")) -> bool:
    """Whether `node` sits in a try body that catches one of `errors` (or everything), or under
    an `if`/`else` that tests the Python version, the platform, `TYPE_CHECKING` or `hasattr`."""
    broad = {"Exception", "BaseException", *errors}
    chain = list(ctx.parents)
    if not chain or chain[-1] is not node:
        chain.append(node)
    for parent, child in zip(chain, chain[1:]):
        if isinstance(parent, ast.Try) and child in parent.body:
            if any(handler_names(h) & broad for h in parent.handlers):
                return True
        if isinstance(parent, (ast.If, ast.IfExp)) and child is not parent.test:
            text = ast.unparse(parent.test)
            if any(word in text for word in _GUARD_WORDS):
                return True
    return False


def workspace_root(ctx):
    if ctx.workspace is not None and getattr(ctx.workspace, "root", None):
        return ctx.workspace.root
    return ctx.settings.root
