"""LY109, LY110, LY111: asyncio tasks dropped on the floor; coroutines never awaited; futures discarded."""

from __future__ import annotations

import ast

from leery.core import astutil
from leery.core.context import FUNCTION_NODES, Context, dotted_name, node_cache
from leery.core.findings import Applicability, Confidence, Edit, Fix, Related, Severity, Span
from leery.core.registry import rule
from leery.rules.errors._util import bindings, call_label, scope_of, visible_bindings

_TASK_FUNCTIONS = frozenset({"asyncio.create_task", "asyncio.ensure_future"})
_LOOP_FACTORIES = frozenset({"asyncio.get_event_loop", "asyncio.get_running_loop", "asyncio.new_event_loop"})


def _made_by(ctx: Context, expr: ast.expr, factories: frozenset[str], suffix: str) -> bool:
    """`expr` is a call to one of `factories`, a name bound only to such calls, or a name ending in `suffix`."""
    if isinstance(expr, ast.Call):
        return ctx.call_qualname(expr) in factories
    name = dotted_name(expr)
    if name is None:
        return False
    if name.rsplit(".", 1)[-1].lstrip("_").lower().endswith(suffix):
        return True
    if isinstance(expr, ast.Name):
        _, found = visible_bindings(ctx, expr.id)
        return bool(found) and all(isinstance(v, ast.Call) and ctx.call_qualname(v) in factories for _, v in found)
    return False


@rule(
    "LY109",
    "dropped-task",
    summary="An asyncio task is created and not kept: it can be garbage collected mid-flight.",
    nodes=(ast.Expr,),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
)
def dropped_task(node: ast.Expr, ctx: Context) -> None:
    """
    ## What it does
    Flags `asyncio.create_task(...)`, `asyncio.ensure_future(...)` and `loop.create_task(...)`
    used as a statement on their own, so that nothing keeps a reference to the task.

    ## Why it matters
    The event loop keeps only a weak reference to tasks. A task nobody references can be
    garbage collected before it finishes (the asyncio documentation warns about this), and
    its exception, if it fails, is only logged as "Task exception was never retrieved" at
    some later point, or not at all.

    ## What to check in review
    Who owns the task: keep it in a set and discard it when done, await it, or start it in an
    `asyncio.TaskGroup` (`tg.create_task(...)`), which also propagates its errors.

    ## Example
    ```python
    asyncio.create_task(send_email(user))
    ```

    ## Use instead
    ```python
    task = asyncio.create_task(send_email(user))
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)
    ```

    ## Known limitations
    - A loop is recognised by `asyncio.get_event_loop()` / `get_running_loop()` /
      `new_event_loop()`, or by a name ending in `loop`; other receivers of `create_task`
      (task groups, nurseries) are assumed to keep their tasks.
    - A task stored in a variable that is then dropped is not reported.
    """
    call = node.value
    if not isinstance(call, ast.Call):
        return
    qualname = ctx.call_qualname(call)
    func = call.func
    on_loop = (
        isinstance(func, ast.Attribute)
        and func.attr == "create_task"
        and _made_by(ctx, func.value, _LOOP_FACTORIES, "loop")
    )
    if qualname in _TASK_FUNCTIONS or (qualname is None and on_loop):
        ctx.report(
            call,
            f"the task from {call_label(ctx, call)} is not kept: "
            "it can be garbage collected before it finishes, and its errors are lost",
        )


def _is_plain_coroutine_function(node: ast.AST) -> bool:
    """An undecorated `async def` without `yield`: calling it makes a coroutine and nothing else."""
    if not isinstance(node, ast.AsyncFunctionDef) or node.decorator_list:
        return False
    stack = list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, (ast.Yield, ast.YieldFrom)):
            return False
        if not isinstance(child, (*FUNCTION_NODES, ast.ClassDef)):
            stack.extend(astutil.children(child))
    return True


def _body_bindings(owner: ast.Module | ast.ClassDef) -> dict[str, list[ast.stmt]]:
    """Statements that bind each name directly in a module or class body (built once per body)."""
    index = _BODY_BINDINGS.get(owner)
    if index is None:
        index = {}
        for stmt in owner.body:
            names: list[str] = []
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(stmt.name)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                names.extend((a.asname or a.name).split(".")[0] for a in stmt.names)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                names.extend(t.id for t in astutil.walk(stmt) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store))
            for name in names:
                index.setdefault(name, []).append(stmt)
        _BODY_BINDINGS[owner] = index
    return index


_BODY_BINDINGS: "weakref.WeakKeyDictionary[ast.AST, dict[str, list[ast.stmt]]]" = node_cache()


def _only_definition(owner: ast.Module | ast.ClassDef, name: str) -> ast.AsyncFunctionDef | None:
    """The one binding of `name` in a module or class body, when it is a plain coroutine function."""
    found = _body_bindings(owner).get(name, [])
    if len(found) == 1 and _is_plain_coroutine_function(found[0]):
        return found[0]  # type: ignore[return-value]
    return None


def _locally_bound(ctx: Context, name: str) -> bool:
    function = ctx.enclosing_function
    if function is None:
        return False
    args = function.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
    return name in params or bool(bindings(function, name))


def _coroutine_target(ctx: Context, call: ast.Call) -> tuple[str, ast.AsyncFunctionDef | None] | None:
    """(what is called, its definition) when the call makes a coroutine."""
    if ctx.call_qualname(call) == "asyncio.sleep":
        return "asyncio.sleep", None
    func = call.func
    tree = ctx.source.tree
    assert tree is not None
    if isinstance(func, ast.Name) and func.id not in ctx.imports and not _locally_bound(ctx, func.id):
        definition = _only_definition(tree, func.id)
        return (func.id, definition) if definition else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
        cls = ctx.enclosing_class
        if cls is None:
            return None
        definition = _only_definition(cls, func.attr)
        return (f"{func.value.id}.{func.attr}", definition) if definition else None
    return None


def _innermost_function(ctx: Context) -> ast.AST | None:
    for anc in reversed(ctx.parents):
        if isinstance(anc, FUNCTION_NODES):
            return anc
    return None


@rule(
    "LY110",
    "unawaited-coroutine",
    summary="A coroutine is created and never awaited: its body never runs.",
    nodes=(ast.Expr,),
    severity=Severity.ERROR,
    confidence=Confidence.HIGH,
    fixable=True,
)
def unawaited_coroutine(node: ast.Expr, ctx: Context) -> None:
    """
    ## What it does
    Flags a statement that only calls a coroutine function without `await`: an `async def`
    defined at the top of the same module, an `async def` method of the same class called
    through `self.` or `cls.`, or `asyncio.sleep(...)`.

    ## Why it matters
    Calling an `async def` does not run it: it creates a coroutine object. Without `await`
    (or a task), the body never runs; Python only prints "coroutine ... was never awaited"
    when the object is collected, which is easy to miss in logs. The code reads as if the
    record was saved or the pause happened.

    ## What to check in review
    Whether the call was meant to finish before the next line (add `await`) or to run in the
    background (start a task and keep a reference to it).

    ## Example
    ```python
    async def handler(record):
        save(record)
    ```

    ## Use instead
    ```python
    async def handler(record):
        await save(record)
    ```

    ## Fix safety
    "Add `await`" is offered inside an `async def` only, and is **unsafe**: the awaited code
    now runs, with its side effects and errors, and the caller waits for it.

    ## Known limitations
    - Only coroutine functions defined in the same module (or the same class) are known;
      imported ones are not.
    - Decorated `async def`s and async generators are skipped: decorators may turn them into
      something that is not a coroutine.
    - A coroutine assigned to a variable and never awaited is not reported.
    """
    call = node.value
    if not isinstance(call, ast.Call):
        return
    target = _coroutine_target(ctx, call)
    if target is None:
        return
    name, definition = target
    related = []
    where = ""
    if definition is not None:
        line = definition.lineno
        where = f" (`async def {definition.name}`, line {line})"
        related.append(Related(ctx.path, ctx.source.head_span(definition), f"`async def {definition.name}` is defined here"))
    fix = None
    if isinstance(_innermost_function(ctx), ast.AsyncFunctionDef):
        start = ctx.source.span_of(call)
        edit = Edit(Span(start.start_line, start.start_col, start.start_line, start.start_col), "await ")
        fix = Fix("Add `await`", Applicability.UNSAFE, (edit,))
    ctx.report(
        call,
        f"`{name}(...)` makes a coroutine{where} that is never awaited: its body never runs",
        fix=fix,
        related=related,
    )


_EXECUTORS = frozenset(
    {
        "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.thread.ThreadPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
    }
)


def is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _waits_for_cancelled(ctx: Context, gather: ast.Call) -> bool:
    """`task.cancel()` then `await gather(*tasks, return_exceptions=True)`: waiting for cancelled tasks to end."""
    if any("cancel" in (dotted_name(getattr(a, "value", a)) or "").lower() for a in gather.args):
        return True
    scope = scope_of(ctx)
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "cancel" for n in ast.walk(scope)
    )


@rule(
    "LY111",
    "discarded-future",
    summary="A future (or a gather with `return_exceptions=True`) is discarded: the errors it holds are never seen.",
    nodes=(ast.Expr,),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
)
def discarded_future(node: ast.Expr, ctx: Context) -> None:
    """
    ## What it does
    Flags statements that throw away the only handle on errors raised elsewhere:
    - `executor.submit(...)` and `executor.map(...)` of a `concurrent.futures` executor
      used as a statement;
    - `await asyncio.gather(..., return_exceptions=True)` whose result is not used.

    ## Why it matters
    An exception raised in an executor's worker is stored in the future and raised only by
    `future.result()` (or when the `map` iterator is consumed). Drop the future and the
    failure vanishes without a log line. `gather(..., return_exceptions=True)` returns the
    exceptions as values; ignoring the result ignores every one of them.

    ## What to check in review
    Keep the futures and call `.result()` on each (`concurrent.futures.as_completed`),
    consume `executor.map(...)` (`list(...)`), and look at the values `gather` returns.

    ## Example
    ```python
    with ThreadPoolExecutor() as pool:
        for item in items:
            pool.submit(process, item)
    ```

    ## Use instead
    ```python
    with ThreadPoolExecutor() as pool:
        futures = [pool.submit(process, item) for item in items]
        for future in as_completed(futures):
            future.result()
    ```

    ## Known limitations
    - An executor is recognised when it is created in the same function (or the call is
      on `ThreadPoolExecutor(...)` directly) or when its name ends in `executor`; pools
      passed in under other names are not followed.
    - Futures that are kept but never asked for their result are not reported.
    - `await asyncio.gather(*tasks, return_exceptions=True)` in a function that cancels
      tasks (or on a name containing `cancel`) is the idiom for waiting until cancelled tasks
      have finished: not reported.
    """
    value = node.value
    if isinstance(value, ast.Await) and isinstance(value.value, ast.Call):
        call = value.value
        flag = ctx.keyword(call, "return_exceptions")
        gathered = ctx.call_qualname(call) == "asyncio.gather" and is_true(flag)
        if gathered and not _waits_for_cancelled(ctx, call):
            ctx.report(
                call,
                "`asyncio.gather(..., return_exceptions=True)` result is discarded: "
                "the exceptions it collected are never looked at",
            )
        return
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
        return
    if value.func.attr in ("submit", "map") and _made_by(ctx, value.func.value, _EXECUTORS, "executor"):
        what = "future" if value.func.attr == "submit" else "result iterator"
        ctx.report(
            value,
            f"the {what} of {call_label(ctx, value)} is discarded: an exception raised in the worker is never seen",
        )
