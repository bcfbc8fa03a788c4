"""LY5xx beyond the samples: stubs, helpers in other workspace files, comment phrasings."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from leery.core.config import Settings
from leery.core.engine import analyze
from leery.core.source import SourceFile
from leery.rules.hollow.elision import is_elision


def run(root: Path, rel: str, text: str, select=("LY5",)):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    settings = Settings(root=root, select=list(select), strict=True)
    return analyze(SourceFile(path.read_text(encoding="utf-8"), str(path)), settings)


def codes(findings):
    return [(f.span.start_line + 1, f.code) for f in findings]


def test_stub_files_have_no_placeholders(tmp_path):
    assert run(tmp_path, "api.pyi", "def fetch(url: str) -> bytes: ...\n") == []
    assert codes(run(tmp_path, "api.py", "def fetch(url: str) -> bytes: ...\n")) == [(1, "LY501")]


def test_hollow_rules_are_fast_tier(tmp_path):
    path = tmp_path / "tests" / "test_a.py"
    path.parent.mkdir()
    path.write_text("def test_a():\n    run()\n", encoding="utf-8")
    findings = analyze(SourceFile(path.read_text(), str(path)), Settings(root=tmp_path, select=["LY5"]), tiers=("fast",))
    assert codes(findings) == [(1, "LY503")]


def test_test_rules_only_apply_in_test_files(tmp_path):
    source = "def test_a():\n    run()\n"
    assert run(tmp_path, "app/logic.py", source, select=["LY503"]) == []
    assert codes(run(tmp_path, "app/test_logic.py", source, select=["LY503"])) == [(1, "LY503")]


def test_helpers_in_other_workspace_files_are_followed(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "helpers.py").write_text(
        "def compare_totals(a, b):\n    _check(a == b)\n\ndef _check(ok):\n    if not ok:\n        raise AssertionError\n\ndef build_cart():\n    return {}\n",
        encoding="utf-8",
    )
    findings = run(
        tmp_path,
        "tests/test_cart.py",
        """
        from helpers import build_cart, compare_totals


        def test_followed():
            compare_totals(build_cart(), {})


        def test_only_builds():
            build_cart()
        """,
        select=["LY503"],
    )
    assert codes(findings) == [(9, "LY503")]


def test_unresolvable_helpers_named_as_checks_count(tmp_path):
    findings = run(
        tmp_path,
        "tests/test_api.py",
        """
        from somewhere_else import check_response, fetch


        def test_checked():
            check_response(fetch("/"))


        def test_unchecked():
            fetch("/")
        """,
        select=["LY503"],
    )
    assert codes(findings) == [(9, "LY503")]


def test_top_skip_without_reason_is_reported_once(tmp_path):
    findings = run(tmp_path, "tests/test_s.py", "import pytest\n\ndef test_a():\n    pytest.skip()\n    assert 1 == 2\n")
    assert codes(findings) == [(4, "LY506")]
    assert "gives no reason" in findings[0].message


def test_ly501_message_and_span(tmp_path):
    findings = run(tmp_path, "shop.py", 'def charge(card, amount):\n    """Charge it."""\n    pass\n', select=["LY501"])
    assert [f.message for f in findings] == ["`charge` has only `pass`: the implementation is missing"]
    assert findings[0].span.start_line == 0 and findings[0].span.end_line == 0


@pytest.mark.parametrize(
    "comment",
    [
        "# ... existing code ...",
        "# ...existing code...",
        "# ... rest of the file unchanged ...",
        "# rest of the implementation",
        "# Rest of the code remains the same",
        "# your code here",
        "# Add your logic here",
        "# implementation goes here",
        "# TODO: implement",
        "# TODO: implement this",
        "# TODO implement me",
        "# code omitted for brevity",
        "# other methods unchanged",
        "# ...",
        "# …",
    ],
)
def test_elision_phrasings(comment):
    assert is_elision(comment)


@pytest.mark.parametrize(
    "comment",
    [
        "# TODO: implement caching once the API is stable",
        "# Keep the existing order: callers rely on it.",
        "# the rest of the list is sorted",
        "# ... and then we retry",
        "# implements RFC 7231 section 6",
        "# noqa: E501",
        "# type: ignore",
        "# expect: LY502",
    ],
)
def test_ordinary_comments_are_not_elisions(comment):
    assert not is_elision(comment)


def test_a_module_level_function_is_always_seen_before_parsing(tmp_path):
    import ast
    from pathlib import Path

    from leery.rules.hollow.helpers import _may_define

    odd = tmp_path / "odd.py"
    odd.write_text("class Helper:\n    pass\nasync  def check_a(x):\n    assert x\ndef \\\n  check_b(): pass\n@deco\ndef\tcheck_c(): pass\n")
    assert _may_define(str(odd), "check_a") and _may_define(str(odd), "check_b") and _may_define(str(odd), "check_c")
    assert not _may_define(str(odd), "Helper") and not _may_define(str(odd), "check")
    for path in sorted((Path(__file__).resolve().parent.parent / "server" / "leery").rglob("*.py")):
        for node in ast.parse(path.read_bytes()).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert _may_define(str(path), node.name), (path, node.name)
