"""Apply fixes to text: by applicability, never two overlapping edits in one pass."""

from __future__ import annotations

from dataclasses import dataclass

from leery.core.findings import Applicability, Edit, Finding, Fix
from leery.core.source import SourceFile


@dataclass
class FixResult:
    text: str
    applied: list[Finding]


def allowed(fix: Fix | None, unsafe: bool) -> bool:
    if fix is None or not fix.edits:
        return False
    if fix.applicability == Applicability.SAFE:
        return True
    return unsafe and fix.applicability == Applicability.UNSAFE


def apply_edits(source: SourceFile, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (the caller guarantees it) from the end backwards."""
    text = source.text
    ordered = sorted(edits, key=lambda e: (e.span.start_line, e.span.start_col, e.span.end_line, e.span.end_col))
    for edit in reversed(ordered):
        start = source.offset_of(edit.span.start_line, edit.span.start_col)
        end = source.offset_of(edit.span.end_line, edit.span.end_col)
        text = text[:start] + edit.new_text + text[end:]
    return text


def apply_fixes(source: SourceFile, findings: list[Finding], unsafe: bool = False) -> FixResult:
    """One pass: take fixes in position order, skip any whose edits overlap one already taken."""
    taken: list[Edit] = []
    applied: list[Finding] = []
    for finding in sorted(findings, key=Finding.sort_key):
        if not allowed(finding.fix, unsafe):
            continue
        edits = list(finding.fix.edits)  # type: ignore[union-attr]
        if any(_overlap(e, t) for e in edits for t in taken):
            continue
        taken.extend(edits)
        applied.append(finding)
    if not taken:
        return FixResult(source.text, [])
    return FixResult(apply_edits(source, taken), applied)


def _overlap(a: Edit, b: Edit) -> bool:
    if a.span.overlaps(b.span):
        return True
    # Two insertions at one point would interleave unpredictably.
    return a.span == b.span or (a.span.start_line, a.span.start_col) == (b.span.start_line, b.span.start_col)


def fix_until_stable(text: str, path: str, analyze, unsafe: bool = False, max_passes: int = 10) -> tuple[str, int]:
    """Re-analyse and fix until nothing more applies. `analyze(SourceFile) -> findings`."""
    count = 0
    for _ in range(max_passes):
        source = SourceFile(text, path)
        if source.tree is None:
            break
        result = apply_fixes(source, analyze(source), unsafe)
        if not result.applied:
            break
        count += len(result.applied)
        text = result.text
    return text, count
