"""`# leery: ignore[LY101] -- reason` comments: parse, apply, and report the bad ones.

A suppression without a reason is LY002; one that suppresses nothing is LY003.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from leery.core.findings import Finding, Span
from leery.core.source import SourceFile

_DIRECTIVE = re.compile(r"#\s*leery:\s*ignore\s*\[(?P<codes>[^\]]*)\](?P<rest>.*)$", re.I)
# Reasons that are placeholders, not reasons: what the editor action inserts for a person to replace.
PLACEHOLDER_REASONS = {"", "reason", "<reason>", "todo", "tbd", "fixme", "...", "why?", "why"}


@dataclass
class Suppression:
    line: int
    span: Span  # the comment
    codes: list[str]
    reason: str
    used: set[str] = field(default_factory=set)

    @property
    def has_reason(self) -> bool:
        return self.reason.strip().lower() not in PLACEHOLDER_REASONS


def parse(source: SourceFile) -> list[Suppression]:
    found: list[Suppression] = []
    if "leery" not in source.text.lower():
        # Most files have no directive; reading their comments may mean tokenizing a text that
        # does not parse (~25 ms on a 5.6k-line file, once per keystroke while a line is half typed).
        return found
    for comment in source.comments:
        match = _DIRECTIVE.search(comment.text)
        if not match:
            continue
        codes = [c.strip() for c in match.group("codes").split(",") if c.strip()]
        # The reason ends where another comment starts (`  # ...`); "see #123" stays whole.
        reason = re.split(r"\s#\s", match.group("rest"), maxsplit=1)[0].strip()
        reason = re.sub(r"^(--|—|:|-)\s*", "", reason).strip()
        start = comment.col + match.start()
        span = Span(comment.line, start, comment.line, comment.col + len(comment.text))
        found.append(Suppression(comment.line, span, codes, reason))
    return found


def apply(findings: list[Finding], suppressions: list[Suppression], selector_matches) -> list[Finding]:
    """Drop findings a suppression covers: on the first or last line of the finding.

    `selector_matches(selector, code)` says whether `LY1` or `swallowed-exception` covers a code.
    """
    if not suppressions:
        return findings
    by_line: dict[int, list[Suppression]] = {}
    for sup in suppressions:
        by_line.setdefault(sup.line, []).append(sup)
    kept: list[Finding] = []
    for finding in findings:
        hit = False
        for line in {finding.span.start_line, finding.span.end_line}:
            for sup in by_line.get(line, ()):
                for sel in sup.codes:
                    if selector_matches(sel, finding.code):
                        sup.used.add(sel)
                        hit = True
        if not hit:
            kept.append(finding)
    return kept


_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)


def honour_noqa(findings: list[Finding], source: SourceFile, is_flake8_code) -> list[Finding]:
    """flake8's `# noqa` / `# noqa: F401` for the codes leery re-labels from pyflakes.

    Projects already carry these comments for flake8 and Ruff; asking for a second comment on
    the same line would only teach people to ignore leery. leery's own codes need
    `# leery: ignore[...]` with a reason.
    """
    if not any(is_flake8_code(f.code) for f in findings):
        return findings  # nothing to filter (a file that does not parse has no pyflakes findings)
    noqa: dict[int, set[str] | None] = {}
    for comment in source.comments:
        match = _NOQA.search(comment.text)
        if match:
            codes = match.group("codes")
            noqa[comment.line] = None if codes is None else {c.upper() for c in re.split(r"[,\s]+", codes) if c}
    if not noqa:
        return findings
    kept = []
    for f in findings:
        line = f.span.start_line
        if line in noqa and is_flake8_code(f.code) and (noqa[line] is None or f.code in noqa[line]):  # type: ignore[operator]
            continue
        kept.append(f)
    return kept
