"""What LY503/LY504 need beyond one function: helpers imported from the workspace, mocks."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from leery.core import astutil
from leery.core.context import dotted_name
from leery.rules.apis import modules
from leery.rules.apis.guards import search_for, workspace_root
from leery.rules.hollow.shapes import FUNCTION_DEFS, call_name, last_part


def imported_helper_asserts(ctx, qualname: str, asserting: re.Pattern) -> bool:
    """Whether an imported function, found as a source file of the workspace, asserts.

    Follows one module: the helper's own body and the functions of its module it calls.
    A helper that cannot be found counts only if it is named like a check (caller's job).
    """
    module_name, _, func_name = qualname.rpartition(".")
    if not module_name or not func_name:
        return False
    root = workspace_root(ctx)
    if module_name.startswith("."):
        level = len(module_name) - len(module_name.lstrip("."))
        rel = modules.relative_module(ctx.path, root, level, module_name.lstrip(".") or None)
        if rel is None:
            return False
        found = modules.find(rel[0], rel[1]) if rel[0] else None
    else:
        found = modules.find(module_name, search_for(ctx))
    if found is None or found.kind != "source" or not modules.is_workspace_file(found.origin, root):
        return False
    if not _may_define(found.origin, func_name):
        return False
    tree = modules.parse_file(found.origin)
    if tree is None:
        return False
    functions = {n.name: n for n in tree.body if isinstance(n, FUNCTION_DEFS)}
    return _asserts(functions.get(func_name), functions, asserting, set(), 0)


def _may_define(path: str, name: str) -> bool:
    """Whether a file's text has a `def name` (a module-level function must): most imported names
    a test calls are classes or re-exports, and reading a module costs far less than parsing it."""
    if not name.isascii():
        return True  # the file's encoding may spell it otherwise: parse
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return True  # parse_file decides
    return re.search(rb"\bdef[\s\\]+" + re.escape(name.encode()) + rb"\b", data) is not None


def _asserts(func, functions, asserting, seen: set, depth: int) -> bool:
    if func is None or id(func) in seen or depth > 3:
        return False
    seen.add(id(func))
    for node in astutil.walk(func):
        if isinstance(node, (ast.Assert, ast.Raise)):
            return True
        if isinstance(node, ast.Call):
            name = call_name(node)
            if asserting.match(last_part(name)):
                return True
            if name in functions and _asserts(functions[name], functions, asserting, seen, depth + 1):
                return True
    return False


@dataclass
class PatchedReturn:
    name: str  # the local name bound to the mock
    target: str | None  # "shop.pricing.total" when known
    value: ast.expr | None  # the `return_value`


def _patch_call(call: ast.AST) -> tuple[str | None, ast.expr | None] | None:
    """(target, return_value) for `patch("a.b", return_value=V)` / `mocker.patch(...)` / `patch.object(o, "b", ...)`."""
    if not isinstance(call, ast.Call):
        return None
    name = call_name(call)
    if last_part(name) not in ("patch", "object") or "patch" not in name:
        return None
    value = next((kw.value for kw in call.keywords if kw.arg == "return_value"), None)
    target = None
    strings = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if strings:
        target = strings[0]  # patch("a.b.f") or patch.object(obj, "f")
    return target, value


def patched_returns(func: ast.AST) -> list[PatchedReturn]:
    """Mocks set up in a test with a fixed return value, and the names they are bound to."""
    found: dict[str, PatchedReturn] = {}
    for node in astutil.walk(func):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                patch = _patch_call(item.context_expr)
                if patch and isinstance(item.optional_vars, ast.Name):
                    found[item.optional_vars.id] = PatchedReturn(item.optional_vars.id, *patch)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            value = node.value
            if isinstance(value, ast.Call) and last_part(call_name(value)) == "start":
                value = value.func.value  # patch(...).start()
            patch = _patch_call(value)
            if patch and isinstance(target, ast.Name):
                found[target.id] = PatchedReturn(target.id, *patch)
            elif isinstance(target, ast.Attribute) and target.attr == "return_value":
                owner = dotted_name(target.value)
                if owner:
                    previous = found.get(owner)
                    found[owner] = PatchedReturn(owner, previous.target if previous else None, node.value)
    # A return value set up in a decorator reaches the test as a parameter: keep the target.
    decorators = [d for d in getattr(func, "decorator_list", []) if _patch_call(d)]
    params = [a.arg for a in func.args.args if a.arg not in ("self", "cls")]  # type: ignore[attr-defined]
    for dec, param in zip(reversed(decorators), params):
        target, value = _patch_call(dec)  # type: ignore[misc]
        previous = found.get(param)
        found[param] = PatchedReturn(param, target, previous.value if previous else value)
    return [m for m in found.values() if m.value is not None]


def call_assignments(func: ast.AST) -> dict[str, ast.Call]:
    """`result = f(...)` in a test: name -> the call (last assignment wins)."""
    out: dict[str, ast.Call] = {}
    for node in astutil.walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Call):
                out[node.targets[0].id] = node.value
    return out
