"""Re-analysing only the function an edit touched (the language server's fast tier).

The caller keeps one `State` per open document and passes it to `engine.analyze`. After each
analysis the state holds a `Snapshot`: the text's lines, the function units with their
summaries, and per unit the findings of the node rules and of bandit, plus pyflakes' messages.
When the next version differs from it only inside one function's body, and that function still
binds, imports and declares the same module-wide names, the engine walks that function and the
rest of the module (module-level statements, class bodies, headers) and takes every other
function's findings from the snapshot, moved by the lines the edit added or removed. Any other
edit (a header, module-level code, more than one function, a test file, other settings) is a
full analysis, which refreshes the snapshot. `tests/test_incremental.py` checks that both
paths give the same findings over random edits of real files.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Any

from leery.core.findings import Edit, Finding, Fix, Related, Span
from leery.core.units import FUNCTIONS, LineMap, Summary, Unit, diff_lines, function_units, summarize

_SHARED = ("shadowed_builtins", "global_names", "class_bases", "imports", "rebinds_outer", "shared")


@dataclass
class Record:
    """One unit as the last analysis saw it (old line numbers)."""

    start: int
    body_start: int
    end: int
    header: tuple
    in_class: str | None
    summary: Summary
    findings: list[Finding] | None = None  # node rules; None: not recorded
    bandit: list | None = None  # the bandit adapter's issues
    bandit_imports: tuple | None = None  # what the unit added to bandit's imports and aliases


@dataclass
class Snapshot:
    path: str
    lines: list[str]
    settings: Any
    enabled: frozenset[str]
    records: list[Record]
    facts: dict[str, frozenset[str]]  # module-wide: shadowed builtins, global names, class bases
    extra: dict[str, Any] = field(default_factory=dict)  # what analyzers keep of the version ("pyflakes", "taint")
    comments: list | None = None  # SourceFile.comments, when the analysis read them


@dataclass
class State:
    """Per open document; owned by the caller (the server), filled by the engine."""

    snapshot: Snapshot | None = None
    lineage: Any = None  # leery.core.reparse.Lineage: the last tree that parsed (the caller splices)
    runs: int = 0  # analyses of this document, and how many of them were incremental
    incremental_runs: int = 0


@dataclass
class Plan:
    """How this analysis uses the snapshot."""

    units: list[Unit]
    summaries: list[Summary]
    tree: ast.Module | None = None
    old: Snapshot | None = None  # set on the incremental path
    lines: LineMap | None = None
    edited: int | None = None  # index of the unit the edit is in (walked); None: nothing changed
    records: list[Record | None] = field(default_factory=list)  # filled by the walk, for the new snapshot
    by_node: dict[int, int] = field(default_factory=dict)  # id(def) -> unit index

    @property
    def incremental(self) -> bool:
        return self.old is not None

    def reusable(self, index: int) -> Record | None:
        """The old record of a unit whose findings may be reused (not the edited one)."""
        if self.old is None or index == self.edited:
            return None
        return self.old.records[index]


def plan(state: State | None, source, settings, enabled: frozenset[str], is_test_file: bool) -> Plan | None:
    """None: no state to keep (CLI). Otherwise the units, and the snapshot when it may be used."""
    if state is None or source.tree is None:
        return None  # a version that does not parse keeps the last good snapshot to build on
    units = function_units(source.tree, source.lines)
    old = state.snapshot
    result = Plan(units, [], source.tree, records=[None] * len(units), by_node={id(u.node): i for i, u in enumerate(units)})
    if old is None or is_test_file or old.path != source.path or old.settings is not settings or old.enabled != enabled:
        result.summaries = [summarize(u.node) for u in units]
        return result
    lines = diff_lines(old.lines, source.lines)
    edited = _edited_unit(old, units, lines, source.lines)
    if edited is False:
        result.summaries = [summarize(u.node) for u in units]
        return result
    summaries = [old.records[i].summary for i in range(len(units))]
    if edited is not None:
        fresh = summarize(units[edited].node)
        before = old.records[edited].summary
        if any(getattr(fresh, name) != getattr(before, name) for name in _SHARED) or fresh.rebinds_outer:
            result.summaries = [summarize(u.node) for u in units]
            return result
        summaries[edited] = fresh
    result.summaries = summaries
    result.old, result.lines, result.edited = old, lines, edited
    return result


def _edited_unit(old: Snapshot, units: list[Unit], lines: LineMap, new_lines: list[str]) -> int | None | bool:
    """The index of the one unit whose body holds the whole change; None if nothing changed;
    False when the change is anywhere else or the units do not line up."""
    if len(units) != len(old.records):
        return False
    changed_old = (lines.start, lines.old_end)
    changed_new = (lines.start, lines.old_end + lines.delta)
    nothing = changed_old[0] == changed_old[1] and changed_new[0] == changed_new[1]
    edited = None
    for index, (unit, record) in enumerate(zip(units, old.records)):
        if unit.header != record.header or unit.in_class != record.in_class:
            return False
        if not nothing and record.body_start <= changed_old[0] and changed_old[1] <= record.end + 1:
            if unit.body_start == record.body_start and unit.end == record.end + lines.delta and changed_new[1] <= unit.end + 1:
                edited = index
                continue
            return False
        if (lines.line(record.start - 1 if record.start else 0), lines.line(record.end)) != (
            unit.start - 1 if unit.start else 0,
            unit.end,
        ) or lines.line(record.start) != unit.start:
            return False  # this unit, or the line above it (comments there count), moved or changed
    if nothing:
        return None
    return edited if edited is not None else False


def carry_comments(source, plan: Plan) -> None:
    """Give the new version the last version's comments outside the edited function (moved)
    and scan only that function's lines: no string crosses a function's first or last line."""
    old = plan.old
    if old is None or old.comments is None or plan.lines is None or "comments" in source.__dict__:
        return
    if not source.scans_comments:
        return
    lines = plan.lines
    if plan.edited is None:
        skip, fresh = (0, -1), []
    else:
        record, unit = old.records[plan.edited], plan.units[plan.edited]
        skip = (record.start, record.end)
        fresh = source.scan_comments(unit.start, unit.end)
    moved = []
    for comment in old.comments:
        if skip[0] <= comment.line <= skip[1]:
            continue
        line = lines.line(comment.line)
        if line is None:
            return  # cannot happen for an edit inside one function; then scan as usual
        moved.append(comment if line == comment.line else replace(comment, line=line))
    source.__dict__["comments"] = sorted(moved + fresh, key=lambda c: (c.line, c.col))


def module_facts(source, plan: Plan) -> dict[str, frozenset[str]]:
    """Shadowed builtins, `global` names and class bases over the whole module."""
    if plan.old is not None:
        return plan.old.facts
    facts: dict[str, set[str]] = {"shadowed_builtins": set(), "global_names": set(), "class_bases": set()}
    for summary in [*plan.summaries, *(summarize(n, unit=False) for n in rest_nodes(source.tree))]:
        for name in facts:
            facts[name] |= getattr(summary, name)
    return {name: frozenset(values) for name, values in facts.items()}


def rest_nodes(tree: ast.Module) -> list[ast.AST]:
    """Module-level statements and class bodies without their methods (the units)."""
    out: list[ast.AST] = []
    for stmt in tree.body:
        if isinstance(stmt, FUNCTIONS):
            continue
        if isinstance(stmt, ast.ClassDef):
            out.append(ast.ClassDef(
                name=stmt.name, bases=stmt.bases, keywords=stmt.keywords, decorator_list=stmt.decorator_list,
                body=[s for s in stmt.body if not isinstance(s, FUNCTIONS)], type_params=getattr(stmt, "type_params", []),
            ))
        else:
            out.append(stmt)
    return out


def finish(state: State | None, source, settings, enabled: frozenset[str], plan: Plan | None, facts, extra: dict) -> None:
    if state is None or plan is None:
        return
    state.runs += 1
    state.incremental_runs += plan.incremental
    if any(r is None for r in plan.records):
        state.snapshot = None  # the walk did not reach every unit: nothing to build on
        return
    comments = source.__dict__.get("comments")  # functools.cached_property keeps it there
    state.snapshot = Snapshot(source.path, source.lines, settings, enabled, plan.records, facts, extra, comments)


def new_record(plan: Plan, index: int) -> Record:
    unit = plan.units[index]
    return Record(unit.start, unit.body_start, unit.end, unit.header, unit.in_class, plan.summaries[index])


# -- moving findings to the new version ------------------------------------------------------
def move_all(findings: list[Finding] | None, lines: LineMap) -> list[Finding] | None:
    """Copies of findings with every position moved; None when one cannot be moved."""
    if findings is None:
        return None
    out = []
    for finding in findings:
        moved = move(finding, lines)
        if moved is None:
            return None
        out.append(moved)
    return out


def move(finding: Finding, lines: LineMap) -> Finding | None:
    span = move_span(finding.span, lines)
    message = lines.text(finding.message)
    if span is None or message is None:
        return None
    related = []
    for rel in finding.related:
        rel_span = move_span(rel.span, lines) if rel.path == finding.path else rel.span
        rel_message = lines.text(rel.message) if rel.path == finding.path else rel.message
        if rel_span is None or rel_message is None:
            return None
        related.append(Related(rel.path, rel_span, rel_message))
    fix = finding.fix
    if fix is not None and fix.edits:
        edits = []
        for edit in fix.edits:
            edit_span = move_span(edit.span, lines)
            if edit_span is None:
                return None
            edits.append(Edit(edit_span, edit.new_text))
        fix = Fix(fix.title, fix.applicability, tuple(edits))
    return replace(finding, span=span, message=message, related=related, fix=fix, extra=dict(finding.extra))


def move_span(span: Span, lines: LineMap) -> Span | None:
    start = lines.line(span.start_line)
    end = lines.line(span.end_line)
    if start is None or end is None:
        return None
    if start == span.start_line and end == span.end_line:
        return span
    return Span(start, span.start_col, end, span.end_col)


def keep(findings: list[Finding]) -> list[Finding]:
    """Copies for the snapshot: callers change severity and filter the originals."""
    return [replace(f, related=list(f.related), extra=dict(f.extra)) for f in findings]
