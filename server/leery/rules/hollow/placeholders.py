"""LY501 placeholder-implementation: a function that has a signature and no body."""

from __future__ import annotations

import ast
import re

from leery.core import astutil
from leery.core.context import dotted_name
from leery.core.findings import Confidence, Severity
from leery.core.registry import rule
from leery.core.units import SHARED_FACTS
from leery.rules.hollow.shapes import FUNCTION_DEFS, body_without_docstring, decorator_names, has_docstring, last_part

TODO_RE = re.compile(r"\b(TODO|FIXME|XXX|TBD)\b|\bimplement (me|later)\b", re.I)
# Decorators that make an empty body the point: abstract methods, overload signatures,
# single-dispatch base cases and typing stubs.
_QUIET_DECORATORS = {"abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod", "overload"}
_QUIET_BASES = {"Protocol", "ABC", "Interface", "TypedDict", "NamedTuple"}
_NOOP_NAME = re.compile(r"(^|_)(noop|no_op|nop|dummy|null|nothing|ignore|pass|void|stub)(_|$)", re.I)
_BASE_CLASS_NAME = re.compile(r"^(Base|Abstract)|(Base|Interface|Mixin|ABC|Protocol|Abstract)$")


def placeholder_kind(body: list[ast.stmt]) -> str | None:
    """'pass', '...', 'raise NotImplementedError', 'docstring only', 'constant return' or None."""
    rest = body_without_docstring(body)
    if not rest:
        return "docstring only"
    if len(rest) != 1:
        return None
    stmt = rest[0]
    if isinstance(stmt, ast.Pass):
        return "pass"
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and stmt.value.value is Ellipsis:
        return "..."
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        if last_part(dotted_name(exc)) == "NotImplementedError":
            return "raise NotImplementedError"
    if isinstance(stmt, ast.Return) and _is_trivial_value(stmt.value):
        return "constant return"
    return None


def _is_trivial_value(value: ast.expr | None) -> bool:
    if value is None or isinstance(value, ast.Constant):
        return True
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)) and not value.elts:
        return True
    return isinstance(value, ast.Dict) and not value.keys


def _todo_near(node: ast.AST, ctx) -> bool:
    """A TODO-like comment inside the function, or on the line just above its `def`."""
    first = astutil.first_line(node)
    last = node.end_lineno - 1  # type: ignore[attr-defined]
    for comment in ctx.source.comments:
        if first - 1 <= comment.line <= last and TODO_RE.search(comment.text):
            return True
    # A docstring or an error message that says it is not done yet counts too.
    texts = [ast.get_docstring(node) or ""]
    for stmt in node.body:  # type: ignore[attr-defined]
        if isinstance(stmt, ast.Raise) and isinstance(stmt.exc, ast.Call) and stmt.exc.args:
            texts.append(ast.unparse(stmt.exc.args[0]))
    return any(re.search(r"\b(TODO|FIXME|not yet implemented)\b", t, re.I) for t in texts)


def _class_is_interface(cls: ast.ClassDef, ctx) -> bool:
    """Abstract bases, Protocols, classes named as bases, and documented interface classes."""
    for base in cls.bases:
        name = last_part(dotted_name(base.value if isinstance(base, ast.Subscript) else base))
        if name in _QUIET_BASES:
            return True
    if any(kw.arg == "metaclass" for kw in cls.keywords):
        return True
    if _BASE_CLASS_NAME.search(cls.name):
        return True
    # A class subclassed in the same file is a base: its empty methods are hooks.
    if cls.name in ctx.class_bases:
        return True
    # A documented interface: every method is a placeholder and carries a docstring.
    methods = [n for n in cls.body if isinstance(n, FUNCTION_DEFS)]
    return bool(methods) and all(_documented_placeholder(m) for m in methods)


def _documented_placeholder(node: ast.AST) -> bool:
    return bool(placeholder_kind(node.body)) and has_docstring(node)  # type: ignore[attr-defined]


SHARED_FACTS.append(_documented_placeholder)  # other methods' findings read it


@rule(
    "LY501",
    "placeholder-implementation",
    summary="A function whose body is only a placeholder: `pass`, `...`, `raise NotImplementedError` or a stub return.",
    nodes=FUNCTION_DEFS,
    severity=Severity.WARNING,
    confidence=Confidence.MEDIUM,
)
def placeholder_implementation(node: ast.FunctionDef, ctx) -> None:
    """
    ## What it does
    Flags a function whose body is only `pass`, `...`, a docstring, or `raise NotImplementedError`,
    and one that only returns a constant (`None`, `0`, `[]`, `""`) beside a TODO comment.

    ## Why it matters
    Generated code often ships the signature and the docstring of a function and leaves the body
    for later. The module imports, the call sites type-check, and the function silently does
    nothing, or fails only when a user reaches it.

    ## What to check in review
    Write the body, or raise an error that names what is missing and make sure no caller depends
    on it yet. If the empty body is intentional (a hook meant to be overridden, a no-op callback),
    make that visible: an abstract method, a `Protocol`, or a name such as `_noop`.

    ## Example
    ```python
    def charge_card(card, amount):
        \"\"\"Charge the card and return the transaction id.\"\"\"
        pass
    ```

    ## Use instead
    ```python
    def charge_card(card, amount):
        \"\"\"Charge the card and return the transaction id.\"\"\"
        return gateway.charge(card.token, amount).transaction_id
    ```

    ## Known limitations
    Quiet, by design, for: `.pyi` stubs; `@abstractmethod` and `@overload`; methods of
    `Protocol`, `ABC` and other classes with a metaclass; classes named `Base*`, `Abstract*`,
    `*Mixin`, `*Interface`; classes subclassed in the same file (their empty methods are hooks);
    documented interface classes, where every method is a placeholder with a docstring; methods
    that only `raise NotImplementedError` (the usual "subclasses implement this") and methods of
    classes with a base class that are `pass` or `...` (an override that turns something off),
    unless a TODO sits beside them or in the error message; dunder methods such as `__init__`
    with `pass`; functions named as no-ops (`noop`, `_dummy`, `ignore`); nested functions and
    fallback definitions under `if`/`try`; everything in test files (fakes are empty on
    purpose; LY503 reports empty tests).
    A constant return is only reported beside a TODO comment: many real functions return `None`.
    """
    if ctx.path.endswith(".pyi"):
        return
    kind = placeholder_kind(node.body)
    if kind is None:
        return
    if any(last_part(name) in _QUIET_DECORATORS for name in decorator_names(node)):
        return
    if node.name.startswith("__") and node.name.endswith("__") or _NOOP_NAME.search(node.name):
        return
    if ctx.is_test_file:
        return  # fakes and dummies in tests are empty on purpose; empty tests are LY503's
    todo = _todo_near(node, ctx)
    if kind == "constant return" and not todo:
        return
    parent = ctx.parent_of(node)
    if isinstance(parent, ast.ClassDef):
        if _class_is_interface(parent, ctx):
            return
        if not todo and (kind == "raise NotImplementedError" or (parent.bases and kind in ("pass", "...", "docstring only"))):
            return  # "subclasses must implement this", or an override that turns something off
    if isinstance(parent, (ast.If, ast.Try, ast.ExceptHandler, *FUNCTION_DEFS)) and not todo:
        return  # a fallback definition (`except ImportError: def f(): ...`) or a nested callback
    what = {
        "pass": "only `pass`",
        "...": "only `...`",
        "docstring only": "only a docstring",
        "raise NotImplementedError": "only `raise NotImplementedError`",
        "constant return": "only a constant return beside a TODO",
    }[kind]
    confidence = Confidence.HIGH if todo else None
    ctx.report(ctx.source.head_span(node), f"`{node.name}` has {what}: the implementation is missing", confidence=confidence)
