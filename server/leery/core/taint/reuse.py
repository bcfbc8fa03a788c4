"""The taint pass in the incremental fast tier (leery.core.incremental).

A function's hits depend on its own body and on the summaries of the functions it calls. So
after an edit inside one function unit E, only E and the units that call it, directly or
through others, can change: those are analysed again (with the module-level code), and every
other unit's hits are the last version's, moved. Each hit is kept with its *owner*: the unit
whose analysis recorded it (a call into a sink of another function records the hit at that
sink). A call cycle between units makes summaries depend on the order of analysis, so then, and
whenever a moved hit would collide with a new one, the whole module is analysed as usual.
"""

from __future__ import annotations

import ast
import bisect
import hashlib
from dataclasses import dataclass, field, replace
from typing import Callable

from leery.core.incremental import move_span

REST = -1  # module-level code, and functions outside the units (in an `if`, a nested class)


@dataclass
class Kept:
    hit: object  # engine.Hit without its nodes (those belong to one version's tree)
    call: tuple | None  # (type, line, col, end line, end col) of Hit.call, to find it again
    arg: tuple | None


@dataclass
class Record:
    hits: dict[int, list[Kept]]  # owner unit -> hits
    callers: dict[int, set[int]]  # unit -> units whose analysis asked for its summaries
    contested: bool  # some hit was recorded by two functions' analyses: keep nothing
    files: dict = field(default_factory=dict)  # other files the analyses read -> digest of their text then


def analyze(new_analysis: Callable[[], object], plan, records: dict, texts: Callable[[str], "str | None"] | None,
            stamps: Callable[[str], object] | None = None) -> list:
    """`texts`: reads other workspace files (an open buffer's text first). A hit may depend on
    one (a call into a helper there), so the last version's hits are reused only while every
    file its analysis read still reads the same: the same stamp (Workspace.stamp: a stat, not a
    read, on every keystroke) when `stamps` is given, else the same text."""
    old = plan.old.extra.get("taint") if plan.old is not None else None
    hits = None
    if old is not None and plan.lines is not None and not old.contested and not _cyclic(old.callers) and _same_files(old, texts, stamps):
        analysis = new_analysis()
        hits = _incremental(analysis, plan, old, records)
        if hits is not None:  # the moved hits still rest on what the last version read
            records["taint"].files = {**old.files, **_files_read(analysis, stamps)}
    if hits is None:
        analysis = new_analysis().run()
        records["taint"] = _record(analysis, plan)
        records["taint"].files = _files_read(analysis, stamps)
        hits = list(analysis.hits.values())
    return sorted(hits, key=lambda h: (h.span, h.kind))


def _files_read(analysis, stamps) -> dict[str, object]:
    if stamps is not None:
        return dict(getattr(analysis.cache, "stamped", {}))
    return {path: _digest(text) for path, text in getattr(analysis.cache, "read", {}).items()}


def _digest(text: str | None) -> bytes | None:
    """Kept instead of the text: a document's record would otherwise hold every file it imports."""
    if text is None:
        return None
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _same_files(old: "Record", texts, stamps) -> bool:
    if not old.files:
        return True
    if texts is None:
        return False
    if stamps is not None:
        return all(stamps(path) == stamp for path, stamp in old.files.items())
    return all(_digest(texts(path)) == digest for path, digest in old.files.items())


def _incremental(analysis, plan, old: Record, records: dict) -> list | None:
    changed = {plan.edited} if plan.edited is not None else set()
    again = _callers_of(changed, old.callers) | {REST}
    owner = _owners(plan)
    analysis.run(only=lambda func: owner(func) in again)
    if analysis.contested:
        return None
    fresh = _record(analysis, plan, again)
    callers = {unit: {c for c in found if c not in again} for unit, found in old.callers.items()}
    for unit, found in fresh.callers.items():
        callers.setdefault(unit, set()).update(c for c in found if c in again)
    if _cyclic(callers):
        return None
    hits = {(h.kind, h.span): h for h in analysis.hits.values() if owner(analysis.hit_owners[(h.kind, h.span)]) in again}
    kept = {unit: found for unit, found in fresh.hits.items() if unit in again}
    for unit, found in old.hits.items():
        if unit in again:
            continue
        moved = [_move(k, plan) for k in found]
        if any(m is None for m in moved):
            return None
        for kept_hit, hit in zip(found, moved):
            if (hit.kind, hit.span) in hits:
                return None  # two owners: which one a full analysis keeps depends on the order
            hits[(hit.kind, hit.span)] = hit
        kept[unit] = [_keep(hit) for hit in moved]
    records["taint"] = Record(kept, callers, False)
    return list(hits.values())


def _callers_of(units: set[int], callers: dict[int, set[int]]) -> set[int]:
    found = set(units)
    todo = list(units)
    while todo:
        for caller in callers.get(todo.pop(), ()):
            if caller not in found:
                found.add(caller)
                todo.append(caller)
    return found


def _cyclic(callers: dict[int, set[int]]) -> bool:
    """A cycle of two or more units (a unit calling itself is fine: its recursion is inside)."""
    state: dict[int, int] = {}
    for start in callers:
        if start in state:
            continue
        stack = [(start, iter(callers.get(start, ())))]
        state[start] = 1
        while stack:
            unit, following = stack[-1]
            for caller in following:
                if caller == unit:
                    continue
                if state.get(caller) == 1:
                    return True
                if caller not in state:
                    state[caller] = 1
                    stack.append((caller, iter(callers.get(caller, ()))))
                    break
            else:
                state[unit] = 2
                stack.pop()
    return False


def _owners(plan) -> Callable[[ast.AST | None], int]:
    """The unit a function belongs to (by its line), REST outside them."""
    starts = [u.start for u in plan.units]

    def owner(func: ast.AST | None) -> int:
        if func is None:
            return REST
        line = func.lineno - 1  # type: ignore[attr-defined]
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and plan.units[index].start <= line <= plan.units[index].end:
            return index
        return REST

    return owner


def _record(analysis, plan, only: set[int] | None = None) -> Record:
    owner = _owners(plan)
    hits: dict[int, list[Kept]] = {}
    for key, hit in analysis.hits.items():
        unit = owner(analysis.hit_owners[key])
        if only is None or unit in only:
            hits.setdefault(unit, []).append(_keep(hit))
    callers: dict[int, set[int]] = {}
    for caller, callee in analysis.calls:
        callers.setdefault(owner(callee), set()).add(owner(caller))
    return Record(hits, callers, analysis.contested)


def _keep(hit) -> Kept:
    return Kept(replace(hit, call=None, arg=None), _position(hit.call), _position(hit.arg))


def _position(node) -> tuple | None:
    if node is None or not hasattr(node, "lineno"):
        return None
    return (type(node), node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)


def _move(kept: Kept, plan):
    """The hit in the new version's lines and tree; None when it cannot be moved."""
    lines = plan.lines
    hit = kept.hit
    span = move_span(hit.span, lines) if hit.path == plan.old.path else hit.span
    trace = _move_trace(hit.trace, lines, plan.old.path)
    if span is None or trace is None:
        return None
    call = _find(kept.call, plan)
    arg = _find(kept.arg, plan)
    if (kept.call is not None and call is None) or (kept.arg is not None and arg is None):
        return None
    return replace(hit, span=span, trace=trace, call=call, arg=arg)


def _move_trace(trace, lines, path: str):
    steps = []
    for step in (trace.origin, *trace.steps):
        if step.path != path:
            steps.append(step)
            continue
        span = move_span(step.span, lines)
        message = lines.text(step.message)
        if span is None or message is None:
            return None
        steps.append(replace(step, span=span, message=message))
    return replace(trace, origin=steps[0], steps=tuple(steps[1:]))


def _find(position: tuple | None, plan):
    """The node of a kept position in the new tree (searched in the unit holding its line)."""
    if position is None:
        return None
    kind, line, col, end_line, end_col = position
    new_line = plan.lines.line(line - 1)
    new_end = plan.lines.line(end_line - 1)
    if new_line is None or new_end is None:
        return None
    want = (new_line + 1, col, new_end + 1, end_col)
    starts = [u.start for u in plan.units]
    index = bisect.bisect_right(starts, new_line) - 1
    unit = plan.units[index] if index >= 0 and plan.units[index].end >= new_line else None
    root = unit.node if unit is not None else plan.tree
    assert root is not None
    for node in ast.walk(root):
        if type(node) is kind and (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset) == want:
            return node
    return None
