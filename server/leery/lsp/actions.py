"""Code actions: each finding's fix (preferred only when safe), "Suppress ... on this line…",
"Explain ...", and `source.fixAll.leery` (safe fixes only). Built from the stored result of the
current version: no re-analysis."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from lsprotocol import types

from leery.core.findings import Applicability, Edit, Span
from leery.core.suppressions import _DIRECTIVE
from leery.lsp import convert

if TYPE_CHECKING:
    from leery.lsp.documents import Unit
    from leery.lsp.session import Session

FIX_ALL = "source.fixAll.leery"
REASON_PLACEHOLDER = "<reason>"
# More quick fixes per finding from other modules: f(session, uri, range, finding, diagnostics)
# -> [CodeAction] (leery.lsp.review adds "Mark reviewed…").
FINDING_ACTIONS: list = []


def wanted(only: list[str] | None, kind: str) -> bool:
    if not only:
        return True
    return any(k in ("", kind) or kind.startswith(k + ".") for k in only)


def workspace_edit(session: "Session", edits: dict[str, list[types.TextEdit]]) -> types.WorkspaceEdit:
    if session.capability("workspace.workspace_edit.document_changes"):
        changes = []
        for uri, items in edits.items():
            doc = session.server.workspace.text_documents.get(uri)
            ident = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=doc.version if doc else None)
            changes.append(types.TextDocumentEdit(text_document=ident, edits=items))
        return types.WorkspaceEdit(document_changes=changes)
    return types.WorkspaceEdit(changes=edits)


def _string_lines(unit: "Unit") -> set[int]:
    """Lines whose end is inside a multi-line string: a comment cannot go there."""
    inside: set[int] = set()
    tree = unit.source.tree
    if tree is None:
        return inside
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and getattr(node, "end_lineno", node.lineno) > node.lineno:
            inside.update(range(node.lineno - 1, node.end_lineno - 1))
    return inside


def suppression_edit(unit: "Unit", span: Span, code: str, reason: str) -> Edit | None:
    """The edit that suppresses `code` on the finding's first (or else last) line."""
    blocked = _string_lines(unit)
    for line in dict.fromkeys((span.start_line, span.end_line)):
        text = unit.line_text(line)
        if line in blocked or text.rstrip().endswith("\\"):
            continue
        comment = unit.source.comments_by_line.get(line)
        match = _DIRECTIVE.search(comment.text) if comment else None
        if comment is not None and match is not None:
            codes = [c.strip() for c in match.group("codes").split(",") if c.strip()]
            if code in codes:
                return None
            col = comment.col + match.end("codes")
            return Edit(Span(line, col, line, col), (", " if codes else "") + code)
        end = len(text.rstrip())
        return Edit(Span(line, end, line, len(text)), f"  # leery: ignore[{code}] -- {reason}")
    return None


def code_actions(session: "Session", params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    result, findings = session.findings_at(uri)
    if result is None:
        return []
    unit = result.unit
    only = params.context.only
    offset = unit.first_line_of(uri)
    first, last = params.range.start.line + offset, params.range.end.line + offset
    diags = {(d.code, d.range.start.line, d.range.start.character): d for d in result.diagnostics.get(uri, [])}
    actions: list[types.CodeAction] = []
    explained: set[str] = set()
    preferred_support = bool(session.capability("text_document.code_action.is_preferred_support"))
    if wanted(only, types.CodeActionKind.QuickFix):
        for finding in findings:
            span = finding.span
            if span.end_line < first or span.start_line > last:
                continue
            target, rng = convert.range_of(unit, session.codec, span)
            diag = diags.get((finding.code, rng.start.line, rng.start.character))
            diag_list = [diag] if diag is not None else None
            fix = finding.fix
            if fix is not None and fix.edits and fix.applicability != Applicability.DISPLAY_ONLY:
                edits = [convert.text_edit(unit, session.codec, e)[1] for e in fix.edits]
                actions.append(
                    types.CodeAction(
                        title=f"leery ({finding.code}): {fix.title} ({fix.applicability.value})",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=diag_list,
                        is_preferred=(fix.applicability == Applicability.SAFE) if preferred_support else None,
                        edit=workspace_edit(session, {uri: edits}),
                    )
                )
            edit = suppression_edit(unit, span, finding.code, REASON_PLACEHOLDER)
            if edit is not None:
                actions.append(
                    types.CodeAction(
                        title=f"Suppress {finding.code} on this line…",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=diag_list,
                        edit=workspace_edit(session, {uri: [convert.text_edit(unit, session.codec, edit)[1]]}),
                    )
                )
            for extra in FINDING_ACTIONS:
                actions.extend(extra(session, target, rng, finding, diag_list))
            if finding.code not in explained:
                explained.add(finding.code)
                command = types.Command(title=f"Explain {finding.code}", command="leery.explain", arguments=[finding.code, True])
                actions.append(types.CodeAction(title=command.title, kind=types.CodeActionKind.QuickFix, command=command))
    if wanted(only, FIX_ALL):
        fix_all = fix_all_action(session, unit, uri, findings)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def fix_all_action(session: "Session", unit: "Unit", uri: str, findings) -> types.CodeAction | None:
    from leery.core.fixes import apply_fixes

    applied = apply_fixes(unit.source, findings, unsafe=False).applied
    if not applied:
        return None
    edits = [convert.text_edit(unit, session.codec, e)[1] for f in applied for e in f.fix.edits]  # type: ignore[union-attr]
    return types.CodeAction(
        title=f"leery: apply {len(applied)} safe fix{'es' if len(applied) != 1 else ''}",
        kind=FIX_ALL,
        edit=workspace_edit(session, {uri: edits}),
    )
