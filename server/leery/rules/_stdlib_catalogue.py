"""LY303's catalogue: whole function bodies that re-implement a standard-library behaviour.

Each matcher looks at the body's *structure* (statement kinds, the calls and operators it
uses, how the loop variable flows into the result); the function's own name never matters.
A matcher returns a Match with the library call and, where the call is a drop-in, the
replacement text and its safety.
"""

from __future__ import annotations

import ast
import contextvars
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

from leery.core import astutil
from leery.core.context import dotted_name as dotted
from leery.core.context import node_cache
from leery.core.findings import Applicability, Edit, Fix, Span
from leery.workspace.fingerprint import function_body

Func = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Match:
    key: str
    what: str  # "`itertools.chain.from_iterable`": what the body re-implements
    advice: str  # how the library version behaves / what to use
    replacement: str | None = None  # statement text that replaces the matched statements
    imports: tuple[str, ...] = ()  # modules the replacement needs (`import x`)
    applicability: Applicability = Applicability.DISPLAY_ONLY
    first: int = 0  # index of the first and last replaced statement in the body
    last: int = -1


MAX_LINES = 30  # every catalogued behaviour fits in far fewer lines; longer bodies do more than that
CATALOGUE: list[tuple[str, tuple[str, ...], Callable[[Func, list[ast.stmt]], Match | None]]] = []


def entry(key: str, needs: tuple[str, ...] = ()):
    """Register a matcher; `needs`: text the function's source must contain (a cheap gate
    before any walk of the tree)."""

    def register(func):
        CATALOGUE.append((key, needs, func))
        return func

    return register


def too_long(func: Func) -> bool:
    return (func.end_lineno or func.lineno) - func.lineno > MAX_LINES


def match(func: Func, text: str) -> Match | None:
    """`text`: the function's source (gates matchers cheaply)."""
    if too_long(func):
        return None
    body = function_body(func)
    if not body or isinstance(func, ast.AsyncFunctionDef) and "await" in text:
        return None
    token = _TEXT.set((text, func.lineno))
    try:
        for _key, needs, matcher in CATALOGUE:
            for need in needs:  # a loop, not all(): this runs for every matcher on every function
                if need not in text:
                    break
            else:
                found = matcher(func, body)
                if found is not None:
                    return found
    finally:
        _TEXT.reset(token)
    return None


# -- structural helpers ------------------------------------------------------------------------
# Per function node, for the analysis (context.node_cache): every matcher may ask.
_NODES = node_cache()
_CALLS = node_cache()


def nodes_of(func: Func) -> list[ast.AST]:
    """Every node of the function (but the leaves that carry nothing), walked once for all matchers."""
    cached = _NODES.get(func)
    if cached is None:
        cached = _NODES[func] = astutil.walk(func)
    return cached


def call_names(func: Func) -> set[str]:
    cached = _CALLS.get(func)
    if cached is None:
        cached = _CALLS[func] = {dotted(n.func) or "" for n in nodes_of(func) if isinstance(n, ast.Call)}
    return cached


# (the function's source, its first line): set while `match` runs, so that a fix keeps the
# author's own text of each expression (quotes, spacing) instead of `ast.unparse`'s.
_TEXT: contextvars.ContextVar[tuple[str, int] | None] = contextvars.ContextVar("leery_catalogue_text", default=None)


def src(node: ast.AST) -> str:
    found = _TEXT.get()
    end = getattr(node, "end_lineno", None)  # nodes a matcher built itself have no position
    if found is not None and end is not None and end == node.lineno and getattr(node, "end_col_offset", None) is not None:  # type: ignore[attr-defined]
        text, first = found
        where = SimpleNamespace(
            lineno=node.lineno - first + 1, end_lineno=end - first + 1,  # type: ignore[attr-defined]
            col_offset=node.col_offset, end_col_offset=node.end_col_offset,  # type: ignore[attr-defined]
        )
        segment = ast.get_source_segment(text, where)  # type: ignore[arg-type]
        if segment:
            return segment
    return ast.unparse(node)  # spans lines: one normalized line reads better in a fix


def is_name(node: ast.AST | None, name: str | None = None) -> bool:
    return isinstance(node, ast.Name) and (name is None or node.id == name)


def is_const(node: ast.AST | None, *values) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is not bool and any(node.value == v and type(node.value) is type(v) for v in values)


def calls(node: ast.AST | None, *names: str) -> bool:
    return isinstance(node, ast.Call) and dotted(node.func) in names


def method(node: ast.AST | None, attr: str) -> ast.Call | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == attr:
        return node
    return None


def names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def returns(stmt: ast.stmt, name: str | None = None) -> bool:
    return isinstance(stmt, ast.Return) and (is_name(stmt.value, name) if name else stmt.value is not None)


def assigns(stmt: ast.stmt) -> tuple[str, ast.expr] | None:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and is_name(stmt.targets[0]):
        return stmt.targets[0].id, stmt.value  # type: ignore[union-attr]
    if isinstance(stmt, ast.AnnAssign) and is_name(stmt.target) and stmt.value is not None:
        return stmt.target.id, stmt.value  # type: ignore[union-attr]
    return None


def augments(stmt: ast.stmt, name: str, op: type) -> ast.expr | None:
    """`name op= value` or `name = name op value`: the value."""
    if isinstance(stmt, ast.AugAssign) and is_name(stmt.target, name) and isinstance(stmt.op, op):
        return stmt.value
    pair = assigns(stmt)
    if pair and pair[0] == name and isinstance(pair[1], ast.BinOp) and isinstance(pair[1].op, op) and is_name(pair[1].left, name):
        return pair[1].right
    return None


@dataclass
class Loop:
    """`init...; for target in iterable: body; return result`: an accumulator function."""

    inits: dict[str, ast.expr]
    loop: ast.For
    result: ast.expr
    first: int = 0
    extra: list[ast.stmt] = field(default_factory=list)


def accumulator(body: list[ast.stmt]) -> Loop | None:
    inits: dict[str, ast.expr] = {}
    index = 0
    while index < len(body) and assigns(body[index]):
        name, value = assigns(body[index])  # type: ignore[misc]
        inits[name] = value
        index += 1
    if len(body) != index + 2 or not isinstance(body[index], ast.For) or body[index].orelse:
        return None
    if not isinstance(body[-1], ast.Return) or body[-1].value is None:
        return None
    return Loop(inits, body[index], body[-1].value, 0)


def target_name(loop: ast.For) -> str | None:
    return loop.target.id if isinstance(loop.target, ast.Name) else None


def generator(element: ast.expr, loop: ast.For, condition: ast.expr | None = None) -> str:
    """`element for target in iter [if condition]`, or just `iter` when element is the target."""
    if condition is None and isinstance(loop.target, ast.Name) and is_name(element, loop.target.id):
        return src(loop.iter)
    tail = f" if {src(condition)}" if condition is not None else ""
    return f"{src(element)} for {src(loop.target)} in {src(loop.iter)}{tail}"


def single(stmts: list[ast.stmt]) -> ast.stmt | None:
    return stmts[0] if len(stmts) == 1 else None


def whole(body: list[ast.stmt], key: str, what: str, advice: str, replacement: str | None = None, imports=(), safe: bool = False) -> Match:
    applicability = Applicability.DISPLAY_ONLY if replacement is None else (Applicability.SAFE if safe else Applicability.UNSAFE)
    return Match(key, what, advice, replacement, tuple(imports), applicability, 0, len(body) - 1)


# -- accumulator loops -------------------------------------------------------------------------
@entry("sum")
def _sum(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 1 or len(acc.loop.body) != 1:
        return None
    (name, init), = acc.inits.items()
    if not is_name(acc.result, name) or not is_const(init, 0, 0.0):
        return None
    stmt = acc.loop.body[0]
    value = augments(stmt, name, ast.Add)
    condition = None
    if value is None and isinstance(stmt, ast.If) and not stmt.orelse and len(stmt.body) == 1:
        value, condition = augments(stmt.body[0], name, ast.Add), stmt.test
    if value is None or name in names_in(value) or name in names_in(acc.loop.iter):
        return None
    if is_const(value, 1) and (condition is not None or target_name(acc.loop)):
        text = f"sum(1 for {src(acc.loop.target)} in {src(acc.loop.iter)}{' if ' + src(condition) if condition is not None else ''})"
        return whole(body, "count", "counting with `sum(1 for ...)`", "a generator with `sum` says it in one line", f"return {text}", safe=True)
    start = "" if is_const(init, 0) else ", 0.0"
    # Not marked safe: for floats, `sum` rounds more accurately since Python 3.12 (the last digit may differ).
    return whole(body, "sum", "`sum`", "the builtin adds the same values in the same order (for floats it rounds more accurately since Python 3.12)",
                 f"return sum({generator(value, acc.loop, condition)}{start})")


@entry("factorial")
def _factorial(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 1 or len(acc.loop.body) != 1:
        return None
    (name, init), = acc.inits.items()
    loop = acc.loop
    if not is_name(acc.result, name) or not is_const(init, 1) or not calls(loop.iter, "range") or len(loop.iter.args) != 2:
        return None
    start, stop = loop.iter.args
    value = augments(loop.body[0], name, ast.Mult)
    if not (is_const(start, 1, 2) and isinstance(stop, ast.BinOp) and isinstance(stop.op, ast.Add) and is_const(stop.right, 1)):
        return None
    if value is None or not is_name(value, target_name(loop) or ""):
        return None
    return whole(body, "factorial", "`math.factorial`", "`math.factorial` also rejects negative and non-integer input instead of returning 1",
                 f"return math.factorial({src(stop.left)})", ("math",))


@entry("prod")
def _prod(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 1 or len(acc.loop.body) != 1:
        return None
    (name, init), = acc.inits.items()
    value = augments(acc.loop.body[0], name, ast.Mult)
    if not is_name(acc.result, name) or not is_const(init, 1) or value is None or name in names_in(value):
        return None
    return whole(body, "prod", "`math.prod`", "`math.prod` multiplies the same values in the same order, starting at 1",
                 f"return math.prod({generator(value, acc.loop)})", ("math",), safe=True)


@entry("accumulate")
def _accumulate(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 2 or len(acc.loop.body) != 2 or not target_name(acc.loop):
        return None
    total = next((n for n, v in acc.inits.items() if is_const(v, 0)), None)
    out = next((n for n, v in acc.inits.items() if isinstance(v, ast.List) and not v.elts), None)
    if not total or not out or not is_name(acc.result, out):
        return None
    add, append = acc.loop.body
    call = method(getattr(append, "value", None), "append")
    if not is_name(augments(add, total, ast.Add), target_name(acc.loop)) or not call or not is_name(call.func.value, out) or not is_name(call.args[0] if call.args else None, total):
        return None
    return whole(body, "accumulate", "`itertools.accumulate`", "`itertools.accumulate` yields the running totals (its first value is the first item, not 0 + item)",
                 f"return list(itertools.accumulate({src(acc.loop.iter)}))", ("itertools",))


@entry("max-min")
def _max_min(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 1 or len(acc.loop.body) != 1 or not target_name(acc.loop):
        return None
    (name, init), = acc.inits.items()
    item = target_name(acc.loop)
    stmt = acc.loop.body[0]
    if not is_name(acc.result, name) or not isinstance(stmt, ast.If) or stmt.orelse or len(stmt.body) != 1:
        return None
    if assigns(stmt.body[0]) is None or assigns(stmt.body[0])[0] != name or not is_name(assigns(stmt.body[0])[1], item):
        return None
    test = stmt.test
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and len(test.values) == 2 and is_const(init, None):
        first = test.values[0]
        if isinstance(first, ast.Compare) and is_name(first.left, name) and isinstance(first.ops[0], ast.Is) and is_const(first.comparators[0], None):
            test = test.values[1]
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if is_name(left, item) and is_name(right, name):
        bigger = isinstance(op, (ast.Gt, ast.GtE))
    elif is_name(left, name) and is_name(right, item):
        bigger = isinstance(op, (ast.Lt, ast.LtE))
    else:
        return None
    if not isinstance(op, (ast.Gt, ast.GtE, ast.Lt, ast.LtE)):
        return None
    which = "max" if bigger else "min"
    if is_const(init, None):
        if test is stmt.test:
            return None  # without the `is None` check the first comparison would raise
        default = ", default=None"
    elif _is_infinity(init):
        default = f", default={src(init)}"
    elif isinstance(init, ast.Subscript) and is_const(init.slice, 0) and src(init.value) == src(acc.loop.iter):
        default = ""
    else:
        return None  # another start value (0, a sentinel) changes the result
    return whole(body, which, f"`{which}`", f"`{which}()` raises ValueError on an empty input unless given `default=`; ties may pick a different item",
                 f"return {which}({src(acc.loop.iter)}{default})")


def _is_infinity(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return calls(node, "float") and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).lstrip("+-") in ("inf", "infinity") or dotted(node) == "math.inf"


@entry("counter")
def _counter(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 1 or not target_name(acc.loop):
        return None
    (name, init), = acc.inits.items()
    if not is_name(acc.result, name) or not (isinstance(init, ast.Dict) and not init.keys or calls(init, "dict") and not init.args):
        return None
    key = _counted_key(acc.loop.body, name)
    if key is None:
        return None
    return whole(body, "counter", "`collections.Counter`", "`Counter` counts in insertion order like this loop; `dict(...)` keeps the plain-dict behaviour",
                 f"return dict(collections.Counter({generator(key, acc.loop)}))", ("collections",), safe=True)


def _counted_key(stmts: list[ast.stmt], name: str) -> ast.expr | None:
    stmt = single(stmts)
    # counts[key] = counts.get(key, 0) + 1
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Subscript):
        target = stmt.targets[0]
        value = stmt.value
        if is_name(target.value, name) and isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and is_const(value.right, 1):
            get = method(value.left, "get")
            if get and is_name(get.func.value, name) and len(get.args) == 2 and is_const(get.args[1], 0) and src(get.args[0]) == src(target.slice):
                return target.slice
    # if key in counts: counts[key] += 1 else: counts[key] = 1
    if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Compare) and len(stmt.test.ops) == 1 and is_name(stmt.test.comparators[0], name):
        key = stmt.test.left
        inc, first = (stmt.body, stmt.orelse) if isinstance(stmt.test.ops[0], ast.In) else (stmt.orelse, stmt.test.ops and stmt.body)
        inc_s, first_s = single(inc or []), single(first or [])
        if isinstance(inc_s, ast.AugAssign) and isinstance(inc_s.op, ast.Add) and is_const(inc_s.value, 1) and isinstance(inc_s.target, ast.Subscript):
            if isinstance(first_s, ast.Assign) and is_const(first_s.value, 1) and isinstance(first_s.targets[0], ast.Subscript):
                if src(inc_s.target.slice) == src(key) == src(first_s.targets[0].slice):
                    return key
    return None


@entry("group")
def _group(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 1:
        return None
    (name, init), = acc.inits.items()
    if not is_name(acc.result, name) or not (isinstance(init, ast.Dict) and not init.keys):
        return None
    stmts = acc.loop.body
    last = method(getattr(stmts[-1], "value", None), "append") if stmts else None
    if last is None:
        return None
    setdefault = method(last.func.value, "setdefault")
    if len(stmts) == 1 and setdefault and is_name(setdefault.func.value, name) and len(setdefault.args) == 2 and isinstance(setdefault.args[1], ast.List):
        pass
    elif len(stmts) == 2 and isinstance(stmts[0], ast.If) and isinstance(last.func.value, ast.Subscript) and is_name(last.func.value.value, name):
        test = stmts[0].test
        if not (isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.NotIn) and is_name(test.comparators[0], name)):
            return None
    else:
        return None
    return whole(body, "group", "grouping into lists (`collections.defaultdict(list)`)",
                 "`defaultdict(list)` (or `itertools.groupby` on sorted data) does the bookkeeping; note that a defaultdict creates keys on lookup")


@entry("dedupe")
def _dedupe(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 2 or not target_name(acc.loop):
        return None
    seen = next((n for n, v in acc.inits.items() if calls(v, "set") and not v.args), None)
    out = next((n for n, v in acc.inits.items() if isinstance(v, ast.List) and not v.elts), None)
    item = target_name(acc.loop)
    stmt = single(acc.loop.body)
    if not seen or not out or not is_name(acc.result, out) or not isinstance(stmt, ast.If) or stmt.orelse:
        return None
    test = stmt.test
    if not (isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.NotIn) and is_name(test.left, item) and is_name(test.comparators[0], seen)):
        return None
    wanted = {f"{seen}.add({item})", f"{out}.append({item})"}
    if len(stmt.body) != 2 or {src(s) for s in stmt.body} != wanted:
        return None
    return whole(body, "dedupe", "order-preserving de-duplication (`dict.fromkeys`)", "`list(dict.fromkeys(items))` keeps the first of each item, in order",
                 f"return list(dict.fromkeys({src(acc.loop.iter)}))", safe=True)


@entry("flatten")
def _flatten(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 1 or not target_name(acc.loop):
        return None
    (out, init), = acc.inits.items()
    if not is_name(acc.result, out) or not (isinstance(init, ast.List) and not init.elts):
        return None
    inner = single(acc.loop.body)
    sub = target_name(acc.loop)
    extend = method(getattr(inner, "value", None), "extend")
    if extend and is_name(extend.func.value, out) and len(extend.args) == 1 and is_name(extend.args[0], sub):
        pass
    elif isinstance(inner, ast.For) and is_name(inner.iter, sub) and not inner.orelse and isinstance(inner.target, ast.Name):
        append = method(getattr(single(inner.body), "value", None), "append")
        if not (append and is_name(append.func.value, out) and len(append.args) == 1 and is_name(append.args[0], inner.target.id)):
            return None
    else:
        return None
    return whole(body, "flatten", "flattening (`itertools.chain.from_iterable`)", "`list(itertools.chain.from_iterable(lists))` yields the same items in the same order",
                 f"return list(itertools.chain.from_iterable({src(acc.loop.iter)}))", ("itertools",), safe=True)


@entry("reverse")
def _reverse(func, body):
    acc = accumulator(body)
    if not acc or len(acc.inits) != 1 or not target_name(acc.loop):
        return None
    (out, init), = acc.inits.items()
    it = acc.loop.iter
    if not is_name(acc.result, out) or not (isinstance(init, ast.List) and not init.elts) or not calls(it, "range") or len(it.args) != 3:
        return None
    start, stop, step = it.args
    append = method(getattr(single(acc.loop.body), "value", None), "append")
    minus_one = lambda n: isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub) and is_const(n.operand, 1)  # noqa: E731
    if not (minus_one(stop) and minus_one(step) and append and len(append.args) == 1):
        return None
    arg = append.args[0]
    if not (isinstance(arg, ast.Subscript) and is_name(arg.slice, target_name(acc.loop))):
        return None
    if src(start) != f"len({src(arg.value)}) - 1":
        return None
    return whole(body, "reverse", "`reversed`", "`list(reversed(seq))` or `seq[::-1]` copies the sequence backwards",
                 f"return list(reversed({src(arg.value)}))")


@entry("any-all")
def _any_all(func, body):
    if len(body) != 2 or not isinstance(body[0], ast.For) or body[0].orelse or not isinstance(body[1], ast.Return):
        return None
    loop, final = body
    stmt = single(loop.body)
    if not isinstance(stmt, ast.If) or stmt.orelse or len(stmt.body) != 1 or not isinstance(stmt.body[0], ast.Return):
        return None
    inner, outer = stmt.body[0].value, final.value
    if isinstance(inner, ast.Constant) and isinstance(outer, ast.Constant) and {inner.value, outer.value} == {True, False}:
        if type(inner.value) is not bool or type(outer.value) is not bool:
            return None
        test = stmt.test
        if inner.value is True:
            return whole(body, "any", "`any`", "`any()` stops at the first true item, like this loop",
                         f"return any({generator(test, loop)})", safe=True)
        negated = test.operand if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) else ast.UnaryOp(ast.Not(), test)
        return whole(body, "all", "`all`", "`all()` stops at the first false item, like this loop",
                     f"return all({generator(negated, loop)})", safe=True)
    # A loop that returns the first match is left alone: `next(...)` is no clearer.
    return None


# -- batching, pairs, joins ---------------------------------------------------------------------
def _range_step_slices(comp: ast.expr) -> bool:
    """`[seq[i:i + n] for i in range(0, len(seq), n)]`"""
    if not isinstance(comp, (ast.ListComp, ast.GeneratorExp)) or len(comp.generators) != 1:
        return False
    gen = comp.generators[0]
    elt = comp.elt
    if not calls(gen.iter, "range") or len(gen.iter.args) != 3 or not isinstance(elt, ast.Subscript) or not isinstance(elt.slice, ast.Slice):
        return False
    return is_name(elt.slice.lower, getattr(gen.target, "id", "")) and calls(gen.iter.args[1], "len")


@entry("batched")
def _batched(func, body):
    stmt = single(body)
    advice = "`itertools.batched(items, n)` (Python 3.12+) yields tuples of n; `more_itertools.chunked` before 3.12"
    if isinstance(stmt, ast.Return) and _range_step_slices(stmt.value):
        return whole(body, "batched", "batching (`itertools.batched`)", advice)
    if isinstance(stmt, ast.For) and calls(stmt.iter, "range") and len(stmt.iter.args) == 3 and calls(stmt.iter.args[1], "len"):
        inner = single(stmt.body)
        if isinstance(inner, ast.Expr) and isinstance(inner.value, ast.Yield) and isinstance(inner.value.value, ast.Subscript):
            return whole(body, "batched", "batching (`itertools.batched`)", advice)
    return None


@entry("pairwise")
def _pairwise(func, body):
    stmt = single(body)
    if not isinstance(stmt, ast.Return):
        return None
    value = stmt.value
    if calls(value, "list") and len(value.args) == 1:
        value = value.args[0]
    if calls(value, "zip") and len(value.args) == 2:
        a, b = value.args
        if isinstance(b, ast.Subscript) and isinstance(b.slice, ast.Slice) and is_const(b.slice.lower, 1) and b.slice.upper is None and src(b.value) == src(a):
            return whole(body, "pairwise", "`itertools.pairwise`", "`itertools.pairwise(items)` (Python 3.10+) works on any iterable, not only sequences")
    if isinstance(value, ast.ListComp) and len(value.generators) == 1 and isinstance(value.elt, ast.Tuple) and len(value.elt.elts) == 2:
        gen = value.generators[0]
        if calls(gen.iter, "range") and src(gen.iter.args[-1]).endswith("- 1") and all(isinstance(e, ast.Subscript) for e in value.elt.elts):
            return whole(body, "pairwise", "`itertools.pairwise`", "`itertools.pairwise(items)` (Python 3.10+) yields each adjacent pair")
    return None


@entry("zip")
def _zip(func, body):
    stmt = single(body)
    value = stmt.value if isinstance(stmt, ast.Return) else None
    if not isinstance(value, ast.ListComp) or len(value.generators) != 1 or not isinstance(value.elt, ast.Tuple):
        return None
    gen = value.generators[0]
    index = getattr(gen.target, "id", None)
    if not index or not calls(gen.iter, "range") or len(gen.iter.args) != 1 or not calls(gen.iter.args[0], "len") or gen.ifs:
        return None
    seqs = []
    for elt in value.elt.elts:
        if not (isinstance(elt, ast.Subscript) and is_name(elt.slice, index)):
            return None
        seqs.append(src(elt.value))
    if len(seqs) < 2:
        return None
    return whole(body, "zip", "`zip`", "`list(zip(a, b))` stops at the shorter input where this raises IndexError",
                 f"return list(zip({', '.join(seqs)}))")


@entry("urlencode", ("&",))
def _urlencode(func, body):
    stmt = body[-1]
    if not isinstance(stmt, ast.Return) or len(body) > 2:
        return None
    join = method(stmt.value, "join")
    if not join or not is_const(join.func.value, "&") or len(join.args) != 1:
        return None
    comp = join.args[0]
    if not isinstance(comp, (ast.GeneratorExp, ast.ListComp)) or not method(comp.generators[0].iter, "items"):
        return None
    if "=" not in "".join(str(n.value) for n in ast.walk(comp.elt) if isinstance(n, ast.Constant) and isinstance(n.value, str)):
        return None
    return whole(body, "urlencode", "`urllib.parse.urlencode`",
                 "this join does not percent-encode: a value containing `&`, `=` or a space corrupts the query; `urlencode(params)` escapes them")


@entry("html-escape", ("&",))
def _html_escape(func, body):
    stmt = single(body)
    if not isinstance(stmt, ast.Return):
        return None
    replaced: list[str] = []
    node = stmt.value
    while (call := method(node, "replace")) and len(call.args) == 2 and isinstance(call.args[0], ast.Constant):
        replaced.append(str(call.args[0].value))
        node = call.func.value
    if "&" in replaced and "<" in replaced and len(replaced) >= 3:
        return whole(body, "html-escape", "`html.escape`", "`html.escape(s)` escapes `&`, `<`, `>` and both quotes, in the right order (`&` first)")
    return None


@entry("shlex-quote", ("'",))
def _shlex_quote(func, body):
    stmt = single(body)
    if not isinstance(stmt, ast.Return):
        return None
    strings = [n.value for n in ast.walk(stmt.value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    has_replace_quote = any(method(n, "replace") and is_const(n.args[0], "'") for n in ast.walk(stmt.value) if isinstance(n, ast.Call) and n.args)
    if has_replace_quote and strings.count("'") >= 2 or (has_replace_quote and isinstance(stmt.value, ast.JoinedStr)):
        return whole(body, "shlex-quote", "`shlex.quote`", "`shlex.quote(s)` handles every shell metacharacter and the empty string")
    return None


@entry("token", ("random",))
def _token(func, body):
    stmt = single(body)
    value = stmt.value if isinstance(stmt, ast.Return) else None
    join = method(value, "join")
    if not join or not is_const(join.func.value, "") or len(join.args) != 1:
        return None
    comp = join.args[0]
    if isinstance(comp, (ast.GeneratorExp, ast.ListComp)) and calls(comp.elt, "random.choice", "choice") and calls(comp.generators[0].iter, "range"):
        return whole(body, "token", "`secrets.token_hex` / `secrets.token_urlsafe`",
                     "`random` is predictable: use `secrets.token_hex(n)`, `secrets.token_urlsafe(n)` or `secrets.choice` for anything secret")
    if calls(comp, "random.choices", "choices"):
        return whole(body, "token", "`secrets.token_hex` / `secrets.token_urlsafe`",
                     "`random` is predictable: use `secrets.token_hex(n)`, `secrets.token_urlsafe(n)` or `secrets.choice` for anything secret")
    return None


# -- files and paths ---------------------------------------------------------------------------
def _open_call(node: ast.AST) -> tuple[ast.expr, str] | None:
    """`open(path[, mode])` with a constant mode: (path, mode)."""
    if not calls(node, "open") or not node.args:
        return None
    mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
    if mode is not None and not isinstance(mode, ast.Constant):
        return None
    extra = [k for k in node.keywords if k.arg not in ("mode", "encoding")] or node.args[2:]
    if extra:
        return None
    return node.args[0], (mode.value if mode is not None else "r")


def _encoding(call: ast.Call) -> str:
    enc = next((k.value for k in call.keywords if k.arg == "encoding"), None)
    return f"encoding={src(enc)}" if enc is not None else ""


@entry("read-text")
def _read_text(func, body):
    stmt = single(body)
    if not isinstance(stmt, ast.With) or len(stmt.items) != 1 or not is_name(stmt.items[0].optional_vars):
        return None
    opened = _open_call(stmt.items[0].context_expr)
    inner = single(stmt.body)
    if not opened or not isinstance(inner, ast.Return):
        return None
    handle = stmt.items[0].optional_vars.id
    read = method(inner.value, "read")
    if not read or read.args or not is_name(read.func.value, handle):
        return None
    path, mode = opened
    if mode in ("r", "rt"):
        call = f"pathlib.Path({src(path)}).read_text({_encoding(stmt.items[0].context_expr)})"
        what = "`pathlib.Path.read_text`"
    elif mode == "rb":
        call, what = f"pathlib.Path({src(path)}).read_bytes()", "`pathlib.Path.read_bytes`"
    else:
        return None
    return whole(body, "read-text", what, f"`{call}` opens, reads and closes in one call",
                 f"return {call}", ("pathlib",))


@entry("write-text")
def _write_text(func, body):
    stmt = single(body)
    if not isinstance(stmt, ast.With) or len(stmt.items) != 1 or not is_name(stmt.items[0].optional_vars):
        return None
    opened = _open_call(stmt.items[0].context_expr)
    inner = single(stmt.body)
    if not opened or not isinstance(inner, ast.Expr):
        return None
    write = method(inner.value, "write")
    if not write or len(write.args) != 1 or not is_name(write.func.value, stmt.items[0].optional_vars.id):
        return None
    path, mode = opened
    if mode not in ("w", "wt", "wb"):
        return None
    kind = "bytes" if mode == "wb" else "text"
    enc = _encoding(stmt.items[0].context_expr)
    call = f"pathlib.Path({src(path)}).write_{kind}({src(write.args[0])}{', ' + enc if enc else ''})"
    return whole(body, "write-text", f"`pathlib.Path.write_{kind}`", f"`{call}` opens, writes and closes in one call", call, ("pathlib",))


@entry("copyfile", ("wb",))
def _copyfile(func, body):
    stmt = single(body)
    if not isinstance(stmt, ast.With) or len(stmt.items) != 2:
        return None
    modes = [(_open_call(i.context_expr) or (None, None))[1] for i in stmt.items]
    inner = single(stmt.body)
    if sorted(modes, key=str) != ["rb", "wb"] or not isinstance(inner, ast.Expr) or not method(inner.value, "write"):
        return None
    return whole(body, "copyfile", "`shutil.copyfile`", "`shutil.copyfile(src, dst)` copies in chunks (not the whole file in memory); `shutil.copy2` keeps metadata")


@entry("makedirs")
def _makedirs(func, body):
    for index, stmt in enumerate(body):
        if not isinstance(stmt, ast.If) or stmt.orelse or len(stmt.body) != 1 or not isinstance(stmt.body[0], ast.Expr):
            continue
        test = stmt.test
        if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
            continue
        made = stmt.body[0].value
        if calls(test.operand, "os.path.exists", "os.path.isdir") and calls(made, "os.makedirs", "os.mkdir") and made.args:
            if src(test.operand.args[0]) != src(made.args[0]) or made.keywords or len(made.args) > 1:
                continue
            rest = [s for i, s in enumerate(body) if i != index]
            if len(rest) > 1 or (rest and not isinstance(rest[0], ast.Return)):
                continue
            text = f"os.makedirs({src(made.args[0])}, exist_ok=True)"
            return Match("makedirs", "`os.makedirs(..., exist_ok=True)`",
                         f"`{text}` has no race between the check and the creation (and creates parents)",
                         text, (), Applicability.UNSAFE, index, index)
        exists = method(test.operand, "exists")
        mkdir = method(made, "mkdir")
        if exists and mkdir and src(exists.func.value) == src(mkdir.func.value) and not any(k.arg == "exist_ok" for k in mkdir.keywords):
            rest = [s for i, s in enumerate(body) if i != index]
            if len(rest) > 1 or (rest and not isinstance(rest[0], ast.Return)):
                continue
            args = ", ".join([*(src(a) for a in mkdir.args), *(src(k) for k in mkdir.keywords), "exist_ok=True"])
            text = f"{src(mkdir.func.value)}.mkdir({args})"
            return Match("makedirs", "`Path.mkdir(..., exist_ok=True)`", f"`{text}` has no race between the check and the creation",
                         text, (), Applicability.UNSAFE, index, index)
    return None


def _recursive_tree_walk(func: Func, library_calls: tuple[str, ...]) -> bool:
    """The function lists a folder, calls itself for sub-folders and one of `library_calls` for files."""
    names = call_names(func)
    if not names & set(library_calls):
        return False
    lists = bool(names & {"os.listdir", "os.scandir"}) or any(n.endswith(".iterdir") for n in names)
    recursive = func.name in names or any(n and n.endswith("." + func.name) for n in names)
    return lists and recursive and bool(names & set(library_calls))


@entry("copytree", ("listdir", "copy"))
def _copytree(func, body):
    if _recursive_tree_walk(func, ("shutil.copy", "shutil.copy2", "shutil.copyfile")):
        return whole(body, "copytree", "`shutil.copytree`", "`shutil.copytree(src, dst, dirs_exist_ok=True)` copies a tree, handling symlinks and errors per its options")
    return None


@entry("rmtree", ("rmdir",))
def _rmtree(func, body):
    if "os.rmdir" in call_names(func) and _recursive_tree_walk(func, ("os.remove", "os.unlink")):
        return whole(body, "rmtree", "`shutil.rmtree`", "`shutil.rmtree(path)` removes a tree and does not follow symlinks to folders")
    return None


@entry("walk-glob", ("os.walk",))
def _walk_glob(func, body):
    acc = accumulator(body)
    if not acc or not calls(acc.loop.iter, "os.walk") or not isinstance(acc.loop.target, ast.Tuple):
        return None
    inner = single(acc.loop.body)
    if not isinstance(inner, ast.For):
        return None
    check = single(inner.body)
    if isinstance(check, ast.If) and method(check.test, "endswith") or isinstance(check, ast.If) and calls(check.test, "fnmatch.fnmatch"):
        return whole(body, "walk-glob", "`pathlib.Path.rglob` / `glob.glob(recursive=True)`", "`sorted(Path(root).rglob('*.ext'))` finds files by pattern under a folder")
    return None


@entry("which", ("os.access", "PATH"))
def _which(func, body):
    if "os.access" not in call_names(func):
        return None
    if any(is_const(n, "PATH") for n in nodes_of(func)) and any(isinstance(n, ast.For) for n in body):
        return whole(body, "which", "`shutil.which`", "`shutil.which(name)` also honours PATHEXT on Windows and checks that the match is a file")
    return None


@entry("tempdir", ("/tmp",))
def _tempdir(func, body):
    if not {"os.makedirs", "os.mkdir"} & call_names(func):
        return None
    joins = [n for n in nodes_of(func) if calls(n, "os.path.join") and n.args and is_const(n.args[0], "/tmp")]
    made = True
    if joins and made:
        return whole(body, "tempdir", "`tempfile.mkdtemp`", "`tempfile.mkdtemp()` creates a private folder with an unguessable name; a name under /tmp can be taken over by another user")
    return None


@entry("expanduser", ("~",))
def _expanduser(func, body):
    stmt = single(body)
    call = method(stmt.value if isinstance(stmt, ast.Return) else None, "replace")
    if call and len(call.args) == 2 and is_const(call.args[0], "~") and any(is_const(n, "HOME") for n in ast.walk(call.args[1])):
        return whole(body, "expanduser", "`os.path.expanduser`", "`os.path.expanduser(p)` expands only a leading `~` (and `~user`); `replace` changes every `~`")
    return None


# -- strings, numbers, dates, networks ----------------------------------------------------------
def _strip_affix(func, body, check: str) -> tuple[ast.expr, ast.expr, ast.expr] | None:
    """(string, affix, sliced) for `if s.startswith(p): return s[...]` + `return s`, or the ternary."""
    if len(body) == 2 and isinstance(body[0], ast.If) and not body[0].orelse and isinstance(body[1], ast.Return):
        test, inner, other = body[0].test, single(body[0].body), body[1].value
    elif len(body) == 1 and isinstance(body[0], ast.If) and isinstance(single(body[0].orelse), ast.Return):
        test, inner, other = body[0].test, single(body[0].body), body[0].orelse[0].value
    elif len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, ast.IfExp):
        exp = body[0].value
        test, inner, other = exp.test, ast.Return(exp.body), exp.orelse
    else:
        return None
    call = method(test, check)
    if not call or len(call.args) != 1 or not isinstance(inner, ast.Return) or not isinstance(inner.value, ast.Subscript):
        return None
    string = call.func.value
    if src(other) != src(string) or src(inner.value.value) != src(string):
        return None
    return string, call.args[0], inner.value.slice


@entry("removeprefix")
def _removeprefix(func, body):
    found = _strip_affix(func, body, "startswith")
    if not found:
        return None
    string, prefix, cut = found
    if not (isinstance(cut, ast.Slice) and cut.upper is None and src(cut.lower) == f"len({src(prefix)})"):
        return None
    return whole(body, "removeprefix", "`str.removeprefix`", f"`{src(string)}.removeprefix({src(prefix)})` (Python 3.9+) does exactly this",
                 f"return {src(string)}.removeprefix({src(prefix)})")


@entry("removesuffix")
def _removesuffix(func, body):
    found = _strip_affix(func, body, "endswith")
    if not found:
        return None
    string, suffix, cut = found
    if not (isinstance(cut, ast.Slice) and cut.lower is None and src(cut.upper) == f"-len({src(suffix)})"):
        return None
    return whole(body, "removesuffix", "`str.removesuffix`",
                 f"`{src(string)}.removesuffix({src(suffix)})` (Python 3.9+); note `s[:-len(suffix)]` returns '' for an empty suffix",
                 f"return {src(string)}.removesuffix({src(suffix)})")


@entry("isclose")
def _isclose(func, body):
    stmt = single(body)
    value = stmt.value if isinstance(stmt, ast.Return) else None
    if not isinstance(value, ast.Compare) or len(value.ops) != 1 or not isinstance(value.ops[0], (ast.Lt, ast.LtE)):
        return None
    left = value.left
    if calls(left, "abs") and len(left.args) == 1 and isinstance(left.args[0], ast.BinOp) and isinstance(left.args[0].op, ast.Sub):
        return whole(body, "isclose", "`math.isclose`", "`math.isclose(a, b, rel_tol=..., abs_tol=...)` compares relative to the magnitude; a fixed epsilon is wrong for large or tiny values")
    return None


@entry("mean")
def _mean(func, body):
    stmt = single(body)
    value = stmt.value if isinstance(stmt, ast.Return) else None
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div) and calls(value.left, "sum") and calls(value.right, "len"):
        if value.left.args and value.right.args and src(value.left.args[0]) == src(value.right.args[0]):
            return whole(body, "mean", "`statistics.mean`", "`statistics.mean(xs)` (or the faster `statistics.fmean`) raises StatisticsError on empty input with a clear message instead of ZeroDivisionError")
    return None


@entry("gcd", ("while", "%"))
def _gcd(func, body):
    if len(body) != 2 or not isinstance(body[0], ast.While) or not returns(body[1]):
        return None
    loop = body[0]
    stmt = single(loop.body)
    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Tuple) and len(stmt.value.elts) == 2:
        second = stmt.value.elts[1]
        if isinstance(second, ast.BinOp) and isinstance(second.op, ast.Mod):
            return whole(body, "gcd", "`math.gcd`", "`math.gcd(a, b)` is always non-negative and takes any number of arguments (3.9+)")
    return None


@entry("lru-cache", (" in ",))
def _lru_cache(func, body):
    if len(body) < 3 or not isinstance(body[0], ast.If):
        return None
    test = body[0].test
    if not (isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.In) and is_name(test.comparators[0])):
        return None
    cache = test.comparators[0].id
    params = {a.arg for a in func.args.args}
    if cache in params or cache in {t.id for s in body for t in ast.walk(s) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}:
        return None  # a local dict: not a cache that outlives the call
    hit = single(body[0].body)
    if not (isinstance(hit, ast.Return) and isinstance(hit.value, ast.Subscript) and is_name(hit.value.value, cache)):
        return None
    stores = [s for s in body[1:] if isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Subscript) and is_name(s.targets[0].value, cache)]
    if stores and returns(body[-1]):
        return whole(body, "lru-cache", "memoization (`functools.lru_cache`)",
                     "`@functools.lru_cache(maxsize=...)` (or `functools.cache`) memoizes with a bound on memory and is thread-safe")
    return None


@entry("dict-get")
def _dict_get(func, body):
    if len(body) == 2 and isinstance(body[0], ast.If) and not body[0].orelse and returns(body[1]):
        test, hit, miss = body[0].test, single(body[0].body), body[1].value
    elif len(body) == 1 and isinstance(body[0], ast.Try) and len(body[0].handlers) == 1 and not body[0].orelse and not body[0].finalbody:
        handler = body[0].handlers[0]
        if not is_name(handler.type, "KeyError") or not isinstance(single(handler.body), ast.Return):
            return None
        hit, miss = single(body[0].body), handler.body[0].value
        if not (isinstance(hit, ast.Return) and isinstance(hit.value, ast.Subscript)):
            return None
        test = ast.Compare(hit.value.slice, [ast.In()], [hit.value.value])
    else:
        return None
    if not (isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.In) and isinstance(hit, ast.Return) and isinstance(hit.value, ast.Subscript)):
        return None
    if src(hit.value.value) != src(test.comparators[0]) or src(hit.value.slice) != src(test.left) or miss is None:
        return None
    if names_in(miss) & names_in(test.left) or not isinstance(miss, (ast.Constant, ast.Name)):
        return None  # `.get(key, default)` evaluates the default first: only for plain values
    if is_name(hit.value.value, "self"):
        return None  # the mapping's own `get`: `self.get` would call itself
    text = f"return {src(hit.value.value)}.get({src(test.left)}, {src(miss)})"
    return whole(body, "dict-get", "`dict.get`", "`mapping.get(key, default)` does the lookup once", text)


@entry("fromisoformat", ("date",))
def _fromisoformat(func, body):
    stmt = single(body)
    value = stmt.value if isinstance(stmt, ast.Return) else None
    if calls(value, "datetime.strptime", "datetime.datetime.strptime") and len(value.args) == 2:
        fmt = value.args[1]
        if isinstance(fmt, ast.Constant) and fmt.value in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f"):
            return whole(body, "fromisoformat", "`datetime.fromisoformat`", "`datetime.fromisoformat(s)` parses ISO 8601 (with offsets and fractions since 3.11)")
    if len(body) == 2 and isinstance(body[0], ast.Assign) and isinstance(body[0].targets[0], ast.Tuple):
        split = method(body[0].value, "split")
        ret = body[1].value if isinstance(body[1], ast.Return) else None
        if split and split.args and is_const(split.args[0], "-") and calls(ret, "date", "datetime.date", "datetime", "datetime.datetime"):
            if all(calls(a, "int") for a in ret.args) and len(ret.args) == 3:
                return whole(body, "fromisoformat", "`date.fromisoformat`", "`date.fromisoformat(s)` parses and validates ISO dates")
    return None


@entry("ipaddress", ("255", "split"))
def _ipaddress(func, body):
    consts = {n.value for n in nodes_of(func) if isinstance(n, ast.Constant) and type(n.value) in (int, str)}
    if not {".", 4, 255} <= consts:
        return None
    if any(method(n, "split") and n.args and is_const(n.args[0], ".") for n in nodes_of(func)):
        return whole(body, "ipaddress", "IPv4 validation (`ipaddress.ip_address`)",
                     "`ipaddress.ip_address(s)` (or `IPv4Address`) validates and rejects forms like '01.2.3.4' that hand-written checks let through")
    return None


@entry("dedent", ("lstrip", "min("))
def _dedent(func, body):
    if "min" not in call_names(func):
        return None
    calls_ = {n.func.attr for n in nodes_of(func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    has_min = True
    indent = any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Sub) and calls(n.left, "len") and calls(n.right, "len")
                 and n.right.args and method(n.right.args[0], "lstrip") for n in nodes_of(func))
    if has_min and indent and ("splitlines" in calls_ or "split" in calls_) and "join" in calls_:
        return whole(body, "dedent", "`textwrap.dedent`", "`textwrap.dedent(text)` removes the common leading whitespace (ignoring blank lines)")
    return None


@entry("shorten")
def _shorten(func, body):
    stmt = single(body)
    value = stmt.value if isinstance(stmt, ast.Return) else None
    if isinstance(value, ast.IfExp) and isinstance(value.test, ast.Compare) and calls(value.test.left, "len"):
        cut = value.orelse if isinstance(value.orelse, ast.BinOp) else value.body
        if isinstance(cut, ast.BinOp) and isinstance(cut.op, ast.Add) and is_const(cut.right, "...", "\u2026") and isinstance(cut.left, ast.Subscript):
            return whole(body, "shorten", "truncation (`textwrap.shorten`)",
                         "`textwrap.shorten(s, width, placeholder='...')` cuts at a word boundary (and collapses whitespace)")
    return None


@entry("zfill")
def _zfill(func, body):
    stmt = single(body)
    value = stmt.value if isinstance(stmt, ast.Return) else None
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and isinstance(value.left, ast.BinOp) and isinstance(value.left.op, ast.Mult):
        if is_const(value.left.left, "0") and isinstance(value.left.right, ast.BinOp) and calls(value.left.right.right, "len"):
            return whole(body, "zfill", "`str.zfill`", "`s.zfill(width)` pads with zeros after a leading sign; `format(n, '05d')` for numbers")
    return None


@entry("bisect", ("while", "//"))
def _bisect(func, body):
    if len(body) != 3 or not isinstance(body[1], ast.While) or not returns(body[2]):
        return None
    loop = body[1]
    mid = next((s for s in loop.body if assigns(s) and isinstance(assigns(s)[1], ast.BinOp) and isinstance(assigns(s)[1].op, ast.FloorDiv)), None)
    if mid is not None and any(isinstance(s, ast.If) for s in loop.body) and isinstance(loop.test, ast.Compare):
        return whole(body, "bisect", "binary search (`bisect`)", "`bisect.bisect_left(seq, x)` / `bisect_right` are tested for every off-by-one")
    return None


@entry("shuffle", ("rand",))
def _shuffle(func, body):
    loop = body[0] if body and isinstance(body[0], ast.For) else None
    if loop is None or len(body) > 2 or not calls(loop.iter, "range"):
        return None
    draws = bool(call_names(func) & {"random.randint", "random.randrange", "randint", "randrange"})
    swaps = any(isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Tuple) and isinstance(s.value, ast.Tuple) for s in loop.body)
    if draws and swaps:
        return whole(body, "shuffle", "`random.shuffle`", "`random.shuffle(items)` (or `random.sample(items, k=len(items))` for a copy) shuffles uniformly")
    return None


@entry("deepcopy", ("json",))
def _deepcopy(func, body):
    stmt = single(body)
    value = stmt.value if isinstance(stmt, ast.Return) else None
    if calls(value, "json.loads") and value.args and calls(value.args[0], "json.dumps"):
        return whole(body, "deepcopy", "`copy.deepcopy`", "`copy.deepcopy(obj)` keeps types (tuples, sets, dates, non-string keys) that a JSON round trip changes or rejects")
    return None


# -- the fix -----------------------------------------------------------------------------------
def fix_for(ctx, func: Func, found: Match) -> Fix:
    if found.replacement is None:
        return Fix(f"Use {found.what}: {found.advice}", Applicability.DISPLAY_ONLY)
    body = function_body(func)
    first, last = body[found.first], body[found.last]
    start = ctx.source.span_of(first)
    end = ctx.source.span_of(last)
    edits = [Edit(Span(start.start_line, start.start_col, end.end_line, end.end_col), found.replacement)]
    missing = [m for m in found.imports if not _imported(ctx.source.tree, m)]
    if missing:
        line = import_line(ctx.source.tree)
        edits.append(Edit(Span(line, 0, line, 0), "".join(f"import {m}\n" for m in missing)))
    replaced = "the body" if (found.first, found.last) == (0, len(body) - 1) else "the check"
    title = f"Replace {replaced} with `{found.replacement.removeprefix('return ')}`"
    return Fix(title, found.applicability, tuple(edits))


def _imported(tree: ast.Module, module: str) -> bool:
    return any(isinstance(s, ast.Import) and any(a.name == module and a.asname is None for a in s.names) for s in tree.body)


def import_line(tree: ast.Module) -> int:
    """0-based line after the module's leading docstring, `__future__` and import block."""
    line = 0
    for stmt in tree.body:
        is_doc = isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str) and line == 0
        if is_doc or isinstance(stmt, (ast.Import, ast.ImportFrom)):
            line = stmt.end_lineno or stmt.lineno
            continue
        break
    return line
