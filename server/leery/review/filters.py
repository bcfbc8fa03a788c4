"""The post-filter that applies the review record and the baseline to one file's findings.

Installed into `leery.core.engine.POST_FILTERS` by the CLI (`leery check`) and the language
server, so both drop (or dim) the same findings. It runs after suppressions and only
fingerprints a file's findings when the record or the baseline mentions that file.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import difflib
import logging
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from leery.core.config import Settings
from leery.core.findings import Finding, Severity
from leery.core.source import SourceFile
from leery.review.baseline import load_baseline
from leery.review.fingerprint import Fingerprinter, occurrences
from leery.review.record import RecordError, Review, load_reviews, project_root, relative

log = logging.getLogger("leery")

_BYPASS: contextvars.ContextVar[bool] = contextvars.ContextVar("leery_review_bypass", default=False)


def install() -> None:
    """Add the filters to the engine once (the CLI and the server call this)."""
    from leery.core import engine
    from leery.review.scope import changed_lines_filter

    for post_filter in (review_and_baseline, changed_lines_filter):
        if post_filter not in engine.POST_FILTERS:
            engine.POST_FILTERS.append(post_filter)


def uninstall() -> None:
    from leery.core import engine
    from leery.review.scope import changed_lines_filter

    for post_filter in (review_and_baseline, changed_lines_filter):
        while post_filter in engine.POST_FILTERS:
            engine.POST_FILTERS.remove(post_filter)


def baseline_enabled(settings: Settings) -> bool:
    return settings.section("baseline").get("enabled", True)


def bypassed() -> bool:
    return _BYPASS.get()


def unfiltered(function, *args, **kwargs):
    """Call `function` (e.g. `analyze`) with these filters off, in this thread only: the findings a
    review is recorded against are the ones before the record (and the scope) apply."""
    token = _BYPASS.set(True)
    try:
        return function(*args, **kwargs)
    finally:
        _BYPASS.reset(token)


def review_and_baseline(findings: list[Finding], source: SourceFile, settings: Settings, workspace: Any) -> list[Finding]:
    if not findings or source.path.startswith("<") or _BYPASS.get():
        return findings
    root = project_root(source.path, settings)
    rel = relative(source.path, root)
    if rel is None:
        return findings
    try:
        reviews = _reviews_by_file(root).get(rel, [])
        baseline = _baseline_here(root, rel) if baseline_enabled(settings) else None
    except RecordError as exc:  # the CLI reports this before it starts; the server keeps going
        log.warning("leery: %s; showing every finding", exc)
        return findings
    moved = _moved_here(root, rel, {f.code for f in findings})
    if not reviews and not baseline and not moved:
        return findings
    show = settings.section("review").get("show", "hidden")
    return apply(findings, source, rel, moved + reviews, baseline or Counter(), show, dt.date.today())


def _baseline_here(root: Path, rel: str) -> Counter[tuple[str, str]]:
    """This file's baseline counts, plus those of files that no longer exist (a renamed file)."""
    by_file = _baseline_by_file(root)
    counts: Counter[tuple[str, str]] = Counter(by_file.get(rel, {}))
    for file in _missing(root, by_file):
        counts.update(by_file[file])
    return counts


def _moved_here(root: Path, rel: str, codes: set[str]) -> list[Review]:
    """Entries of files that no longer exist (renamed, or their code moved): they may match here."""
    by_file = _reviews_by_file(root)
    return [r for file in _missing(root, by_file) for r in by_file[file] if r.code in codes]


_MISSING: dict[tuple[str, int], tuple[float, list[str]]] = {}


def _missing(root: Path, by_file: dict) -> list[str]:
    """Files named in a record that do not exist; stat'ed again at most every 2 s (per keystroke
    the server would otherwise stat every file a large baseline names)."""
    key = (str(root), id(by_file))
    hit = _MISSING.get(key)
    now = time.monotonic()
    if hit is None or now - hit[0] > 2.0:
        if len(_MISSING) > 64:
            _MISSING.clear()
        hit = _MISSING[key] = (now, [file for file in by_file if not (root / file).exists()])
    return hit[1]


def apply(
    findings: list[Finding],
    source: SourceFile,
    rel: str,
    reviews: list[Review],
    baseline: Counter[tuple[str, str]],
    show: str,
    today: dt.date,
) -> list[Finding]:
    codes = {r.code for r in reviews} | {code for code, _ in baseline}
    fingerprinter = Fingerprinter(source)
    fps = {i: fingerprinter.of(f) for i, f in enumerate(findings) if f.code in codes}
    occ = occurrences(findings, [fps[i].review if i in fps else "" for i in range(len(findings))])
    # This file's entries first; an entry of a file that is gone matches the same code anywhere.
    by_key = {(r.code, r.fingerprint, r.occurrence): r for r in sorted(reviews, key=lambda r: r.file == rel)}
    matched: set[tuple] = set()
    out: list[Finding] = []
    unreviewed: list[int] = []
    for i, finding in enumerate(findings):
        fp = fps.get(i)
        review = by_key.get((finding.code, fp.review, occ[i])) if fp else None
        if review is None:
            unreviewed.append(i)
            continue
        matched.add(review.key)
        if not review.has_reason:  # marked in the editor, reason not written yet: not a review
            out.append(_annotate(finding, review, "no reason", f"marked reviewed by {review.reviewer}, but the reason is missing: write why in .leery/reviews.toml"))
        elif review.expired(today):
            out.append(_annotate(finding, review, "expired", f"its review by {review.reviewer} on {review.date} expired on {review.expires}: {review.reason}"))
        elif show == "hint":
            hinted = _annotate(finding, review, "reviewed", f"reviewed by {review.reviewer} on {review.date}: {review.reason}")
            hinted.severity = Severity.HINT
            out.append(hinted)
    lapsed = _lapsed([r for r in reviews if r.key not in matched and r.file == rel], [(i, findings[i], fps[i]) for i in unreviewed if i in fps])
    budget = Counter(baseline)
    for i in unreviewed:
        finding, fp = findings[i], fps.get(i)
        review = lapsed.get(i)
        if review is not None:
            where = f"`{fp.scope}`" if fp.scope else "this module"  # type: ignore[union-attr]
            out.append(_annotate(finding, review, "lapsed", f"reviewed by {review.reviewer} on {review.date}, but {where} changed since: the review no longer matches"))
            continue
        key = (finding.code, fp.baseline) if fp else None
        if key is not None and budget[key] > 0:
            budget[key] -= 1
            continue
        if key is not None and key in baseline:
            finding = replace(finding, message=f"{finding.message} (new: the baseline has {baseline[key]} like this here, this one is more)")
        out.append(finding)
    return out


def _lapsed(stale: list[Review], candidates: list) -> dict[int, Review]:
    """Each stale entry re-opens at most one finding: same code and scope, the most similar statement."""
    out: dict[int, Review] = {}
    for review in stale:
        pool = [(i, fp) for i, f, fp in candidates if f.code == review.code and fp.scope == review.scope and i not in out]
        if pool:
            best = max(pool, key=lambda item: difflib.SequenceMatcher(None, review.statement, item[1].statement).ratio())
            out[best[0]] = review
    return out


def _annotate(finding: Finding, review: Review, status: str, note: str) -> Finding:
    info = {"status": status, "reviewer": review.reviewer, "date": review.date, "reason": review.reason, "expires": review.expires}
    return replace(finding, message=f"{finding.message} ({note})", extra={**finding.extra, "review": info})


def is_reviewed(finding: Finding) -> bool:
    """Shown only as a reviewed hint: never a reason to fail a build."""
    return finding.extra.get("review", {}).get("status") == "reviewed"


# -- per-file indexes over the loaded files (rebuilt when a file changes) -------------------------
_INDEX: dict[tuple[str, str], tuple[object, dict]] = {}


def _indexed(kind: str, root: Path, loaded, build) -> dict:
    hit = _INDEX.get((kind, str(root)))
    if hit is not None and hit[0] is loaded:
        return hit[1]
    index = build(loaded) if loaded else {}
    _INDEX[(kind, str(root))] = (loaded, index)
    return index


def _reviews_by_file(root: Path) -> dict[str, list[Review]]:
    def build(reviews: list[Review]) -> dict[str, list[Review]]:
        out: dict[str, list[Review]] = {}
        for r in reviews:
            out.setdefault(r.file, []).append(r)
        return out

    return _indexed("reviews", root, load_reviews(root), build)


def _baseline_by_file(root: Path) -> dict[str, Counter[tuple[str, str]]]:
    def build(counts) -> dict[str, Counter[tuple[str, str]]]:
        out: dict[str, Counter[tuple[str, str]]] = {}
        for (file, code, fp), n in counts.items():
            out.setdefault(file, Counter())[(code, fp)] += n
        return out

    return _indexed("baseline", root, load_baseline(root), build)


def preload(roots: set[Path], baseline: bool = True) -> None:
    """Read every root's record (and baseline) now: errors surface before work starts (CLI)."""
    for root in roots:
        _reviews_by_file(root)
        if baseline:
            _baseline_by_file(root)
