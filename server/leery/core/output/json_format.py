"""The JSON contract for tools: an array of findings, 1-based lines and columns (code points)."""

from __future__ import annotations

import json


def finding_to_json(f, ctx) -> dict:
    return {
        "code": f.code,
        "name": f.name,
        "path": ctx.display_path(f.path),
        "line": f.span.start_line + 1,
        "column": f.span.start_col + 1,
        "end_line": f.span.end_line + 1,
        "end_column": f.span.end_col + 1,
        "message": f.message,
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "fix": None
        if f.fix is None
        else {
            "title": f.fix.title,
            "applicability": f.fix.applicability.value,
            "edits": [
                {
                    "line": e.span.start_line + 1,
                    "column": e.span.start_col + 1,
                    "end_line": e.span.end_line + 1,
                    "end_column": e.span.end_col + 1,
                    "content": e.new_text,
                }
                for e in f.fix.edits
            ],
        },
        "related": [
            {
                "path": ctx.display_path(r.path),
                "line": r.span.start_line + 1,
                "column": r.span.start_col + 1,
                "message": r.message,
            }
            for r in f.related
        ],
    }


def render(findings, ctx) -> str:
    """A JSON array, one finding per line (json's indented layout takes its pure-Python encoder:
    0.2 s for 6,000 findings; this is one C-encoded line each, and diffs line by line)."""
    if not findings:
        return "[]\n"
    lines = (json.dumps(finding_to_json(f, ctx), ensure_ascii=False) for f in findings)
    return "[\n  " + ",\n  ".join(lines) + "\n]\n"
