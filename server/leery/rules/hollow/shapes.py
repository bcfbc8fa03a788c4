"""Small ast predicates shared by the LY5xx rules: test functions, decorators, docstrings."""

from __future__ import annotations

import ast

from leery.core.astutil import body_without_docstring

from leery.core.context import dotted_name

FUNCTION_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


def has_docstring(node: ast.AST) -> bool:
    body = getattr(node, "body", [])
    return len(body_without_docstring(body)) < len(body)


def decorator_names(node: ast.AST) -> list[str]:
    """`pytest.mark.skip` for `@pytest.mark.skip(reason=...)`; '' for decorators that are not names."""
    names = []
    for dec in getattr(node, "decorator_list", []):
        target = dec.func if isinstance(dec, ast.Call) else dec
        names.append(dotted_name(target) or "")
    return names


def last_part(name: str | None) -> str:
    return (name or "").rsplit(".", 1)[-1]


def is_test_class(cls: ast.ClassDef) -> bool:
    if cls.name.startswith("Test"):
        return True
    return any(last_part(dotted_name(b)).endswith("TestCase") for b in cls.bases)


def is_unittest_class(cls: ast.ClassDef) -> bool:
    return any(last_part(dotted_name(b)).endswith("TestCase") for b in cls.bases)


def is_test_function(node: ast.AST, ctx) -> bool:
    """A function pytest or unittest collects: `test*` at module level or in a test class."""
    if not isinstance(node, FUNCTION_DEFS) or not ctx.is_test_file or not node.name.startswith("test"):
        return False
    parent = ctx.parent_of(node)
    if isinstance(parent, ast.Module):
        return True
    return isinstance(parent, ast.ClassDef) and is_test_class(parent) and isinstance(ctx.parent_of(parent), ast.Module)


def is_string(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def call_name(node: ast.AST) -> str:
    """Dotted name of a call's callee ('' when it is not a plain name chain)."""
    return dotted_name(node.func) or "" if isinstance(node, ast.Call) else ""
