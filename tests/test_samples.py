"""Samples are the specification: the exact multiset of (line, code) must match."""

from __future__ import annotations

import pytest

from sampling import actual, expected, fixed_text, relpath, sample_files


@pytest.mark.parametrize("path", sample_files(), ids=relpath)
def test_sample_findings_match_annotations(path):
    text = path.read_text(encoding="utf-8")
    want = expected(text)
    findings, got = actual(path, text)
    missing = want - got
    extra = got - want
    detail = "\n".join(f"  line {f.span.start_line + 1}: {f.code} {f.message}" for f in findings)
    assert not missing and not extra, f"missing {sorted(missing)}, extra {sorted(extra)}\nall findings:\n{detail}"


@pytest.mark.parametrize(
    "path", [p for p in sample_files() if p.with_name(p.stem + ".fixed.py").exists()], ids=relpath
)
def test_sample_fixes_match_golden(path):
    golden = path.with_name(path.stem + ".fixed.py").read_text(encoding="utf-8")
    assert fixed_text(path) == golden


def test_every_finding_range_lies_inside_its_text():
    for path in sample_files():
        text = path.read_text(encoding="utf-8")
        findings, _ = actual(path, text)
        from leery.core.source import SourceFile

        lines = SourceFile(text).lines
        for f in findings:
            s = f.span
            assert 0 <= s.start_line <= s.end_line < len(lines), (path, f)
            assert 0 <= s.start_col <= len(lines[s.start_line]), (path, f)
            assert 0 <= s.end_col <= len(lines[s.end_line]), (path, f)
