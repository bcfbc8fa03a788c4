"""Finding -> Diagnostic, Edit -> TextEdit, and positions between code points (the core's
columns) and the negotiated encoding (UTF-16 unless the client offered UTF-8 or UTF-32)."""

from __future__ import annotations

import json
from typing import Any, Callable

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from leery.core.findings import Edit, Finding, Severity, Span

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}
TAGS = {"unnecessary": types.DiagnosticTag.Unnecessary, "deprecated": types.DiagnosticTag.Deprecated}


class Codec:
    """Columns in code points <-> columns in the client's code units."""

    def __init__(self, encoding: str | None) -> None:
        self.encoding = str(getattr(encoding, "value", encoding) or "utf-16")

    def units(self, text: str) -> int:
        if text.isascii() or self.encoding == "utf-32":
            return len(text)
        if self.encoding == "utf-8":
            return len(text.encode("utf-8"))
        return len(text.encode("utf-16-le")) // 2

    def to_client(self, line_text: str, line: int, col: int) -> types.Position:
        return types.Position(line=line, character=self.units(line_text[:col]))

    def from_client(self, line_text: str, character: int) -> int:
        """Code-point column of a client column (a column inside a character rounds up)."""
        if line_text.isascii() or self.encoding == "utf-32":
            return min(character, len(line_text))
        count = 0
        for index, char in enumerate(line_text):
            if count >= character:
                return index
            count += self.units(char)
        return len(line_text)


def uri_of(path: str) -> str:
    return from_fs_path(path) or path


def path_of(uri: str) -> str:
    return to_fs_path(uri) or uri


def position(unit, codec: Codec, line: int, col: int) -> tuple[str, types.Position]:
    """(target uri, client position) of a module position."""
    uri, local = unit.locate(line)
    return uri, codec.to_client(unit.line_text(line), local, col)


def range_of(unit, codec: Codec, span: Span) -> tuple[str, types.Range]:
    uri, start = position(unit, codec, span.start_line, span.start_col)
    end_uri, end = position(unit, codec, span.end_line, span.end_col)
    if end_uri != uri:  # a span that crosses notebook cells: end it with its first cell
        end = types.Position(line=start.line, character=codec.units(unit.line_text(span.start_line)))
    return uri, types.Range(start=start, end=end)


def text_edit(unit, codec: Codec, edit: Edit) -> tuple[str, types.TextEdit]:
    uri, rng = range_of(unit, codec, edit.span)
    return uri, types.TextEdit(range=rng, new_text=edit.new_text)


def edit_dict(edit: types.TextEdit) -> dict[str, Any]:
    r = edit.range
    return {
        "range": {
            "start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character},
        },
        "newText": edit.new_text,
    }


def edit_from_dict(data: dict[str, Any]) -> types.TextEdit:
    r = data["range"]
    return types.TextEdit(
        range=types.Range(
            start=types.Position(line=r["start"]["line"], character=r["start"]["character"]),
            end=types.Position(line=r["end"]["line"], character=r["end"]["character"]),
        ),
        new_text=data["newText"],
    )


def _plain(value: Any) -> Any:
    """Rule-specific extras, made JSON-safe for Diagnostic.data."""
    try:
        return json.loads(json.dumps(value, default=str))
    except (TypeError, ValueError):
        return None


def diagnostic(
    finding: Finding,
    unit,
    codec: Codec,
    rule_url: str | None,
    related_lines: Callable[[str], list[str] | None],
) -> tuple[str, types.Diagnostic]:
    """The diagnostic for one finding and the document (or notebook cell) it belongs on."""
    uri, rng = range_of(unit, codec, finding.span)
    data: dict[str, Any] = {
        "code": finding.code,
        "name": finding.name,
        "confidence": finding.confidence.value,
        "version": unit.version,
        "fingerprint": finding.extra.get("fingerprint") or _fingerprint(finding, unit),
        "line": finding.span.start_line - unit.first_line_of(uri),
    }
    if finding.fix is not None:
        data["fix"] = {
            "title": finding.fix.title,
            "applicability": finding.fix.applicability.value,
            "edits": [edit_dict(text_edit(unit, codec, e)[1]) for e in finding.fix.edits],
        }
    if finding.extra:
        data["extra"] = _plain(finding.extra)
    related = []
    for rel in finding.related:
        rel_uri, rel_range = _related_range(rel, unit, codec, related_lines)
        related.append(
            types.DiagnosticRelatedInformation(location=types.Location(uri=rel_uri, range=rel_range), message=rel.message)
        )
    tags = [TAGS[t] for t in finding.tags if t in TAGS]
    return uri, types.Diagnostic(
        range=rng,
        message=finding.message,
        severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url) if rule_url else None,
        source="leery",
        tags=tags or None,
        related_information=related or None,
        data=data,
    )


def _fingerprint(finding: Finding, unit) -> str:
    """Stable across edits elsewhere in the file: the rule and the flagged line's text."""
    import hashlib

    text = unit.line_text(finding.span.start_line).strip()
    return f"{finding.code}:{hashlib.sha1(text.encode('utf-8'), usedforsecurity=False).hexdigest()[:16]}"


def _related_range(rel, unit, codec: Codec, related_lines) -> tuple[str, types.Range]:
    if rel.path == unit.path:
        return range_of(unit, codec, rel.span)
    lines = related_lines(rel.path) or []

    def pos(line: int, col: int) -> types.Position:
        text = lines[line] if 0 <= line < len(lines) else ""
        return codec.to_client(text, line, col)

    span = rel.span
    return uri_of(rel.path), types.Range(start=pos(span.start_line, span.start_col), end=pos(span.end_line, span.end_col))
