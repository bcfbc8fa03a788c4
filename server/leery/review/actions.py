"""What `leery review` and the editor's "Mark reviewed" do with the record: shared by both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from leery.core.findings import Finding
from leery.core.suppressions import PLACEHOLDER_REASONS
from leery.core.source import SourceFile
from leery.review.fingerprint import Fingerprint, Fingerprinter, occurrences
from leery.review.record import RecordError, Review, load_reviews, save_reviews


@dataclass(frozen=True)
class Keyed:
    finding: Finding
    fingerprint: Fingerprint
    occurrence: int


def keyed(source: SourceFile, findings: list[Finding]) -> list[Keyed]:
    """Every finding of one file with its review fingerprint and occurrence index."""
    fingerprinter = Fingerprinter(source)
    fps = [fingerprinter.of(f) for f in findings]
    occ = occurrences(findings, [fp.review for fp in fps])
    return [Keyed(f, fp, n) for f, fp, n in zip(findings, fps, occ)]


def at_line(items: list[Keyed], line: int, code: str, col: int | None = None) -> list[Keyed]:
    """Findings of `code` that start on a 0-based line (and column, when given)."""
    return [k for k in items if k.finding.code == code and k.finding.span.start_line == line and (col is None or k.finding.span.start_col == col)]


def parse_expiry(text: str | None, today: dt.date) -> str | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise RecordError(f"--expires {text!r}: expected a date like {today.replace(year=today.year + 1).isoformat()}") from None
    if day <= today:
        raise RecordError(f"--expires {text}: that day has come already; give a later date")
    return day.isoformat()


def make_entry(item: Keyed, rel: str, reviewer: str, reason: str, expires: str | None, today: dt.date, placeholder_ok: bool = False) -> Review:
    """An entry for one finding. `placeholder_ok`: the editor writes `<reason>` for the person to fill in."""
    reason = " ".join(reason.split())
    if not reason or (reason.lower() in PLACEHOLDER_REASONS and not placeholder_ok):
        raise RecordError("a review needs a reason: say why this finding is acceptable")
    return Review(
        file=rel,
        code=item.finding.code,
        fingerprint=item.fingerprint.review,
        occurrence=item.occurrence,
        scope=item.fingerprint.scope,
        statement=item.fingerprint.statement,
        reviewer=reviewer,
        date=today.isoformat(),
        reason=reason,
        expires=expires,
    )


def add_entries(root: Path, entries: list[Review]) -> Path:
    """Add (or replace, same finding) entries in the project's record."""
    by_key = {r.key: r for r in load_reviews(root)}
    for entry in entries:
        by_key[entry.key] = entry
    return save_reviews(root, list(by_key.values()))


def status_of(review: Review, items_by_file: dict[str, list[Keyed]] | None, today: dt.date) -> str:
    """"ok", "expired", "no reason", "moved to FILE", "file missing" or "no longer matches"."""
    if items_by_file is None or review.file not in items_by_file:
        for file, items in sorted((items_by_file or {}).items()):
            if any((k.finding.code, k.fingerprint.review, k.occurrence) == (review.code, review.fingerprint, review.occurrence) for k in items):
                return f"moved to {file}"
        return "file missing"
    keys = {(k.finding.code, k.fingerprint.review, k.occurrence) for k in items_by_file[review.file]}
    if (review.code, review.fingerprint, review.occurrence) not in keys:
        return "no longer matches"
    if not review.has_reason:
        return "no reason"
    return "expired" if review.expired(today) else "ok"
