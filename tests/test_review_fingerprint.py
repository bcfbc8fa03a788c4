"""Fingerprints: normalized syntax trees, not line numbers (leery.review.fingerprint)."""

from __future__ import annotations

from leery.core.findings import Confidence, Finding, Severity, Span
from leery.core.source import SourceFile
from leery.review.fingerprint import Fingerprinter, occurrences


def finding_at(line: int, col: int = 4, code: str = "X100") -> Finding:
    return Finding(code, "x", "<t>", Span(line, col, line, col + 1), "m", Severity.WARNING, Confidence.HIGH)


def fp(text: str, line: int, col: int = 4):
    return Fingerprinter(SourceFile(text)).of(finding_at(line, col))


FUNC = "def f(a):\n    x = 1\n    for i in a:\n        print(i)\n    return x\n"


def test_moving_and_reformatting_keep_both_prints():
    moved = "import os\n\n\n# comment\n" + FUNC.replace("x = 1", "x  =  1  # set")
    a, b = fp(FUNC, 1), fp(moved, 5)
    assert (a.review, a.baseline, a.scope) == (b.review, b.baseline, b.scope)


def test_review_print_covers_the_function_baseline_print_only_the_statement():
    edited = FUNC.replace("print(i)", "print(i, i)")
    before, after = fp(FUNC, 1), fp(edited, 1)
    assert before.review != after.review  # the reviewed function changed
    assert before.baseline == after.baseline  # the flagged statement did not
    assert before.scope == "f" and before.statement == "x = 1"


def test_compound_statement_header_only():
    # A finding on the `for` line: editing the loop body keeps the baseline print.
    edited = FUNC.replace("print(i)", "print(i + 1)")
    assert fp(FUNC, 2).baseline == fp(edited, 2).baseline
    assert fp(FUNC, 2).baseline != fp(FUNC.replace("for i in a", "for i in reversed(a)"), 2).baseline


def test_scope_names_class_and_method_and_decorators_count():
    text = "class Repo:\n    @staticmethod\n    def save(x):\n        y = 2\n        return x\n"
    inner = fp(text, 3, 8)
    assert inner.scope == "Repo.save" and inner.statement == "y = 2"
    on_decorator = fp(text, 1, 5)
    assert on_decorator.scope == "Repo.save"  # the decorator belongs to the def
    other_class = fp(text.replace("class Repo", "class Cache"), 3, 8)
    assert other_class.baseline != inner.baseline


def test_match_case_bodies_are_searched():
    text = "def f(v):\n    match v:\n        case 1:\n            z = 3\n    return v\n"
    inside = fp(text, 3, 12)
    assert inside.statement == "z = 3" and inside.scope == "f"


def test_unparsable_file_uses_the_line_text():
    text = "def f(:\n    pass\n"
    a = Fingerprinter(SourceFile(text)).of(finding_at(0, 0))
    b = Fingerprinter(SourceFile("\n\n" + text)).of(finding_at(2, 0))
    assert a == b and a.statement == "def f(:"


def test_occurrences_count_identical_findings_in_source_order():
    findings = [finding_at(5), finding_at(1), finding_at(3), finding_at(2, code="Y200")]
    assert occurrences(findings, ["k", "k", "other", "k"]) == [1, 0, 0, 0]
