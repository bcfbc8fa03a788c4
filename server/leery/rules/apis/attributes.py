"""LY404 unknown-attribute: `module.name` where the module exists and has no such name."""

from __future__ import annotations

import ast

from leery.core import astutil
from leery.core.context import dotted_name
from leery.core.findings import Applicability, Confidence, Edit, Fix, Severity, Span
from leery.core.registry import rule
from leery.rules.apis import modules, names
from leery.rules.apis.guards import guarded, search_for, shadowed

_GUARD_ERRORS = ("AttributeError", "ImportError", "ModuleNotFoundError")


def _assigned_attributes(ctx) -> set[str]:
    """`json.parse = ...` anywhere in the file adds the name: do not report it."""
    cached = getattr(ctx, "_leery_assigned_attributes", None)
    if cached is None:
        cached = set()
        for node in astutil.walk(ctx.source.tree):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
                cached.add(dotted_name(node) or "")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr"):
                cached.add("*")
        ctx._leery_assigned_attributes = cached
    return cached


def _table(ctx, qualified: str):
    """(module, its names) when the names are statically known; None otherwise. Kept for the
    analysis: a file names the same module (`os.path`) many times."""
    tables = ctx.__dict__.setdefault("_leery_module_tables", {})
    if qualified not in tables:
        tables[qualified] = _find_table(ctx, qualified)
    return tables[qualified]


def _find_table(ctx, qualified: str):
    if not qualified or qualified.startswith("."):
        return None
    search = search_for(ctx)
    module = names.resolve_module(qualified, search)
    if module is None:
        return None
    table = names.names_of(module, search)
    if table is None or table.dynamic:
        return None
    return module, table


def _confidence(module, table) -> Confidence:
    if module.is_stdlib and table.static_kind in ("source", "runtime"):
        return Confidence.HIGH
    return Confidence.MEDIUM


def _message(shown: str, attr: str, hint: str | None) -> str:
    tail = f"; did you mean `{hint}`?" if hint else ""
    return f"`{shown}` has no `{attr}`{tail}"


@rule(
    "LY404",
    "unknown-attribute",
    summary="`module.name` where the module exists and defines no such name.",
    nodes=(ast.Attribute, ast.ImportFrom),
    severity=Severity.ERROR,
    confidence=Confidence.HIGH,
    fixable=True,
    tier="slow",
)
def unknown_attribute(node: ast.Attribute | ast.ImportFrom, ctx) -> None:
    """
    ## What it does
    For `module.name` and `from module import name`, reads the module's source (or the `.pyi`
    stub beside a compiled module, or the interpreter's own built-in modules) without running
    it, and reports a name the module does not define, with the closest real name:
    "`os.path` has no `exist`; did you mean `exists`?".

    ## Why it matters
    Misremembered APIs are the most common hallucination in generated code: `json.parse`
    (JavaScript), `os.path.exist`, `requests.fetch`. The line reads naturally and raises
    `AttributeError` or `ImportError` only when it runs.

    ## What to check in review
    Look the function up in the module's documentation; the suggestion is only the nearest
    spelling, and may not do the same thing.

    ## Example
    ```python
    if os.path.exist(path):
        data = json.parse(text)
    ```

    ## Use instead
    ```python
    if os.path.exists(path):
        data = json.loads(text)
    ```

    ## Fix safety
    Replacing the name with the suggested one is unsafe: the closest spelling can be a different
    function (`json.parse` is not `json.loads` by spelling at all, and gets no suggestion).

    ## Known limitations
    Silent for modules that define `__getattr__`, write to `globals()`, replace themselves in
    `sys.modules`, or star-import a module that cannot be followed; for third-party compiled
    modules without a `.pyi` stub; for names assigned onto the module in the same file; and
    under `try/except AttributeError` or `ImportError`, `hasattr` and version checks.
    Names are those of the environment leery runs in: a name added in a newer version of a
    library than the one installed is reported. Attributes of classes and instances are not
    checked. Stub files (`.pyi`) are not checked: they name what other stubs declare (private
    type aliases such as `logging._ExcInfoType`), not what modules bind at run time.
    """
    if ctx.path.endswith(".pyi"):
        return
    if isinstance(node, ast.ImportFrom):
        _check_from_import(node, ctx)
        return
    if not isinstance(node.ctx, ast.Load):
        return
    shown = dotted_name(node.value)
    if shown is None:
        return
    root = shown.split(".")[0]
    if root not in ctx.imports:
        return
    found = _table(ctx, ctx.qualname(node.value) or "")
    if found is None:
        return
    module, table = found
    if table.has(node.attr) or modules.find_in(module, node.attr) is not None:
        return
    if shadowed(ctx, root):  # after the table: it walks the scopes, and most names exist
        return
    assigned = _assigned_attributes(ctx)  # a walk of the whole file: only for a name that is missing
    if "*" in assigned or f"{shown}.{node.attr}" in assigned:
        return
    if guarded(ctx, node, _GUARD_ERRORS):
        return
    hint = names.closest(node.attr, table.names)
    span = ctx.source.span_of(node)
    attr_span = Span(span.end_line, max(span.end_col - len(node.attr), 0), span.end_line, span.end_col)
    fix = Fix(f"Use `{shown}.{hint}`", Applicability.UNSAFE, (Edit(attr_span, hint),)) if hint else None
    ctx.report(attr_span, _message(shown, node.attr, hint), fix=fix, confidence=_confidence(module, table))


def _check_from_import(node: ast.ImportFrom, ctx) -> None:
    if node.level or not node.module:
        return
    found = _table(ctx, node.module)
    if found is None:
        return
    module, table = found
    if guarded(ctx, node, _GUARD_ERRORS):
        return
    for alias in node.names:
        if alias.name == "*" or table.has(alias.name) or modules.find_in(module, alias.name) is not None:
            continue
        hint = names.closest(alias.name, table.names)
        span = ctx.source.span_of(alias)
        name_span = Span(span.start_line, span.start_col, span.start_line, span.start_col + len(alias.name))
        fix = Fix(f"Import `{hint}`", Applicability.UNSAFE, (Edit(name_span, hint),)) if hint else None
        ctx.report(name_span, _message(node.module, alias.name, hint), fix=fix, confidence=_confidence(module, table))
