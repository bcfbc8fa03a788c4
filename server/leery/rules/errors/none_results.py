"""LY108: a result that may be None (no match, no key, no program) used at once."""

from __future__ import annotations

import ast
import re

from leery.core.context import Context, dotted_name
from leery.core.findings import Confidence, Severity
from leery.core.registry import rule
from leery.rules.errors._util import ancestor, call_label, in_try_catching, visible_bindings

_RE_FUNCTIONS = frozenset({"re.match", "re.search", "re.fullmatch"})
_PATTERN_METHODS = frozenset({"match", "search", "fullmatch"})
# What a failed lookup raises when used; a try that catches one of these has checked it.
_CAUGHT_BY = frozenset({"AttributeError", "TypeError", "Exception", "BaseException"})
# `.get(url).json()` is an HTTP client (flask's test client, a session), not a mapping.
_RESPONSE_ATTRS = frozenset(
    {"json", "text", "content", "data", "status_code", "raise_for_status", "ok", "headers", "iter_content", "iter_lines"}
)
_CLIENT_WORDS = ("session", "client", "http", "api", "requests")
# Calls that accept None: passing `shutil.which(...)` to them is a test, not a use.
_TAKES_NONE = frozenset({"bool", "print", "str", "repr", "isinstance", "type", "id"})

_PROBES = ("", "a", "0", " ", "\n", "a-b/c?d#e", "\u00e9\u4e2d")

def _compiled_pattern(ctx: Context, expr: ast.expr) -> ast.Call | None:
    """The `re.compile(...)` call a name is bound to (only to), in this function or at module level."""
    if not isinstance(expr, ast.Name):
        return None
    _, found = visible_bindings(ctx, expr.id)
    calls = [v for _, v in found if isinstance(v, ast.Call) and ctx.call_qualname(v) == "re.compile"]
    return calls[0] if calls and len(calls) == len(found) else None


def _always_matches(pattern: ast.expr | None, method: str) -> bool:
    """A literal pattern that matches every probe (`\\d*`, `.*|$`, an all-optional URI regex): it never returns None.

    Compiling and trying a literal regex on short probes runs no user code.
    """
    if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, str)):
        return False
    try:
        compiled = re.compile(pattern.value)
    except (re.error, RecursionError, OverflowError):
        return False
    return all(getattr(compiled, method)(probe) is not None for probe in _PROBES)


def _url_like(arg: ast.expr) -> bool:
    if isinstance(arg, ast.JoinedStr):
        return True
    return isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.startswith(("/", "http"))


def _lookup(ctx: Context, call: ast.Call) -> str | None:
    """Why `call` may return None, or None when it cannot (or we cannot tell)."""
    qualname = ctx.call_qualname(call)
    if qualname in _RE_FUNCTIONS:
        first = call.args[0] if call.args else ctx.keyword(call, "pattern")
        flagless = len(call.args) <= 2 and not ctx.keyword(call, "flags")
        if flagless and _always_matches(first, qualname.rsplit(".", 1)[-1]):
            return None
        return "returns None when nothing matches"
    if qualname == "os.getenv" and len(call.args) == 1 and not call.keywords:
        return "returns None when the variable is not set"
    if qualname == "shutil.which":
        return "returns None when the program is not on PATH"
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in _PATTERN_METHODS:
        compiled = _compiled_pattern(ctx, func.value)
        if compiled is None or len(call.args) > 1 or call.keywords:
            return None  # a `pos` argument could start the match past every probe
        flagless = len(compiled.args) == 1 and not compiled.keywords
        if flagless and _always_matches(compiled.args[0], func.attr):
            return None
        return "returns None when nothing matches"
    if func.attr == "get" and not call.keywords and call.args and not isinstance(call.args[0], ast.Starred):
        default_none = len(call.args) == 2 and isinstance(call.args[1], ast.Constant) and call.args[1].value is None
        if len(call.args) != 1 and not default_none:
            return None
        if isinstance(func.value, ast.Name) and func.value.id in ctx.imports:
            return None  # `requests.get(url)`: a module function, or an imported object we cannot see
        receiver = (dotted_name(func.value) or "").rsplit(".", 1)[-1].lower()
        if _url_like(call.args[0]) or any(word in receiver for word in _CLIENT_WORDS):
            return None
        return "returns None when the key is missing"
    return None


def _immediate_use(ctx: Context, call: ast.Call, is_which: bool) -> str | None:
    parent = ancestor(ctx)
    if isinstance(parent, ast.Attribute) and parent.value is call:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "get" and parent.attr in _RESPONSE_ATTRS:
            return None
        return f"`.{parent.attr}` is read at once"
    if isinstance(parent, ast.Subscript) and parent.value is call:
        return "it is subscripted at once"
    if not is_which:
        return None
    holder = call
    if isinstance(parent, (ast.List, ast.Tuple)):
        holder, parent = parent, ancestor(ctx, 2)
    if isinstance(parent, ast.Call) and holder in parent.args and ctx.call_qualname(parent) not in _TAKES_NONE:
        return f"it is passed straight to {call_label(ctx, parent)}"
    return None


@rule(
    "LY108",
    "unchecked-none-result",
    summary="A result that may be None (no match, missing key, missing program) is used at once.",
    nodes=(ast.Call,),
    severity=Severity.WARNING,
    confidence=Confidence.MEDIUM,
)
def unchecked_none_result(node: ast.Call, ctx: Context) -> None:
    """
    ## What it does
    Flags a call that returns None on a normal failure and whose result is used on the spot:
    - `re.match/search/fullmatch(...)` and `pattern.match/search/fullmatch(...)` on a pattern
      made by `re.compile` in the same function or at module level, followed at once by an
      attribute (`.group(1)`) or a subscript (`[1]`);
    - `.get(key)` with one argument (or with an explicit `None` default) on any object,
      `os.getenv(name)`, `os.environ.get(name)`, followed by an attribute or a subscript;
    - `shutil.which(...)` followed by an attribute or subscript, or passed straight to a call
      (also inside a list or tuple argument: `subprocess.run([shutil.which("git"), ...])`).

    ## Why it matters
    The happy path works in every example, so the code looks finished. The first input that
    does not match, the first config without the key, the first machine without the program
    fails with `AttributeError: 'NoneType' object has no attribute 'group'` or `TypeError`,
    far from any message that says what was missing.

    ## What to check in review
    What should happen when the value is missing: a default (`.get(key, {})`), an explicit
    check with a clear error, or `[key]` when absence is a bug that should raise `KeyError`.

    ## Example
    ```python
    version = re.match(r"v(\\d+)", tag).group(1)
    ```

    ## Use instead
    ```python
    match = re.match(r"v(\\d+)", tag)
    if match is None:
        raise ValueError(f"not a version tag: {tag!r}")
    version = match.group(1)
    ```

    ## Known limitations
    - Only immediate uses are reported; a result stored in a variable and used unchecked
      later is not followed.
    - `.get(key)` is assumed to be a mapping lookup. Calls on imported names
      (`requests.get(url)`, also `from config import settings; settings.get(key)`), calls
      on a receiver named like a client (`session`, `client`, `http`, `api`), calls with a
      URL-like argument, and reads of response attributes (`.json`, `.status_code`, ...)
      are skipped as HTTP clients; other `get`
      methods that never return None may still be reported.
    - A literal pattern that matches every short probe string (`\\d*`, `\\w+$|$`) is taken as
      always matching and not reported.
    - Uses inside a `try` that catches `AttributeError`, `TypeError` or `Exception` count as
      checked, and so do uses guarded by the same call, written the same way, in an `and`,
      a conditional expression or an `if` / `while` test
      (`d.get(k) and d.get(k).name`).
    """
    why = _lookup(ctx, node)
    if why is None:
        return
    is_which = ctx.call_qualname(node) == "shutil.which"
    use = _immediate_use(ctx, node, is_which)
    if use is None or in_try_catching(ctx, node, _CAUGHT_BY) or _guarded(ctx, node):
        return
    ctx.report(node, f"{call_label(ctx, node)} {why}, but {use}")


def _guarded(ctx: Context, call: ast.Call) -> bool:
    """The same call tested just before: `d.get(k) and d.get(k).x`, `... if d.get(k) else`,
    `if d.get(k): ...`, a comprehension's `if d.get(k)`."""
    text = ctx.source.text_of(call)
    child: ast.AST = call
    for anc in reversed(ctx.parents):
        if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)):
            return False
        tests: list[ast.AST] = []
        if isinstance(anc, ast.BoolOp) and isinstance(anc.op, ast.And):
            tests = list(anc.values[: anc.values.index(child)]) if child in anc.values else []
        elif isinstance(anc, ast.IfExp) and child is anc.body:
            tests = [anc.test]
        elif isinstance(anc, (ast.If, ast.While)) and child in anc.body:
            tests = [anc.test]
        elif isinstance(anc, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)) and child not in anc.generators:
            tests = [cond for gen in anc.generators for cond in gen.ifs]  # `f(x).y for x in xs if f(x)`
        if any(text in ctx.source.text_of(test) for test in tests):
            return True
        child = anc
    return False
