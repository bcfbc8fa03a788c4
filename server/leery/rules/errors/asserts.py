"""LY107: `assert` used to validate the arguments of a public function."""

from __future__ import annotations

import ast
import re

from leery.core import astutil
from leery.core.context import FUNCTION_NODES, Context, dotted_name
from leery.core.findings import Applicability, Confidence, Fix, Severity
from leery.core.registry import rule

_NOT_ARGUMENTS = frozenset({"self", "cls"})
_INTERNAL_FOLDERS = frozenset({"_internal", "internal", "_vendor", "vendor"})
# The same check in bandit (B101) or ruff (S101) silenced on the line.
_SILENCED = re.compile(r"#\s*(nosec|noqa(?!:)|noqa:[^#]*\bS101\b)")


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef, before: int) -> dict[str, ast.arg]:
    """Parameters by name, less `self`/`cls` and those re-bound before line `before` (computed values now)."""
    args = function.args
    params = {a.arg: a for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
    for node in astutil.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.lineno < before:
            params.pop(node.id, None)
    for name in _NOT_ARGUMENTS:
        params.pop(name, None)
    return params


def _private_module(path: str) -> bool:
    """`pkg/_impl.py`, `pkg/_internal/x.py`, `pkg/internal/x.py`: callers are the package itself."""
    parts = path.replace("\\", "/").split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if stem.startswith("_") and not (stem.startswith("__") and stem.endswith("__")):
        return True
    if any(p in _INTERNAL_FOLDERS for p in parts[:-1]):
        return True
    # Otherwise only the nearest folders: a checkout under `~/_work/` must not hide a whole project.
    return any(p.startswith("_") and not p.startswith("__") for p in parts[-3:-1])


def _reviewed_elsewhere(ctx: Context, node: ast.Assert) -> bool:
    comment = ctx.source.comments_by_line.get(node.lineno - 1)
    return comment is not None and bool(_SILENCED.search(comment.text))


def _is_public(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _under_type_checking(ctx: Context) -> bool:
    for anc in ctx.parents:
        if isinstance(anc, ast.If):
            name = dotted_name(anc.test)
            if name is not None and name.rsplit(".", 1)[-1] == "TYPE_CHECKING":
                return True
    return False


def _checked_parameter(test: ast.expr, params: dict[str, ast.arg], is_type: bool) -> str | None:
    """The first parameter the test looks at directly (`param.attr` checks the object's state, not the input)."""
    methods = {id(n.func) for n in ast.walk(test) if isinstance(n, ast.Call)}
    seen_as_base = {
        id(n.value)
        for n in ast.walk(test)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and id(n) not in methods
    }
    for node in ast.walk(test):
        if isinstance(node, ast.Call) and (dotted_name(node.func) or "").endswith("assert_never"):
            return None
    for node in ast.walk(test):
        if isinstance(node, ast.Name) and node.id in params and id(node) not in seen_as_base:
            if is_type and params[node.id].annotation is not None:
                continue  # narrowing a declared type for the type checker, not validating input
            return node.id
    return None


@rule(
    "LY107",
    "assert-for-validation",
    summary="An `assert` checks an argument of a public function; `python -O` removes it.",
    nodes=(ast.Assert,),
    severity=Severity.WARNING,
    confidence=Confidence.MEDIUM,
    fixable=True,
)
def assert_for_validation(node: ast.Assert, ctx: Context) -> None:
    """
    ## What it does
    Flags an `assert` statement that tests a parameter of the public function or method it
    is in, outside test files.

    ## Why it matters
    `python -O` (and `PYTHONOPTIMIZE`, used by some deployments and packagers) removes
    every `assert`. Validation written as `assert` disappears exactly where it matters, and
    bad input flows on into the code the assertion was meant to protect. Where it does run,
    it raises `AssertionError`, which callers do not expect for bad input.

    ## What to check in review
    Whether the condition checks what a caller passed in. If so, raise `ValueError` (wrong
    value) or `TypeError` (wrong type) with a message naming the argument.

    ## Example
    ```python
    def transfer(amount, account):
        assert amount > 0, "amount must be positive"
    ```

    ## Use instead
    ```python
    def transfer(amount, account):
        if amount <= 0:
            raise ValueError(f"amount must be positive, got {amount}")
    ```

    ## Fix safety
    The fix is **display-only**: it names the exception to raise (`TypeError` for an
    `isinstance` test, `ValueError` otherwise) and leaves the rewrite, and its message, to
    you.

    ## Known limitations
    - Asserts on values the function computed itself are internal invariants, which is what
      `assert` is for: not reported. So are asserts in private functions (`_name`) and in
      functions nested in other functions, whose arguments come from the same module, and
      asserts under `if TYPE_CHECKING:` or calling `assert_never`.
    - `assert isinstance(arg, T)` on an annotated argument is taken as narrowing for the type
      checker, not as validation; on an unannotated argument it is reported.
    - An argument re-bound before the `assert` is a computed value: not reported. So is a
      test that only reads an attribute of an argument (`assert node.type == "name"`): such
      asserts usually state invariants of the caller's objects.
    - Functions named `assert...` (assertion helpers) and asserts whose line silences
      bandit's or ruff's assert check (`# nosec`, `# noqa: S101`) are not reported.
    - Test files (`test_*.py`, `*_test.py`, `conftest.py`, files under `tests/`) and private
      modules (`_impl.py`, `_internal/`, `internal/`, vendored code) are skipped: their callers are the
      package itself.
    """
    if ctx.is_test_file or _private_module(ctx.path):
        return
    function = ctx.enclosing_function
    if function is None or not _is_public(function.name) or _under_type_checking(ctx):
        return
    if function.name.startswith("assert") or _reviewed_elsewhere(ctx, node):
        return  # an assertion helper asserts by design; a silenced S101/B101 was a decision
    if any(isinstance(anc, FUNCTION_NODES) for anc in ctx.parents if anc is not function):
        return  # nested function: its callers are in this module
    is_type = any(
        isinstance(n, ast.Call) and dotted_name(n.func) in ("isinstance", "issubclass") for n in ast.walk(node.test)
    )
    param = _checked_parameter(node.test, _parameters(function, node.lineno), is_type)
    if param is None:
        return
    error = "TypeError" if is_type else "ValueError"
    fix = Fix(f"Raise `{error}` instead of `assert` (rewrite by hand)", Applicability.DISPLAY_ONLY)
    ctx.report(
        node,
        f"`assert` validates argument `{param}` of `{function.name}()`: `python -O` strips it and bad input passes",
        fix=fix,
    )
