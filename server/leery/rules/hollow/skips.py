"""LY505 skipped-test-without-reason and LY506 unconditional-skip."""

from __future__ import annotations

import ast
import re

from leery.core.findings import Confidence, Severity
from leery.core.registry import rule
from leery.rules.hollow.shapes import (
    FUNCTION_DEFS,
    body_without_docstring,
    call_name,
    is_test_class,
    is_test_function,
    last_part,
)

_SKIP_DECORATORS = {"pytest.mark.skip", "pytest.mark.skipif", "mark.skip", "mark.skipif", "unittest.skip", "unittest.skipIf", "unittest.skipUnless", "skip", "skipIf", "skipUnless"}
_SKIP_CALLS = {"pytest.skip", "self.skipTest", "unittest.SkipTest", "SkipTest", "skip"}
_PLACEHOLDER_REASON = re.compile(r"^\s*(|todo|tbd|fixme|skip|skipped|wip|later|fix later|temp|temporary|broken|fails?|failing|flaky|not working|doesn'?t work|\.+)\s*[.!]?\s*$", re.I)
# Positional index of the reason for each decorator or call (`skipif(cond, reason=...)`).
_REASON_POSITION = {"skip": 0, "skipIf": 1, "skipUnless": 1, "skipif": None, "skipTest": 0, "SkipTest": 0}


def _reason(call: ast.Call | None, kind: str) -> ast.expr | None:
    if call is None:
        return None
    for kw in call.keywords:
        if kw.arg in ("reason", "msg"):
            return kw.value
    position = _REASON_POSITION.get(kind)
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _missing_reason(call: ast.Call | None, kind: str) -> bool:
    if kind == "skipif" and call is not None and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return False  # a string condition is shown as the reason
    reason = _reason(call, kind)
    if reason is None:
        return True
    if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
        return bool(_PLACEHOLDER_REASON.match(reason.value))
    return False  # a variable or an f-string: assume it says something


def skip_decorators(node: ast.AST):
    """(decorator node, call or None, kind) for each skip marker on a function or class."""
    for dec in getattr(node, "decorator_list", []):
        call = dec if isinstance(dec, ast.Call) else None
        name = call_name(dec) if call else ast.unparse(dec)
        if name in _SKIP_DECORATORS or (name.endswith((".skip", ".skipif")) and ".mark." in f".{name}"):
            yield dec, call, last_part(name)


def top_skip(node: ast.AST) -> tuple[ast.AST, ast.Call | None, str] | None:
    """`pytest.skip(...)`, `self.skipTest(...)` or `raise SkipTest(...)` as the first statement."""
    body = body_without_docstring(getattr(node, "body", []))
    if not body:
        return None
    stmt = body[0]
    call = None
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        call = stmt.value
    elif isinstance(stmt, ast.Raise) and stmt.exc is not None:
        call = stmt.exc if isinstance(stmt.exc, ast.Call) else None
        name = ast.unparse(stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc)
        if last_part(name) == "SkipTest":
            return stmt, call, "SkipTest"
        return None
    if call is not None and call_name(call) in _SKIP_CALLS:
        return stmt, call, last_part(call_name(call))
    return None


def is_skipped(node: ast.AST) -> bool:
    return any(True for _ in skip_decorators(node)) or top_skip(node) is not None


def _is_test(node: ast.AST, ctx) -> bool:
    if not ctx.is_test_file:
        return False
    if isinstance(node, ast.ClassDef):
        return is_test_class(node)
    return is_test_function(node, ctx)


@rule(
    "LY505",
    "skipped-test-without-reason",
    summary="A test is skipped without saying why.",
    nodes=(*FUNCTION_DEFS, ast.ClassDef, ast.Call),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
)
def skipped_test_without_reason(node: ast.AST, ctx) -> None:
    """
    ## What it does
    Flags `@pytest.mark.skip`, `@pytest.mark.skipif(...)`, `@unittest.skip(...)`,
    `pytest.skip()` and `self.skipTest()` in a test file when they give no reason, or a
    placeholder one (`""`, `"TODO"`, `"skip"`, `"broken"`).

    ## Why it matters
    A skipped test is a test that no longer protects anything. Generated code skips tests that
    fail instead of fixing them; without a reason, nobody can tell when the skip may go.

    ## What to check in review
    Fix the test, or write the reason: the issue it waits for, the platform it cannot run on.

    ## Example
    ```python
    @pytest.mark.skip
    def test_refund():
        ...
    ```

    ## Use instead
    ```python
    @pytest.mark.skip(reason="refunds need the sandbox gateway, see #412")
    def test_refund():
        ...
    ```

    ## Known limitations
    A reason held in a variable counts as a reason. A `pytest.skip()` that is the first statement
    of a test is reported as LY506 instead, with the missing reason in its message.
    """
    if isinstance(node, ast.Call):
        name = call_name(node)
        if name not in ("pytest.skip", "self.skipTest") or not ctx.is_test_file:
            return
        func = ctx.enclosing_function
        top = top_skip(func) if func is not None else None
        if top is not None and top[1] is node and _is_test(func, ctx):
            return  # LY506 reports it
        if _missing_reason(node, last_part(name)):
            ctx.report(node, f"`{name}()` gives no reason for skipping")
        return
    if not _is_test(node, ctx):
        return
    for dec, call, kind in skip_decorators(node):
        if _missing_reason(call, kind):
            ctx.report(dec, f"`@{ast.unparse(dec.func if call else dec)}` gives no reason for skipping `{node.name}`")


@rule(
    "LY506",
    "unconditional-skip",
    summary="A test that skips itself unconditionally in its first statement: its body never runs.",
    nodes=FUNCTION_DEFS,
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
)
def unconditional_skip(node: ast.FunctionDef, ctx) -> None:
    """
    ## What it does
    Flags a test whose first statement is `pytest.skip(...)`, `self.skipTest(...)` or
    `raise unittest.SkipTest(...)`.

    ## Why it matters
    The rest of the test is dead code that still reads as a test. Generated code uses this to
    make a failing test "pass"; unlike a `@pytest.mark.skip` marker, the skip is invisible to
    `pytest -m`, to collection reports and to anyone reading the list of markers.

    ## What to check in review
    Fix the test or delete it. If it must stay skipped, use a marker with a reason, or skip
    under a condition (`pytest.importorskip`, `skipif`).

    ## Example
    ```python
    def test_export():
        pytest.skip("flaky")
        assert export(report) == EXPECTED
    ```

    ## Use instead
    ```python
    @pytest.mark.skip(reason="export times out on CI runners, see #88")
    def test_export():
        assert export(report) == EXPECTED
    ```

    ## Known limitations
    Only the first statement (after a docstring) is checked; a skip under an `if` is conditional
    and not reported.
    """
    if not _is_test(node, ctx):
        return
    top = top_skip(node)
    if top is None:
        return
    stmt, call, kind = top
    detail = " and gives no reason" if _missing_reason(call, kind) else ""
    ctx.report(stmt, f"`{node.name}` skips itself unconditionally{detail}: its body never runs")
