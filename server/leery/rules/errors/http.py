"""LY105, LY106: HTTP responses read without a status check; network calls without a timeout."""

from __future__ import annotations

import ast

from leery.core.context import Context
from leery.core.findings import Applicability, Confidence, Edit, Fix, Related, Severity
from leery.core.registry import rule
from leery.rules.errors._util import (
    add_keyword,
    bound_name,
    call_label,
    insert_line_after,
    name_loads,
    scope_of,
    strip_await,
    visible_bindings,
)

METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
LIBRARIES = ("requests", "httpx")
REQUEST_FUNCTIONS = frozenset(f"{lib}.{m}" for lib in LIBRARIES for m in METHODS)
CLIENTS = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
    }
)
# Client options that check every response: `httpx.Client(event_hooks=...)`, `ClientSession(raise_for_status=True)`.
CHECKING_OPTIONS = ("event_hooks", "raise_for_status")
# Reading the body; a status check: anything that looks at the outcome.
BODY_READS = frozenset({"json", "text", "content", "read"})
STATUS_CHECKS = frozenset(
    {"raise_for_status", "ok", "status_code", "is_success", "is_error", "is_client_error", "is_server_error", "status"}
)


def _client_call(ctx: Context, call: ast.Call) -> bool:
    """`session.get(...)` where `session` is bound to `requests.Session()` / `httpx.Client()` here or at module level."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in METHODS and isinstance(func.value, ast.Name)):
        return False
    scope, found = visible_bindings(ctx, func.value.id)
    if not found:
        return False
    for _, value in found:
        if not (isinstance(value, ast.Call) and ctx.call_qualname(value) in CLIENTS):
            return False
        if any(ctx.keyword(value, option) is not None for option in CHECKING_OPTIONS):
            return False  # a hook or option may raise for status on every response
    # A requests hook (`session.hooks["response"]`) may do the same.
    return not any(
        isinstance(use, ast.Attribute) and use.attr == "hooks"
        for use in (ctx.parent_of(load) for load in name_loads(scope, func.value.id))
    )


def _unchecked_read(ctx: Context, call: ast.Call) -> tuple[str | None, ast.AST | None, ast.stmt | None]:
    """(variable or None for a chained read, the first body read, the binding statement) when unchecked."""
    expr, parent = strip_await(ctx, call)
    if isinstance(parent, ast.Attribute) and parent.value is expr:
        return (None, parent, None) if parent.attr in BODY_READS else (None, None, None)
    name = bound_name(parent, expr)
    if name is None:
        return None, None, None
    first_read = None
    for load in name_loads(scope_of(ctx), name):
        use = ctx.parent_of(load)
        if not isinstance(use, ast.Attribute):
            return None, None, None  # passed on, returned, tested for truth: someone may check it
        if use.attr in STATUS_CHECKS:
            return None, None, None
        if use.attr in BODY_READS and (first_read is None or use.lineno < first_read.lineno):
            first_read = use
    stmt = parent if isinstance(parent, (ast.Assign, ast.AnnAssign)) else None
    return name, first_read, stmt


@rule(
    "LY105",
    "unchecked-http-response",
    summary="An HTTP response body is read without any status check.",
    nodes=(ast.Call,),
    severity=Severity.WARNING,
    confidence=Confidence.MEDIUM,
    fixable=True,
)
def unchecked_http_response(node: ast.Call, ctx: Context) -> None:
    """
    ## What it does
    Flags a `requests` or `httpx` response whose body is read (`.json()`, `.text`,
    `.content`) while nothing in the function looks at its status: no `raise_for_status()`,
    `.ok`, `.status_code`, `.is_success` or `.is_error`. Covers the top-level functions
    (`requests.get`, `httpx.post`, `requests.request`, ...), methods of a `requests.Session()`,
    `httpx.Client()` / `AsyncClient()` or `aiohttp.ClientSession()` created in the same
    function or at module level (also `async with session.get(url) as resp:`), and chained
    reads such as `requests.get(url).json()`.

    ## Why it matters
    None of these libraries raises for a 4xx or 5xx status by default. An error page, a rate-limit notice or an
    empty body is parsed as data: `.json()` fails with a confusing decode error, or worse,
    succeeds on an error document and the code goes on with `{"error": ...}` as its result.

    ## What to check in review
    What the code should do on a non-2xx status: usually `resp.raise_for_status()` right
    after the call, or an explicit branch on `resp.status_code`.

    ## Example
    ```python
    resp = requests.get(url, timeout=10)
    return resp.json()
    ```

    ## Use instead
    ```python
    resp = requests.get(url, timeout=10)
    resp.raise_for_status()
    return resp.json()
    ```

    ## Fix safety
    "Check the status" inserts `resp.raise_for_status()` on the line after the assignment.
    It is **unsafe**: error statuses now raise `HTTPError` / `HTTPStatusError`. For a chained
    read (`requests.get(url).json()`) no edit is offered: the response needs a name first.

    ## Known limitations
    - A response that is returned, passed to a function or tested for truth (`if resp:`) is
      assumed to be checked elsewhere.
    - Clients are followed only when created in the same function or at module level; a
      session stored on `self`, made by a factory, or with `raise_for_status` in a hook is
      not checked.
    - A status check anywhere in the function counts, even on a branch that does not guard
      the read. For aiohttp, a session made with `raise_for_status=` is trusted.
    """
    qualname = ctx.call_qualname(node)
    if qualname not in REQUEST_FUNCTIONS and not _client_call(ctx, node):
        return
    name, first_read, stmt = _unchecked_read(ctx, node)
    if first_read is None:
        return
    label = call_label(ctx, node)
    read = f"`.{first_read.attr}`"  # type: ignore[attr-defined]
    if name is None:
        ctx.report(node, f"{label} response is read ({read}) without a status check: an error page is parsed as data")
        return
    edit = insert_line_after(ctx, stmt, f"{name}.raise_for_status()") if stmt is not None else None
    fix = Fix("Check the status: add `raise_for_status()`", Applicability.UNSAFE, (edit,)) if edit else None
    line = first_read.lineno  # type: ignore[attr-defined]
    related = [Related(ctx.path, ctx.source.span_of(first_read), f"`{name}` read here without a status check")]
    ctx.report(
        node,
        f"response `{name}` of {label} is read ({read}, line {line}) without a status check: an error page is parsed as data",
        fix=fix,
        related=related,
    )


def _needs_timeout(ctx: Context, call: ast.Call, qualname: str | None) -> ast.expr | None | bool:
    """False when fine; True when the timeout is missing; the `None` node when it is explicitly None."""
    if qualname is None or ctx.has_star_kwargs(call):
        return False
    timeout = ctx.keyword(call, "timeout")
    explicit_none = timeout if isinstance(timeout, ast.Constant) and timeout.value is None else False
    if qualname.startswith("requests.") and qualname in REQUEST_FUNCTIONS:
        return explicit_none or timeout is None
    if qualname in REQUEST_FUNCTIONS or qualname in ("httpx.Client", "httpx.AsyncClient", "httpx.stream"):
        return explicit_none  # httpx has a 5-second default: only an explicit None waits forever
    if qualname == "urllib.request.urlopen":
        return explicit_none or (timeout is None and len(call.args) < 3)
    if qualname == "socket.create_connection":
        return explicit_none or (timeout is None and len(call.args) < 2)
    return False


@rule(
    "LY106",
    "missing-timeout",
    summary="A network call that can wait forever: no timeout, or `timeout=None`.",
    nodes=(ast.Call,),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
    fixable=True,
)
def missing_timeout(node: ast.Call, ctx: Context) -> None:
    """
    ## What it does
    Flags network calls that wait without limit:
    - `requests.get/post/put/patch/delete/head/options/request` without `timeout=`, or with
      `timeout=None`;
    - `httpx.get/...`, `httpx.request`, `httpx.stream`, `httpx.Client(...)` and
      `httpx.AsyncClient(...)` only with an explicit `timeout=None`: httpx applies a default
      timeout of 5 seconds (connect, read, write and pool) when none is given, so a missing
      `timeout=` is fine there;
    - `urllib.request.urlopen` without a timeout (keyword or third positional argument);
    - `socket.create_connection` without a timeout (keyword or second positional argument).

    ## Why it matters
    `requests` and `urllib` have no default timeout. A server that accepts the connection and
    never answers hangs the worker, the CLI or the request handler forever; under load the
    pool fills up and the whole service stops.

    ## What to check in review
    A timeout that suits the call: seconds for an API, longer for a download (a
    `(connect, read)` tuple in requests), and what the caller does on `Timeout`.

    ## Example
    ```python
    resp = requests.get(url)
    ```

    ## Use instead
    ```python
    resp = requests.get(url, timeout=10)
    ```

    ## Fix safety
    "Add `timeout=10`" (or replace `timeout=None` with `10`) is **unsafe**: slow calls that
    used to succeed now raise a timeout error, and 10 seconds is a guess to review.

    ## Known limitations
    - Calls that forward `**kwargs` are not reported: a timeout may be in them.
    - Methods of `requests.Session` objects are not checked (the session may be a subclass
      that sets a default timeout).
    - Other clients (`aiohttp`, `urllib3`, `http.client`) are not checked.
    """
    missing = _needs_timeout(ctx, node, ctx.call_qualname(node))
    if missing is False:
        return
    label = call_label(ctx, node)
    if isinstance(missing, ast.expr):
        message = f"{label} has `timeout=None`: it waits forever on a server that does not answer"
        edit = Edit(ctx.source.span_of(missing), "10")
    else:
        message = f"{label} has no timeout: it waits forever on a server that does not answer"
        edit = add_keyword(ctx, node, "timeout=10")
    title = "Set `timeout=10`" if isinstance(missing, ast.expr) else "Add `timeout=10`"
    ctx.report(node, message, fix=Fix(title, Applicability.UNSAFE, (edit,)))
