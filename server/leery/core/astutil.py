"""Small facts about syntax trees that several rule families need."""

from __future__ import annotations

import ast


def body_without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    """A function's, class's or module's statements after its docstring, if it has one."""
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        return body[1:]
    return body
