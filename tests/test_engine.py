"""The engine: dispatch, a crashing rule, tiers, suppressions, positions."""

from __future__ import annotations

import ast

import pytest

from leery.core.config import Settings
from leery.core.engine import analyze
from leery.core.findings import Span
from leery.core.registry import REGISTRY, rule
from leery.core.source import SourceFile


@pytest.fixture
def crashing_rule():
    @rule("LY098", "crashes-on-calls", summary="test-only rule that raises", nodes=(ast.Call,), status="preview")
    def crashes(node, ctx):
        """test only"""
        raise ValueError("boom")

    yield "LY098"
    del REGISTRY.rules["LY098"]


def test_a_rule_that_raises_is_reported_as_ly004_and_others_still_run(crashing_rule, monkeypatch):
    monkeypatch.delenv("LEERY_STRICT")
    settings = Settings(select=["LY098", "F", "LY004"])
    findings = analyze(SourceFile("import os\nprint(1)\nprint(2)\n", "m.py"), settings)
    codes = [f.code for f in findings]
    assert codes.count("LY004") == 1  # once per rule per file, not per node
    assert "F401" in codes
    ly004 = next(f for f in findings if f.code == "LY004")
    assert "LY098" in ly004.message and "ValueError: boom" in ly004.message
    assert ly004.span.start_line == 1


def test_strict_mode_re_raises(crashing_rule):
    with pytest.raises(ValueError):
        analyze(SourceFile("print(1)\n", "m.py"), Settings(select=["LY098"], strict=True))


def test_syntax_error_skips_tree_rules_and_says_so():
    findings = analyze(SourceFile("import os\ndef f(:\n", "m.py"), Settings())
    assert [f.code for f in findings] == ["LY001"]
    assert findings[0].span.start_line == 1
    assert "skipped" in findings[0].message


def test_columns_are_code_points_after_emoji_and_cjk():
    text = 'x = "😀😀 日本語"; import os\n'
    findings = analyze(SourceFile(text, "m.py"), Settings(select=["F401"]))
    assert findings[0].span == Span(0, text.index("os"), 0, text.index("os") + 2)


def test_bom_and_crlf_and_form_feed():
    text = "\ufeffimport os\r\n\x0c\r\nx = 1\r\n"
    source = SourceFile(text, "m.py")
    assert source.lines[0] == "import os"
    assert len(source.lines) == 4  # \x0c is not a line break for Python
    findings = analyze(source, Settings(select=["F401"]))
    assert findings[0].span.start_line == 0


def test_deep_nesting_does_not_crash():
    text = "x = " + "(" * 300 + "1" + ")" * 300 + "\n"
    findings = analyze(SourceFile(text, "m.py"), Settings())
    assert all(f.code in {"LY001", "LY004"} for f in findings)


def test_nul_bytes_are_a_syntax_error_at_the_right_place():
    findings = analyze(SourceFile("x = 1\ny = '\0'\n", "m.py"), Settings())
    assert [f.code for f in findings] == ["LY001"]
    assert findings[0].span.start_line == 1


def test_suppression_with_reason_hides_and_needs_no_ly002():
    text = "import os  # leery: ignore[F401] -- re-exported for plugins\n"
    assert analyze(SourceFile(text, "m.py"), Settings()) == []


def test_suppression_by_prefix_and_name():
    for sel in ("F4", "unused-import", "F"):
        text = f"import os  # leery: ignore[{sel}] -- re-exported\n"
        assert analyze(SourceFile(text, "m.py"), Settings()) == [], sel


def test_suppression_on_last_line_of_multiline_finding():
    text = "x = undefined(\n    1,\n)  # leery: ignore[F821] -- defined by the plugin loader\n"
    codes = [f.code for f in analyze(SourceFile(text, "m.py"), Settings())]
    assert "F821" in codes  # F821 spans only the name on line 1: the comment on line 3 does not cover it
    text2 = "x = undefined(  # leery: ignore[F821] -- defined by the plugin loader\n    1,\n)\n"
    assert analyze(SourceFile(text2, "m.py"), Settings()) == []


def test_unused_suppression_not_reported_when_only_fast_tier_ran():
    @rule("LY097", "slow-test-rule", summary="test-only slow rule", nodes=(ast.Call,), tier="slow")
    def slow(node, ctx):
        """test only"""
        ctx.report(node, "slow finding")

    try:
        text = "print(1)  # leery: ignore[LY097] -- known\n"
        fast = analyze(SourceFile(text, "m.py"), Settings(select=["LY097", "LY003"]), tiers=("fast",))
        assert fast == []
        both = analyze(SourceFile(text, "m.py"), Settings(select=["LY097", "LY003"]))
        assert both == []  # the slow finding is suppressed, the suppression is used
    finally:
        del REGISTRY.rules["LY097"]


def test_flake8_noqa_silences_pyflakes_codes_only():
    text = "import os  # noqa: F401\nimport sys  # noqa\nimport re  # noqa: E501\n"
    codes = [(f.span.start_line, f.code) for f in analyze(SourceFile(text, "m.py"), Settings(select=["F401"]))]
    assert codes == [(2, "F401")]
    swallowed = "try:\n    pass\nexcept Exception:  # noqa: LY101\n    pass\n"
    assert [f.code for f in analyze(SourceFile(swallowed, "m.py"), Settings(select=["LY101"]))] == ["LY101"]


def test_a_file_that_does_not_parse_is_not_tokenized_for_comments_it_does_not_need():
    # Half-typed lines do not parse; tokenizing a 5.6k-line file for its comments took ~25 ms a
    # keystroke. Without a directive or a pyflakes finding there is nothing to read them for.
    source = SourceFile("import os  # noqa\n\ndef f(:\n    pass  # a comment\n", "m.py")
    assert [f.code for f in analyze(source, Settings())] == ["LY001"]
    assert "comments" not in source.__dict__


def test_directives_on_a_file_that_does_not_parse_and_in_any_case_are_read():
    broken = "x = (  # leery: ignore[LY001] -- a template the build fills in\n"
    assert analyze(SourceFile(broken, "m.py"), Settings()) == []
    shouting = "import os  # LEERY: IGNORE[F401] -- re-exported\n"
    assert analyze(SourceFile(shouting, "m.py"), Settings()) == []
