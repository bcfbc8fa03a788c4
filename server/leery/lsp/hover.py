"""Hover over a flagged range: the finding, its confidence, and the rule's explanation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from leery.lsp.session import Session

SECTIONS = ("Why it matters", "What to check in review", "Example", "Use instead")


def explanation(finding, url: str | None) -> str:
    from leery.core.registry import REGISTRY

    rule = REGISTRY.get(finding.code)
    head = (
        f"**leery {finding.code}** `{finding.name}`: {finding.message}\n\n"
        f"Confidence: **{finding.confidence.value}** · severity: {finding.severity.value}"
    )
    if finding.fix is not None:
        head += f" · fix: {finding.fix.title} ({finding.fix.applicability.value})"
    parts = [head]
    if rule is not None:
        parts.append(rule.summary)
        for heading in SECTIONS:
            body = rule.section(heading)
            if body:
                parts.append(f"#### {heading}\n\n{body}")
        if url:
            parts.append(f"[{rule.code} documentation]({url})")
    return "\n\n".join(parts)


def hover(session: "Session", params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    result, findings = session.findings_at(uri)
    if result is None:
        return None
    unit = result.unit
    line = params.position.line + unit.first_line_of(uri)
    col = session.codec.from_client(unit.line_text(line), params.position.character)
    hits = [f for f in findings if _covers(f.span, line, col)]
    if not hits:
        return None
    text = "\n\n---\n\n".join(explanation(f, session.rule_url(f.code)) for f in hits)
    formats = session.capability("text_document.hover.content_format") or [types.MarkupKind.Markdown]
    kind = types.MarkupKind.Markdown if types.MarkupKind.Markdown in formats else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text))


def _covers(span, line: int, col: int) -> bool:
    start, end = (span.start_line, span.start_col), (span.end_line, span.end_col)
    if start == end:  # an empty span (end of file, a missing thing): the whole line
        return line == span.start_line
    return start <= (line, col) <= end
