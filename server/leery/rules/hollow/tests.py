"""LY503 test-without-assertion and LY504 tautological-assertion."""

from __future__ import annotations

import ast
import re

from leery.core import astutil
from leery.core.context import dotted_name
from leery.core.findings import Confidence, Severity
from leery.core.registry import rule
from leery.rules.hollow import helpers
from leery.rules.hollow.shapes import (
    FUNCTION_DEFS,
    body_without_docstring,
    call_name,
    decorator_names,
    is_test_function,
    last_part,
)
from leery.rules.hollow.skips import is_skipped

# Callees that assert, by the last part of their name: unittest's `assert*` and `fail*`,
# mock's `assert_*`, pytest's `raises`/`warns`/`fail`, snapshot and approval libraries
# (`snapshot.assert_match`, `verify`), and helpers named as checks.
ASSERTING_CALL = re.compile(r"^(assert|check|verify|expect|ensure|validate|must|should|fail|raises|warns|deprecated_call|approve|compare)", re.I)
# Test names that say the test is about not raising: a call without an assert is the point.
_NO_RAISE_NAME = re.compile(r"(smoke|no_?error|not_?raise|doesnt_?raise|does_?not_?raise|no_?exception|no_?crash|doesnt_?crash|does_?not_?crash)", re.I)
_NO_RAISE_DOC = re.compile(r"\b(not|never|n't) (fail|raise|crash|error|throw|break)|\bno (error|exception|crash)", re.I)
_QUIET_DECORATORS = {"given", "xfail", "benchmark", "example"}  # hypothesis, expected failures, benchmarks
_QUIET_PARAMS = {"benchmark", "snapshot_check"}


class _Evidence:
    """Searches statements for an assertion, following calls to helpers in the same file."""

    def __init__(self, ctx, cls: ast.ClassDef | None) -> None:
        self.ctx = ctx
        self.cls = cls
        self.functions = {n.name: n for n in ctx.source.tree.body if isinstance(n, FUNCTION_DEFS)}
        self.methods = {n.name: n for n in cls.body if isinstance(n, FUNCTION_DEFS)} if cls else {}
        self.seen: set[int] = set()

    def in_body(self, body: list[ast.stmt], depth: int = 0) -> bool:
        for stmt in body:
            if isinstance(stmt, ast.Return):
                return False  # what follows an unconditional return never runs
            if self.in_node(stmt, depth):
                return True
        return False

    def in_node(self, root: ast.AST, depth: int) -> bool:
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.Assert, ast.Raise)):
                return True
            if isinstance(node, ast.Call) and self._asserting_call(node, depth):
                return True
            if isinstance(node, (*FUNCTION_DEFS, ast.Lambda, ast.ClassDef)) and node is not root:
                continue  # a nested definition asserts only if it is called (followed via calls)
            stack.extend(astutil.children(node))
        return False

    def _asserting_call(self, call: ast.Call, depth: int) -> bool:
        name = call_name(call)
        attr = call.func.attr if isinstance(call.func, ast.Attribute) else last_part(name)
        if ASSERTING_CALL.match(attr):  # `mocks["a"].clear.assert_called_once()` too
            return True
        if depth >= 3:
            return False
        target = None
        if name in self.functions:
            target = self.functions[name]
        elif name.startswith(("self.", "cls.")) and name.count(".") == 1:
            target = self.methods.get(name.split(".", 1)[1])
        if target is not None:
            if id(target) in self.seen:
                return False
            self.seen.add(id(target))
            return self.in_body(target.body, depth + 1)
        qualname = self.ctx.qualname(call.func)
        if qualname and name and qualname != name or (name and name.split(".")[0] in self.ctx.imports):
            cache = self.ctx.__dict__.setdefault("_leery_helper_asserts", {})
            key = qualname or name
            if key not in cache:
                cache[key] = helpers.imported_helper_asserts(self.ctx, key, ASSERTING_CALL)
            return cache[key]
        return False


def _is_access(stmt: ast.stmt) -> bool:
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return True
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, (ast.Name, ast.Attribute))


def _quiet_test(node, ctx) -> bool:
    decorators = [last_part(d) for d in decorator_names(node)]
    if any(d in _QUIET_DECORATORS or d == "fixture" for d in decorators):
        return True  # fixtures are not tests, whatever their name
    params = {a.arg for a in node.args.args + node.args.kwonlyargs}
    if params & _QUIET_PARAMS or _NO_RAISE_NAME.search(node.name):
        return True
    doc = ast.get_docstring(node) or ""
    if _NO_RAISE_DOC.search(doc):
        return True  # "echo should not fail when stdout is None": not raising is the point
    body = body_without_docstring(node.body)
    if body and all(_is_access(s) for s in body):
        return True  # an import or attribute-access smoke test: `requests.session`
    return is_skipped(node)


@rule(
    "LY503",
    "test-without-assertion",
    summary="A test that asserts nothing: it passes whenever no exception is raised.",
    nodes=FUNCTION_DEFS,
    severity=Severity.WARNING,
    confidence=Confidence.MEDIUM,
)
def test_without_assertion(node: ast.FunctionDef, ctx) -> None:
    """
    ## What it does
    Flags a pytest or unittest test (a `test*` function in a test file, at module level or in a
    `Test*` / `TestCase` class) with no reachable assertion. Counted as assertions: `assert`,
    `raise`, calls named `assert*`, `check*`, `verify*`, `expect*`, `fail*` (unittest's
    `self.assert*`, mock's `assert_called_*`, `pytest.raises`/`warns`/`fail`, snapshot and
    approval libraries), and calls to helper functions of the same file or of the workspace
    that assert.

    ## Why it matters
    Generated test files often call the code and check nothing. They raise coverage and pass
    forever, including after the code they claim to test breaks.

    ## What to check in review
    Add the assertion the test's name promises: a return value, a side effect, a raised error.
    If the test is a smoke test that only has to not raise, say so in its name
    (`test_parse_does_not_raise`) and it stays quiet.

    ## Example
    ```python
    def test_apply_discount():
        apply_discount(cart, "SAVE10")
    ```

    ## Use instead
    ```python
    def test_apply_discount():
        apply_discount(cart, "SAVE10")
        assert cart.total == 90
    ```

    ## Known limitations
    Quiet, to avoid the false positives that made flake8-pytest-style decline this rule: tests
    decorated with hypothesis `@given`, `@pytest.mark.xfail` or `@example`; tests taking the
    `benchmark` fixture; tests whose name says they check that nothing raises (`smoke`,
    `does_not_raise`, `no_error`, `no_crash`) or whose docstring does ("should not fail"); tests that only import or access attributes; skipped tests
    (LY505/LY506 report those); calls to imported helpers that cannot be found on disk but are
    named like checks. Assertions made by fixtures or by pytest plugins through hooks are not seen.
    Statements after a top-level `return` count as unreachable.
    """
    if not is_test_function(node, ctx) or _quiet_test(node, ctx):
        return
    parent = ctx.parent_of(node)
    evidence = _Evidence(ctx, parent if isinstance(parent, ast.ClassDef) else None)
    if evidence.in_body(node.body):
        return
    ctx.report(ctx.source.head_span(node), f"`{node.name}` asserts nothing: it passes whenever the code it calls does not raise")


# -- LY504 ----------------------------------------------------------------------------------

_TRUTHY_ASSERTS = {"assertTrue", "assert_", "failUnless"}
_EQUAL_ASSERTS = {"assertEqual", "assertEquals", "assertIs", "assertCountEqual", "assertListEqual", "assertDictEqual", "assertSequenceEqual", "assertTupleEqual", "assertSetEqual", "assertMultiLineEqual", "assertAlmostEqual", "assertGreaterEqual", "assertLessEqual"}


def _pure(node: ast.AST) -> bool:
    """An expression whose two evaluations give the same value: names, attributes, constants."""
    return all(isinstance(n, (ast.Name, ast.Attribute, ast.Constant, ast.Subscript, ast.Load, ast.Tuple, ast.List)) for n in ast.walk(node))


def _same(a: ast.AST, b: ast.AST) -> bool:
    return type(a) is type(b) and ast.dump(a) == ast.dump(b)  # a dump starts with the type: most differ there


def _truthy_constant(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return bool(node.value) and node.value is not Ellipsis
    return isinstance(node, (ast.List, ast.Set, ast.Dict, ast.JoinedStr)) and bool(getattr(node, "elts", None) or getattr(node, "keys", None))


def tautology(test: ast.expr) -> str | None:
    """Why an asserted expression is always true, or None."""
    if isinstance(test, ast.Tuple):
        return None  # pyflakes F631 reports `assert (x, msg)`
    if _truthy_constant(test):
        return f"`{ast.unparse(test)}` is always true"
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.Is, ast.GtE, ast.LtE)):
        left, right = test.left, test.comparators[0]
        if _same(left, right) and _pure(left):
            return f"`{ast.unparse(test)}` compares a value with itself"
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and any(_truthy_constant(v) for v in test.values):
        return f"`{ast.unparse(test)}` has an always-true operand"
    return None


@rule(
    "LY504",
    "tautological-assertion",
    summary="An assertion that cannot fail: `assert True`, `assert x == x`, or a check of a mock's own return value.",
    nodes=(ast.Assert, ast.Call),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
)
def tautological_assertion(node: ast.AST, ctx) -> None:
    """
    ## What it does
    Flags assertions that hold whatever the code does: `assert True`, `assert "message"`,
    `assert x == x`, `assert x or True`, `self.assertTrue(1)`, `self.assertEqual(a, a)`, and a
    test that patches a function with `return_value=V`, calls the mock, and asserts that the
    result is `V`.

    ## Why it matters
    A tautology makes a test look checked. Generated tests produce them when the assistant
    does not know what the result should be, or when it mocks the very function under test.

    ## What to check in review
    Assert on what the code under test returns or does. Patch its collaborators, not the
    function itself.

    ## Example
    ```python
    @patch("shop.pricing.total", return_value=90)
    def test_total(mock_total):
        assert shop.pricing.total(cart) == 90
    ```

    ## Use instead
    ```python
    def test_total():
        assert shop.pricing.total(cart) == 90
    ```

    ## Known limitations
    An `assert` on a non-empty tuple (`assert (x, "message")`) is left to pyflakes F631, so it is
    not reported twice. `assert x == x` is also true-or-NaN; it is reported all the same. The
    mock check follows `patch(..., return_value=V)` in a `with`, `mocker.patch(...)`, and
    `m.return_value = V` in the same test; patches in decorators are matched by the mock's
    parameter name only when it is called directly.
    """
    if isinstance(node, ast.Assert):
        why = tautology(node.test)
        if why is None:
            why = _mock_echo(node.test, ctx)
        if why:
            ctx.report(node, f"assertion cannot fail: {why}")
        return
    name = last_part(call_name(node))
    if not name.startswith(("assert", "fail")) or not call_name(node).startswith("self."):
        return
    args = node.args
    why = None
    if name in _TRUTHY_ASSERTS and args and _truthy_constant(args[0]):
        why = f"`{ast.unparse(args[0])}` is always true"
    elif name == "assertFalse" and args and isinstance(args[0], ast.Constant) and not args[0].value:
        why = f"`{ast.unparse(args[0])}` is always false"
    elif name in _EQUAL_ASSERTS and len(args) >= 2 and _same(args[0], args[1]) and _pure(args[0]):
        why = f"`{ast.unparse(args[0])}` is compared with itself"
    elif name == "assertIsNotNone" and args and isinstance(args[0], (ast.Constant, ast.List, ast.Dict, ast.Tuple)) and not (isinstance(args[0], ast.Constant) and args[0].value is None):
        why = f"`{ast.unparse(args[0])}` is a literal, never None"
    elif name in _EQUAL_ASSERTS and len(args) >= 2:
        why = _mock_echo(ast.Compare(args[0], [ast.Eq()], [args[1]]), ctx)
    if why:
        ctx.report(node, f"assertion cannot fail: {why}")


def _mock_echo(test: ast.expr, ctx) -> str | None:
    """`assert f(x) == V` where `f` was patched with `return_value=V` in the same test."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Eq, ast.Is))):
        return None
    func = ctx.enclosing_function
    if func is None or not ctx.is_test_file or "return_value" not in ctx.source.text:
        return None
    cache = ctx.__dict__.setdefault("_leery_mocks", {})
    if id(func) not in cache:
        cache[id(func)] = (helpers.patched_returns(func), helpers.call_assignments(func))
    mocks, assigned = cache[id(func)]
    if not mocks:
        return None
    for side, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
        call = assigned.get(side.id) if isinstance(side, ast.Name) else side
        if not isinstance(call, ast.Call):
            continue
        callee = dotted_name(call.func) or ""
        for mock in mocks:
            hits_mock = callee == mock.name or (mock.target and last_part(callee) == last_part(mock.target))
            if hits_mock and mock.value is not None and _same(mock.value, other):
                return f"`{callee}` is patched to return `{ast.unparse(other)}`, so the test checks the mock, not the code"
    return None
