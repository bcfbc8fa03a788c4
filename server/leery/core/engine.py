"""analyze(): one walk of the shared tree, rules dispatched by node type, then adapters,
severity overrides and suppressions. The CLI and the language server both call this."""

from __future__ import annotations

import ast
import logging
import os
from collections import defaultdict
from typing import Any, Callable, Iterable

from leery.core import astutil, incremental
from leery.core import suppressions as sup
from leery.core.config import Settings
from leery.core.context import NODE_CACHES, Context
from leery.core.findings import Finding, Span
from leery.core.registry import REGISTRY, Rule, load_rules
from leery.core.source import SourceFile

log = logging.getLogger("leery")

TIERS_ALL = ("fast", "slow")
# Filters applied after suppressions (review record, baseline, new-code scope): each takes
# (findings, source, settings, workspace) and returns the findings to keep.
POST_FILTERS: list[Callable[[list[Finding], SourceFile, Settings, Any], list[Finding]]] = []


def strict_mode(settings: Settings) -> bool:
    return settings.strict or os.environ.get("LEERY_STRICT") == "1"


def analyze(
    source: SourceFile,
    settings: Settings | None = None,
    workspace: Any = None,
    tiers: Iterable[str] = TIERS_ALL,
    suppress: bool = True,
    state: incremental.State | None = None,
) -> list[Finding]:
    """Every enabled rule's findings for one file, sorted by position.

    `state` (the language server's fast tier): kept between versions of one document, so that
    an edit inside one function re-analyses that function only (leery.core.incremental).
    """
    load_rules()
    settings = settings or Settings()
    tiers = tuple(tiers)
    enabled = settings.enabled_codes(source.path)
    findings: list[Finding] = []
    ctx = Context(source, settings, workspace)
    if source.tree is None:
        assert source.error is not None
        if "LY001" in enabled and "fast" in tiers:
            err = source.error
            findings.append(_meta(ctx, "LY001", _error_span(source, err.line, err.col), _syntax_message(err)))
    else:
        plan = incremental.plan(state, source, settings, enabled, ctx.is_test_file) if tiers == ("fast",) else None
        facts = None
        if plan is not None:
            facts = incremental.module_facts(source, plan)
            incremental.carry_comments(source, plan)
            ctx.use_facts(facts)
            ctx.plan = plan
        _report_failed_modules(ctx, enabled, tiers)
        rules = [r for r in REGISTRY.rules.values() if r.code in enabled and r.check and r.tier in tiers]
        _walk(source.tree, ctx, rules)
        findings.extend(ctx.findings)
        findings.extend(_run_adapters(source, settings, enabled, tiers, ctx))
        incremental.finish(state, source, settings, enabled, plan, facts, ctx.records)
        if plan is not None:
            log.debug("leery: %s analysed %s", source.path, f"incrementally (unit {plan.edited})" if plan.incremental else "in full")
    findings = sup.honour_noqa(findings, source, _is_pyflakes_code)
    for finding in findings:
        finding.severity = settings.severity_of(finding.code, finding.severity)
    if suppress and "fast" in tiers:
        findings = _apply_suppressions(findings, source, enabled, tiers, ctx, partial=source.tree is None)
    elif suppress:
        findings = sup.apply(findings, sup.parse(source), _selector_matches)
    for post_filter in POST_FILTERS:
        findings = post_filter(findings, source, settings, workspace)
    findings.sort(key=Finding.sort_key)
    for cache in NODE_CACHES:  # see leery.core.context: nodes may outlive this analysis
        cache.clear()
    return findings


def _error_span(source: SourceFile, line: int, col: int) -> Span:
    """One character at the error, kept inside the line: errors are often reported just past its end."""
    length = len(source.lines[line]) if 0 <= line < len(source.lines) else 0
    end = min(col + 1, length)
    start = min(col, max(end - 1, 0))
    return Span(line, start, line, end)


def _syntax_message(err) -> str:
    if err.kind == "too-complex":
        return f"{err.message}: no rule could check this file"
    return f"syntax error: {err.message}; rules that need a syntax tree were skipped for this file"


def _meta(ctx: Context, code: str, span: Span, message: str) -> Finding:
    return meta_finding(code, ctx.path, span, message)


def meta_finding(code: str, path: str, span: Span, message: str) -> Finding:
    """A finding the engine itself emits (LY0xx), with the rule's name, severity and confidence."""
    rule = REGISTRY.get(code)
    assert rule is not None
    return Finding(code, rule.name, path, span, message, rule.severity, rule.confidence)


def _walk(tree: ast.Module, ctx: Context, rules: list[Rule]) -> None:
    """Depth-first, in source order, without recursion (deeply nested code must not crash us)."""
    dispatch: dict[type, list[tuple[str, Callable, Rule]]] = defaultdict(list)
    for rule in rules:
        for node_type in rule.nodes:
            dispatch[node_type].append((rule.code, rule.check, rule))  # type: ignore[arg-type]
    # Leaves no rule checks (`Load`, `Add`, `Eq`, ...: about a quarter of all nodes) are not visited.
    skip = frozenset(t for t in astutil.LEAVES if t not in dispatch)
    fields = astutil.node_fields(skip)
    strict = strict_mode(ctx.settings)
    # The stack holds nodes to visit and, below each node's children, what leaving it takes:
    # _LEAVE, or (record, mark) at the end of a function unit (incremental analysis).
    stack: list[Any] = [tree]
    parents = ctx.parents
    plan = ctx.plan
    units = plan.by_node if plan is not None else {}
    imports = (ast.Import, ast.ImportFrom)
    AST = ast.AST
    while stack:
        node = stack.pop()
        if node is _LEAVE:
            parents.pop()
            continue
        if type(node) is tuple:  # a unit's end: keep what its subtree reported
            parents.pop()
            record, mark = node
            record.findings = incremental.keep(ctx.findings[mark:])
            continue
        kind = type(node)
        if units and id(node) in units:
            record = _enter_unit(ctx, plan, units[id(node)])
            if record is None:
                continue  # unchanged: its findings were taken from the last version
            stack.append((record, len(ctx.findings)))
        else:
            stack.append(_LEAVE)
        if kind in imports:
            ctx.add_import(node)
        checks = dispatch.get(kind)
        if checks:
            ctx.node = node
            for code, check, rule in checks:
                ctx.rule = rule
                try:
                    check(node, ctx)
                except Exception as exc:  # a broken rule must not take the others down
                    if strict:
                        raise
                    _report_failure(ctx, code, exc, node)
                    for node_type, listed in dispatch.items():  # no more of it in this file
                        dispatch[node_type] = [entry for entry in listed if entry[0] != code]
            ctx.rule = ctx.node = None
        parents.append(node)
        names = fields.get(kind)
        if names is None:
            names = fields[kind] = astutil.fields_with_nodes(kind, skip)
        for name in names:  # ast.iter_child_nodes, reversed, without a generator
            value = getattr(node, name, None)
            if type(value) is list:
                for child in reversed(value):
                    if isinstance(child, AST) and type(child) not in skip:
                        stack.append(child)
            elif isinstance(value, AST) and type(value) not in skip:
                stack.append(value)


_LEAVE = object()  # on the walk's stack: the node below is done


def _enter_unit(ctx: Context, plan: incremental.Plan, index: int) -> incremental.Record | None:
    """The new record of a function unit to walk; None when the last version's findings of
    it were moved over instead (its imports are replayed: later code sees them)."""
    record = plan.records[index] = incremental.new_record(plan, index)
    old = plan.reusable(index)
    moved = incremental.move_all(old.findings, plan.lines) if old is not None and plan.lines is not None else None
    if moved is None:
        return record
    ctx.findings.extend(moved)
    record.findings = incremental.keep(moved)
    for asname, name, module, level in record.summary.imports:
        ctx.add_alias(asname, name, module, level)
    return None


def _report_failed_modules(ctx: Context, enabled: frozenset[str], tiers) -> None:
    from leery.rules import FAILED_MODULES

    if "LY004" in enabled and "fast" in tiers:
        for name, error in FAILED_MODULES.items():
            message = f"rule module `{name}` failed to load ({error}); its rules did not run"
            ctx.findings.append(_meta(ctx, "LY004", Span(0, 0, 0, 0), message))


def _report_failure(ctx: Context, what: str, exc: BaseException, node: ast.AST | None) -> None:
    log.warning("leery: %s failed on %s: %s: %s", what, ctx.path, type(exc).__name__, exc, exc_info=exc)
    span = ctx.source.head_span(node) if node is not None and hasattr(node, "lineno") else Span(0, 0, 0, 0)
    message = f"{what} could not finish on this file ({type(exc).__name__}: {exc}); its findings may be missing"
    ctx.findings.append(_meta(ctx, "LY004", span, message))


def _run_adapters(source: SourceFile, settings: Settings, enabled: frozenset[str], tiers, ctx: Context) -> list[Finding]:
    from leery.analyzers import ADAPTERS

    out: list[Finding] = []
    strict = strict_mode(settings)
    for name, module in ADAPTERS.items():
        if getattr(module, "TIER", "fast") not in tiers:
            continue
        codes = enabled & frozenset(getattr(module, "CODES", ()))
        if not codes:
            continue
        try:
            out.extend(f for f in module.run(source, settings, codes, ctx) if f.code in enabled)  # type: ignore[attr-defined]
        except Exception as exc:
            if strict:
                raise
            before = len(ctx.findings)
            _report_failure(ctx, name, exc, None)
            out.extend(ctx.findings[before:])
    return out


def _is_pyflakes_code(code: str) -> bool:
    rule = REGISTRY.get(code)
    return rule is not None and rule.external == "pyflakes"


def _selector_matches(selector: str, code: str) -> bool:
    return any(rule.code == code for rule in REGISTRY.matching(selector))


def _apply_suppressions(findings, source, enabled, tiers, ctx, partial: bool) -> list[Finding]:
    suppressions = sup.parse(source)
    if not suppressions:
        return findings
    kept = sup.apply(findings, suppressions, _selector_matches)
    for s in suppressions:
        if not s.has_reason and "LY002" in enabled:
            what = "a placeholder reason" if s.reason else "no reason"
            kept.append(
                _meta(ctx, "LY002", s.span, f"suppression of {', '.join(s.codes) or 'nothing'} has {what}: say why this is acceptable")
            )
        if "LY003" in enabled and not partial:
            unknown = [c for c in s.codes if not REGISTRY.is_selector(c)]
            unused = [c for c in s.codes if c not in s.used and c not in unknown and _judgeable(c, enabled, tiers)]
            if not s.codes:
                kept.append(_meta(ctx, "LY003", s.span, "suppression names no rule: name the codes it is for"))
            if unknown:
                kept.append(_meta(ctx, "LY003", s.span, f"suppression names unknown rule(s): {', '.join(unknown)}"))
            if unused:
                kept.append(_meta(ctx, "LY003", s.span, f"nothing to suppress here for {', '.join(unused)}"))
    return kept


def _judgeable(selector: str, enabled: frozenset[str], tiers) -> bool:
    """Whether every rule a selector names ran here, so that no finding means nothing to suppress."""
    rules = [r for r in REGISTRY.matching(selector) if r.code in enabled]
    return bool(rules) and all(r.tier in tiers for r in rules)


def analyze_text(text: str, path: str = "<memory>", settings: Settings | None = None, **kwargs: Any) -> list[Finding]:
    return analyze(SourceFile(text, path), settings, **kwargs)
