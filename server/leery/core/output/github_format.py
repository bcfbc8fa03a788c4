"""GitHub Actions workflow commands: annotations on the pull request's diff."""

from __future__ import annotations

_LEVEL = {"error": "error", "warning": "warning", "info": "notice", "hint": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings, ctx) -> str:
    lines = []
    for f in findings:
        props = ",".join(
            [
                f"file={_escape_prop(ctx.display_path(f.path))}",
                f"line={f.span.start_line + 1}",
                f"col={f.span.start_col + 1}",
                f"endLine={f.span.end_line + 1}",
                f"endColumn={f.span.end_col + 1}",
                f"title={_escape_prop(f'{f.code} {f.name}')}",
            ]
        )
        lines.append(f"::{_LEVEL[f.severity.value]} {props}::{_escape_data(f'{f.code} {f.message}')}")
    return "\n".join(lines) + ("\n" if lines else "")
