"""LY103: subprocess results that nobody checks."""

from __future__ import annotations

import ast

from leery.core.context import Context
from leery.core.findings import Applicability, Confidence, Fix, Severity
from leery.core.registry import rule
from leery.rules.errors._util import add_keyword, ancestor, bound_name, call_label, name_loads, scope_of

# Reading only these leaves the exit status unchecked. Reading `.stderr` is looking at the failure: not counted.
_OUTPUT_ATTRS = frozenset({"stdout", "args"})


def _unchecked_use(ctx: Context, call: ast.Call) -> str | None:
    """How the result is left unchecked, or None when it is read, returned or passed on."""
    parent = ancestor(ctx)
    if isinstance(parent, ast.Expr):
        return "its result is dropped"
    if isinstance(parent, ast.Attribute) and parent.value is call:
        return f"only its `.{parent.attr}` is read" if parent.attr in _OUTPUT_ATTRS else None
    name = bound_name(parent, call)
    if name is None:
        return None
    loads = name_loads(scope_of(ctx), name)
    if not loads:
        return f"its result `{name}` is never read"
    attrs = []
    for load in loads:
        use = ctx.parent_of(load)
        if not (isinstance(use, ast.Attribute) and use.attr in _OUTPUT_ATTRS):
            return None
        attrs.append(f"`{name}.{use.attr}`")
    return f"only {', '.join(dict.fromkeys(attrs))} is read, never its return code"


@rule(
    "LY103",
    "unchecked-subprocess",
    summary="A subprocess result whose exit status is never checked.",
    nodes=(ast.Call,),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
    fixable=True,
)
def unchecked_subprocess(node: ast.Call, ctx: Context) -> None:
    """
    ## What it does
    Flags `subprocess.run(...)` without `check=` and `subprocess.call(...)` whose result is
    dropped, assigned and never read, or read only for its output (`.stdout`), and
    `os.system(...)` whose result is dropped. Import aliases (`import subprocess as sp`,
    `from subprocess import run`) are followed.

    ## Why it matters
    A command that fails returns a non-zero exit status and no exception. Code that ignores
    the status goes on with an empty or partial output, as if the build, the copy or the
    migration had worked.

    ## What to check in review
    What should happen when the command fails. Usually: `check=True` (raises
    `CalledProcessError`), or a test of `returncode` with a clear error.

    ## Example
    ```python
    proc = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    return proc.stdout.strip()
    ```

    ## Use instead
    ```python
    proc = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    return proc.stdout.strip()
    ```

    ## Fix safety
    "Add `check=True`" (for `subprocess.run`) is **unsafe**: a failing command now raises
    `CalledProcessError` where the code went on before.

    ## Known limitations
    - An explicit `check=False` is taken as a deliberate choice and not reported, and so is
      a result whose `.stderr` is read (the code looks at the failure output).
    - The result is followed only through a plain name in the same function; a result that
      is returned, passed to a call, stored on an attribute or compared is assumed checked.
    - Calls that forward `**kwargs` are not reported: `check` may be in them.
    - `subprocess.Popen` and `os.popen` are not checked.
    """
    qualname = ctx.call_qualname(node)
    if qualname in ("subprocess.run", "subprocess.call"):
        if ctx.has_star_kwargs(node) or ctx.keyword(node, "check") is not None:
            return
        how = _unchecked_use(ctx, node)
        if how is None:
            return
        fix = None
        if qualname == "subprocess.run":
            fix = Fix("Add `check=True`", Applicability.UNSAFE, (add_keyword(ctx, node, "check=True"),))
        label = call_label(ctx, node)
        ctx.report(node, f"{label} is never checked ({how}): a failing command goes unnoticed", fix=fix)
    elif qualname == "os.system" and isinstance(ancestor(ctx), ast.Expr):
        ctx.report(node, "`os.system(...)` exit status is dropped: a failing command goes unnoticed")
