"""Human-readable output: `path:line:col: CODE message` plus a fix hint and a summary."""

from __future__ import annotations

from collections import Counter

from leery.core.findings import Applicability


def _paint(text: str, code: str, on: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if on else text


def render(findings, ctx) -> str:
    out: list[str] = []
    colors = {"error": "31", "warning": "33", "info": "36", "hint": "2"}
    for f in findings:
        where = f"{ctx.display_path(f.path)}:{f.span.start_line + 1}:{f.span.start_col + 1}:"
        code = _paint(f.code, colors.get(f.severity.value, "0") + ";1", ctx.color)
        line = f"{_paint(where, '1', ctx.color)} {code} {f.message} [{f.severity.value}, {f.confidence.value} confidence]"
        out.append(line)
        for rel in f.related:
            out.append(f"    {ctx.display_path(rel.path)}:{rel.span.start_line + 1}:{rel.span.start_col + 1}: {rel.message}")
        if f.fix and ctx.show_fixes:
            label = {Applicability.SAFE: "fix", Applicability.UNSAFE: "unsafe fix", Applicability.DISPLAY_ONLY: "suggestion"}[f.fix.applicability]
            out.append(f"    {label}: {f.fix.title}")
    if ctx.statistics and findings:
        out.append("")
        counts = Counter((f.code, f.name) for f in findings)
        for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"{n:6d}  {code:6s} {name}")
    safe = sum(1 for f in findings if f.fix and f.fix.applicability == Applicability.SAFE and f.fix.edits)
    unsafe = sum(1 for f in findings if f.fix and f.fix.applicability == Applicability.UNSAFE and f.fix.edits)
    summary = f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} in {ctx.files_checked} file{'s' if ctx.files_checked != 1 else ''}."
    if ctx.fixed:
        summary += f" Fixed {ctx.fixed}."
    if safe:
        summary += f" {safe} fixable with --fix."
    if unsafe:
        summary += f" {unsafe} more with --unsafe-fixes."
    if findings or ctx.statistics:
        out.append("")
    out.append(summary if findings or ctx.fixed else f"All checks passed ({ctx.files_checked} file{'s' if ctx.files_checked != 1 else ''}).")
    return "\n".join(out) + "\n"
