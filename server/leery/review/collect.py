"""Findings with their fingerprints, for commands that write the record or the baseline."""

from __future__ import annotations

from pathlib import Path

from leery.commands.checking import CheckRequest, check_files
from leery.core.files import UnreadableFile, read_text
from leery.core.findings import Finding
from leery.core.source import SourceFile
from leery.review.actions import Keyed, keyed


def keyed_findings(paths: list[Path], config: Path | None = None, apply_reviews: bool = False, jobs: int = 1, overrides: dict | None = None) -> tuple[dict[str, list[Keyed]], int]:
    """{resolved path: keyed findings} for every file checked (files without findings too)."""
    request = CheckRequest(paths=paths, overrides=overrides or {}, config=config, jobs=jobs, apply_reviews=apply_reviews)
    outcome = check_files(request)
    by_path: dict[str, list[Finding]] = {str(Path(p).resolve()): [] for p in outcome.paths}
    for finding in outcome.findings:
        by_path.setdefault(str(Path(finding.path).resolve()), []).append(finding)
    out: dict[str, list[Keyed]] = {}
    for path, findings in by_path.items():
        if not findings:
            out[path] = []
            continue
        try:
            text = read_text(Path(path))
        except UnreadableFile:
            continue
        out[path] = keyed(SourceFile(text, path), findings)
    return out, outcome.files_checked
