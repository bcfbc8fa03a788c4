"""LY101, LY102, LY104: exception handlers and `finally` blocks that hide errors."""

from __future__ import annotations

import ast
import re

from leery.core.context import Context, dotted_name, is_constant
from leery.core.findings import Applicability, Confidence, Edit, Fix, Severity, Span
from leery.core.registry import rule
from leery.rules.errors._util import insert_line_after

BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
_EMPTY_CALLS = frozenset({"dict", "list", "tuple", "set", "frozenset", "str", "bytes"})
_QUIET_LOG_LEVELS = frozenset({"debug", "trace"})
_PRAGMA = re.compile(r"#\s*(leery:|noqa|pragma|type:|pyright:|expect:|nosec|pylint:)")
# Another linter's broad-except check was silenced on this line: the catch was already reviewed.
_REVIEWED_ELSEWHERE = re.compile(
    r"#\s*(noqa(?!:)|noqa:[^#]*\b(BLE001|E722|S110|S112)\b|nosec|pylint:\s*disable=[^#]*"
    r"(broad-except|broad-exception-caught|bare-except|W0703|W0702|W0718))"
)
TRY_NODES = tuple(t for t in (ast.Try, getattr(ast, "TryStar", None)) if t is not None)


def broad_types(ctx: Context, expr: ast.expr | None) -> list[str]:
    """The broad classes (`Exception`, `BaseException`) an `except` clause or a call argument names."""
    if expr is None:
        return []
    types = expr.elts if isinstance(expr, ast.Tuple) else [expr]
    names = []
    for t in types:
        q = ctx.qualname(t)
        if q in BROAD:
            names.append(q.rsplit(".", 1)[-1])
    return names


def _made_up_default(ctx: Context, value: ast.expr | None) -> bool:
    if value is None:
        return True
    if isinstance(value, ast.Constant):
        v = value.value
        return v is None or v is False or v == "" or v == b"" or (type(v) in (int, float) and v == 0)
    if isinstance(value, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
        return not (getattr(value, "keys", None) or getattr(value, "elts", None))
    if isinstance(value, ast.Call) and not value.args and not value.keywords:
        return ctx.qualname(value.func) in _EMPTY_CALLS
    return False


def _hollow_action(ctx: Context, stmt: ast.stmt) -> str | None:
    """What a handler statement does when it does nothing about the error; None when it does something."""
    if isinstance(stmt, ast.Pass):
        return "passes"
    if isinstance(stmt, ast.Continue):
        return "continues the loop"
    if isinstance(stmt, ast.Return) and _made_up_default(ctx, stmt.value):
        shown = ctx.source.text_of(stmt.value) if stmt.value is not None else "None"
        return f"returns `{shown}`"
    if isinstance(stmt, ast.Expr):
        value = stmt.value
        if isinstance(value, ast.Constant) and (value.value is Ellipsis or isinstance(value.value, str)):
            return "has `...`" if value.value is Ellipsis else ""
        if isinstance(value, ast.Call):
            if ctx.qualname(value.func) == "print":
                return "prints"
            if isinstance(value.func, ast.Attribute) and value.func.attr in _QUIET_LOG_LEVELS:
                return "logs at debug level"
    return None


_PREDICATE_PREFIXES = ("is_", "has_", "can_", "safe_", "should_", "supports_")
_PREDICATE_TYPES = ("bool", "TypeGuard", "TypeIs")


def _is_predicate(function: ast.AST | None) -> bool:
    """A yes/no function (`-> bool`, an `is_`/`has_`/`safe_` name, or a `return True`): failure means "no"."""
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    returns = function.returns.value if isinstance(function.returns, ast.Subscript) else function.returns
    if returns is not None and (dotted_name(returns) or "").rsplit(".", 1)[-1] in _PREDICATE_TYPES:
        return True
    if function.name.lstrip("_").startswith(_PREDICATE_PREFIXES):
        return True
    return any(isinstance(n, ast.Return) and is_constant(n.value, True) for n in ast.walk(function))


def _deliberate(ctx: Context, node: ast.ExceptHandler, actions: list[str]) -> bool:
    """Handlers whose hollow body is the point: cleanup in `__del__`, a predicate's `False`, a `try/else` switch."""
    function = ctx.enclosing_function
    if function is not None and function.name == "__del__":
        return True
    if actions == ["returns `False`"] and _is_predicate(function):
        return True
    try_node = ctx.parent
    # `try: x() except Exception: pass else: use(x)`: the handler chooses the path, the else runs only on success.
    return isinstance(try_node, TRY_NODES) and bool(try_node.orelse) and set(actions) <= {"passes", "continues the loop"}


def _reviewed_elsewhere(ctx: Context, node: ast.ExceptHandler) -> bool:
    comment = ctx.source.comments_by_line.get(node.lineno - 1)
    return comment is not None and bool(_REVIEWED_ELSEWHERE.search(comment.text))


def _has_comment(ctx: Context, node: ast.ExceptHandler) -> bool:
    """A human's note in the handler (other than tool pragmas): the swallowing may be explained."""
    span = ctx.source.span_of(node)
    for line in range(span.start_line, span.end_line + 1):
        comment = ctx.source.comments_by_line.get(line)
        if comment is not None and not _PRAGMA.search(comment.text):
            return True
    return False


def _handler_head(ctx: Context, node: ast.ExceptHandler) -> Span:
    """`except (A, B) as e` without the body or a trailing comment."""
    start = ctx.source.span_of(node)
    if node.type is not None:
        end = ctx.source.span_of(node.type)
        return Span(start.start_line, start.start_col, end.end_line, end.end_col)
    return Span(start.start_line, start.start_col, start.start_line, start.start_col + len("except"))


def _reraise_fix(ctx: Context, node: ast.ExceptHandler) -> Fix | None:
    last = node.body[-1]
    if isinstance(last, (ast.Pass, ast.Continue, ast.Return)) or (
        isinstance(last, ast.Expr) and isinstance(last.value, ast.Constant)
    ):
        edit: Edit | None = Edit(ctx.source.span_of(last), "raise")
    elif ctx.source.span_of(last).start_line == ctx.source.span_of(node).start_line:
        end = ctx.source.span_of(last)
        edit = Edit(Span(end.end_line, end.end_col, end.end_line, end.end_col), "; raise")
    else:
        edit = insert_line_after(ctx, last, "raise")
    if edit is None:
        return None
    return Fix("Re-raise the exception", Applicability.UNSAFE, (edit,))


@rule(
    "LY101",
    "swallowed-exception",
    summary="A bare or broad `except` whose body hides the error (passes, prints, returns a made-up default).",
    nodes=(ast.ExceptHandler,),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
    fixable=True,
)
def swallowed_exception(node: ast.ExceptHandler, ctx: Context) -> None:
    """
    ## What it does
    Flags a bare `except:` or an `except Exception` / `except BaseException` (also inside a
    tuple) whose body does nothing about the error: it only passes, continues the loop, has
    `...`, prints, logs at debug level, or returns a made-up default (`None`, `{}`, `[]`, `""`,
    `False`, `0`, an empty set or tuple).

    ## Why it matters
    Every failure, including the ones nobody expected (a typo raising `NameError`, a
    `KeyboardInterrupt` under a bare `except:`, a full disk), turns into a plausible result.
    The caller cannot tell "no data" from "broken", and the bug surfaces far away, if at all.
    Generated code does this often because it makes examples "robust".

    ## What to check in review
    Which exceptions this code can actually raise and which of them it can handle. Catch
    those by name, let the rest propagate, or log the error at warning level or above and say
    why continuing is right.

    ## Example
    ```python
    try:
        config = json.loads(text)
    except Exception:
        return {}
    ```

    ## Use instead
    ```python
    try:
        config = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"invalid config: {exc}") from exc
    ```

    ## Fix safety
    "Re-raise the exception" replaces the hollow last statement (`pass`, `continue`, `...`,
    the `return` of a default) with `raise`, or adds `raise` after a `print` or debug log.
    It is **unsafe**: callers that relied on the default now see the exception.

    ## Known limitations
    - A handler that logs at warning level or above (`log.warning`, `log.error`,
      `log.exception`) counts as handling the error, even when it then returns a default: the
      failure is recorded, and top-level loops in servers and workers legitimately log and go
      on. Review those by hand.
    - `print(...)` counts as hiding the error even when it prints the exception: nothing
      upstream can react to it.
    - Deliberate shapes are not reported: handlers in `__del__` (Python ignores errors there
      anyway); `return False` in a yes/no function (`-> bool` or `TypeGuard[...]`, a name
      starting with `is_`, `has_`, `can_`, `safe_`, or one that also returns `True`), where
      any failure means "no";
      and `pass` / `continue` in a `try` with an `else:` block, where the handler chooses
      which path runs.
    - A handler whose `except` line silences the same check of another linter (`# noqa`,
      `# noqa: BLE001` / `E722` / `S110` / `S112`, `# nosec`, `# pylint: disable=broad-except`
      and its kin) is not reported: it was reviewed already.
    - A handler with a comment is still reported, with low confidence: the comment may
      explain the choice, but the exception class should usually be narrowed anyway.
    - A handler that assigns a default (`except Exception: value = None`) is not reported.
    - Only the statement kinds listed above count as hollow; a handler that does anything
      else (calls a function, sets a flag) is assumed to handle the error.
    """
    broad = broad_types(ctx, node.type)
    if node.type is not None and not broad:
        return
    actions = [_hollow_action(ctx, stmt) for stmt in node.body]
    if any(a is None for a in actions):
        return
    said = [a for a in actions if a]
    if not said or _deliberate(ctx, node, said) or _reviewed_elsewhere(ctx, node):  # type: ignore[arg-type]
        return
    clause = "bare `except:`" if node.type is None else f"`except {broad[0]}`"
    message = f"{clause} swallows every error: the handler only {' and '.join(dict.fromkeys(said))}"
    confidence = Confidence.HIGH if set(said) <= {"passes", "has `...`", "continues the loop"} else Confidence.MEDIUM
    if _has_comment(ctx, node):
        confidence = Confidence.LOW
    ctx.report(_handler_head(ctx, node), message, fix=_reraise_fix(ctx, node), confidence=confidence)


@rule(
    "LY102",
    "suppressed-broad-exception",
    summary="`contextlib.suppress(Exception)` hides every error raised in its block.",
    nodes=(ast.Call,),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
)
def suppressed_broad_exception(node: ast.Call, ctx: Context) -> None:
    """
    ## What it does
    Flags `contextlib.suppress(Exception)` and `suppress(BaseException)`, also when the broad
    class is one of several arguments and when `suppress` is imported under another name.

    ## Why it matters
    `suppress(Exception)` is a swallowed exception in one line: every error in the block,
    including typos and broken invariants, disappears without a trace. It reads as a
    deliberate, tidy choice, which is why it survives review.

    ## What to check in review
    Which exception the block is expected to raise (`FileNotFoundError` for a removal that
    may find nothing, `ProcessLookupError` for a kill), and suppress that one.

    ## Example
    ```python
    with suppress(Exception):
        os.remove(path)
    ```

    ## Use instead
    ```python
    with suppress(FileNotFoundError):
        os.remove(path)
    ```

    ## Known limitations
    Only calls to `contextlib.suppress` are checked (also through `from contextlib import
    suppress as x`); home-made suppressing context managers are not. A tuple stored in a
    variable (`suppress(*ERRORS)`) is not followed.
    """
    if ctx.call_qualname(node) != "contextlib.suppress":
        return
    broad = [name for arg in node.args for name in broad_types(ctx, arg)]
    if broad:
        ctx.report(node, f"`suppress({broad[0]})` hides every error raised in this block, not only the expected one")


def _escaping_statements(stmts: list[ast.stmt], in_loop: bool = False):
    """`return`s, and `break`/`continue`s not owned by a loop inside the block, under a `finally`."""
    for stmt in stmts:
        if isinstance(stmt, ast.Return) or (isinstance(stmt, (ast.Break, ast.Continue)) and not in_loop):
            yield stmt
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            yield from _escaping_statements(stmt.body, True)
            yield from _escaping_statements(stmt.orelse, in_loop)
        elif isinstance(stmt, TRY_NODES):
            # A nested `finally` is that try's own business: its LY104 is reported from there.
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse):
                yield from _escaping_statements(block, in_loop)
        else:
            for field in ("body", "orelse"):
                yield from _escaping_statements(getattr(stmt, field, []) or [], in_loop)
            for case in getattr(stmt, "cases", []) or []:
                yield from _escaping_statements(case.body, in_loop)


@rule(
    "LY104",
    "control-flow-in-finally",
    summary="`return`, `break` or `continue` inside `finally` silently drops the exception in flight.",
    nodes=TRY_NODES,
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
)
def control_flow_in_finally(node: ast.Try, ctx: Context) -> None:
    """
    ## What it does
    Flags `return`, `break` and `continue` inside a `finally` block. A `break` or `continue`
    of a loop that is itself inside the `finally`, and anything inside a function defined
    there, are fine and not reported.

    ## Why it matters
    When the `try` block raises, `finally` runs and then the exception continues, unless
    `finally` jumps away: then the exception is discarded without a trace, and a `return`
    there also overrides the value the `try` block returned. Python 3.14 warns about it
    (PEP 765) for this reason.

    ## What to check in review
    Move the `return` after the `try` statement, or catch the specific exceptions that should
    end the function, and keep `finally` for clean-up only.

    ## Example
    ```python
    try:
        return json.load(handle)
    finally:
        return {}
    ```

    ## Use instead
    ```python
    try:
        return json.load(handle)
    except json.JSONDecodeError:
        return {}
    ```

    ## Known limitations
    The finding is reported even when the `try` body cannot raise; such a `finally` is
    still misleading. A `finally` inside a nested `try` within `finally` is reported once,
    for the innermost `try`.
    """
    try_line = node.lineno
    for stmt in _escaping_statements(node.finalbody):
        word = type(stmt).__name__.lower()
        ctx.report(
            stmt,
            f"`{word}` inside `finally` (of the `try` on line {try_line}) discards any exception raised in the `try` block",
        )
