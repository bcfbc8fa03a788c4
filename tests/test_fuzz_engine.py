"""Fuzz the engine: whatever text an editor sends, analyze() returns and every range fits the text.

Inputs: real sources (a few installed packages and every sample) mutated at random, invalid
syntax anywhere, deep nesting, very long lines, NUL bytes, mixed line endings, lone surrogates
and BOMs. A rule that crashes (LY004 for anything but RecursionError) fails the test.
"""

from __future__ import annotations

import io
import os
import tokenize
from functools import lru_cache
from pathlib import Path

import pyflakes
import pygls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leery.core.config import Settings
from leery.core.engine import analyze
from leery.core.findings import Finding, Span
from leery.core.source import Comment, SourceFile

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(pyflakes.__file__).parent.parent

# Derandomized in CI so that a red run can be reproduced; random locally to keep finding new cases.
# FUZZ_EXAMPLES=2000 for a long local run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
settings.register_profile(
    "fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("fuzz")
ALL = Settings(root=ROOT, select=["ALL"])
PATHS = ("pkg/module.py", "tests/test_module.py", "conftest.py", "pkg/__init__.py")


@lru_cache(maxsize=None)
def corpus() -> tuple[str, ...]:
    files = [
        Path(pygls.__file__).parent / "workspace" / "text_document.py",
        SITE / "pyflakes" / "messages.py",
        SITE / "bandit" / "core" / "utils.py",
        SITE / "jedi" / "api" / "keywords.py",
        ROOT / "tests" / "sampling.py",
    ]
    files += sorted((ROOT / "samples").rglob("*.py"))
    texts = tuple(p.read_text(encoding="utf-8") for p in files if p.is_file())
    assert len(texts) >= 5
    return texts


# Pieces that break tokenizing, parsing or position arithmetic when dropped anywhere.
NASTY = [
    "(", ")", "[", "]", "{", "}", ":", ",", "\\", "\\\n", "'", '"', '"""', "'''", 'f"{', "}", "#",
    "\0", "\r", "\n", "\r\n", "\t", "\x0c", "\x0b", "\u2028", "\u00a0", "\ufeff", "\ud800", "\udfff",
    "\U0001f600", "日本語", "é", "def ", "class ", "lambda", "async ", "await ", "yield", "return",
    "try:", "except:", "finally:", "with ", "import ", "from . import *", "global x", "nonlocal y",
    "@", "*", "**", "->", ":=", "    ", "        ", "pass", "...", "# leery: ignore[", "# leery: ignore[ALL]",
    "# leery: ignore[LY101] because", "# type: ignore", "match x:\n case 1:", "if True:\n", "print(",
    "__all__ = ['nope']", "eval(x)", "except Exception:\n    pass\n",
]


def check_ranges(source: SourceFile, findings: list[Finding]) -> None:
    def inside(span: Span) -> None:
        lines = source.lines
        assert 0 <= span.start_line <= span.end_line < len(lines), (span, len(lines))
        assert 0 <= span.start_col <= len(lines[span.start_line]), (span, lines[span.start_line])
        assert 0 <= span.end_col <= len(lines[span.end_line]), (span, lines[span.end_line])
        assert (span.start_line, span.start_col) <= (span.end_line, span.end_col), span

    for finding in findings:
        assert isinstance(finding, Finding)
        inside(finding.span)
        for edit in finding.fix.edits if finding.fix else ():
            inside(edit.span)
        for related in finding.related:
            if related.path == source.path:
                inside(related.span)


def run(text: str, path: str = "pkg/module.py") -> list[Finding]:
    """Analyse as the server does (not strict: a failure becomes LY004), then judge the LY004s:
    only running out of stack on absurdly deep input is an accepted way to give up."""
    before = os.environ.get("LEERY_STRICT")
    os.environ["LEERY_STRICT"] = "0"
    try:
        source = SourceFile(text, path)
        findings = analyze(source, ALL)
    finally:
        os.environ["LEERY_STRICT"] = before if before is not None else ""
    check_ranges(source, findings)
    crashes = [f.message for f in findings if f.code == "LY004" and "RecursionError" not in f.message]
    assert not crashes, crashes
    return findings


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(corpus()))
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        i = draw(st.integers(0, n))
        op = draw(st.sampled_from(("insert", "delete", "duplicate", "replace", "swap-lines")))
        if op == "insert":
            text = text[:i] + draw(st.sampled_from(NASTY)) + text[i:]
        elif op == "delete":
            j = draw(st.integers(i, min(n, i + 80)))
            text = text[:i] + text[j:]
        elif op == "duplicate":
            j = draw(st.integers(i, min(n, i + 200)))
            text = text[:j] + text[i:j] + text[j:]
        elif op == "replace":
            j = draw(st.integers(i, min(n, i + 3)))
            text = text[:i] + draw(st.text(max_size=3)) + text[j:]
        else:
            lines = text.split("\n")
            a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return text


@FUZZ
@given(mutated(), st.sampled_from(PATHS))
def test_mutated_real_sources(text, path):
    run(text, path)


@FUZZ
@given(st.lists(st.sampled_from(NASTY) | st.text(max_size=8), max_size=40).map("".join), st.sampled_from(PATHS))
def test_random_token_soup(text, path):
    run(text, path)


@settings(FUZZ, max_examples=max(1, EXAMPLES * 5 // 8))
@given(
    st.integers(1, 3000),
    st.sampled_from(("(", "[", "{", "-", "not ", "lambda: ", "f(", "x[", "await ", "if x:\n", "def f():\n", "try:\n")),
)
def test_deep_nesting(depth, opener):
    closer = {"(": ")", "[": "]", "{": "}", "f(": ")", "x[": "]"}.get(opener, "")
    if opener.endswith(":\n"):  # statements nest by indentation
        depth = min(depth, 120)  # CPython's own limit for indentation levels is 100
        text = "".join(" " * i + opener for i in range(depth)) + " " * depth + "pass\n"
    else:
        text = "x = " + opener * depth + "1" + closer * depth + "\n"
    run(text)


@settings(FUZZ, max_examples=max(1, EXAMPLES * 3 // 8))
@given(st.integers(1000, 100_000), st.sampled_from(("a + ", "'é😀' ", "x, ", "# ", "\t")))
def test_very_long_lines(width, piece):
    body = piece * (width // len(piece))
    run(f"import os\nx = {body}1\ny = 2  # 日本\n")
    run(f"import os\n{body}\n")


@FUZZ
@given(mutated(), st.lists(st.sampled_from(("\n", "\r\n", "\r")), min_size=1, max_size=3))
def test_mixed_line_endings(text, endings):
    pieces = text.split("\n")
    out = []
    for i, piece in enumerate(pieces[:-1]):
        out.append(piece + endings[i % len(endings)])
    run("".join(out) + pieces[-1])


@FUZZ
@given(mutated(), st.sampled_from(("\0", "\ud800", "\udc00", "\ud83d", "\U0001f600", "\ufeff", "\x85")), st.data())
def test_nul_bytes_surrogates_and_boms(text, char, data):
    i = data.draw(st.integers(0, len(text)))
    run(text[:i] + char + text[i:])
    run("\ufeff" + text)
    run("\ufeff\ufeff" + text[:i])


def test_known_edge_cases():
    """Cases worth keeping as plain examples: each once broke (or could break) position arithmetic."""
    for text in [
        "",
        "\ufeff",
        "\n\n\n",
        "\r",
        "x = '\ud800'\n",
        "import os\0\n",
        "def f(:\n",
        "x = 1\r\ny = 2\rz = 3\n",
        "s = '😀😀😀'; import os\n",
        "if True:\n\tx = 1\n        y = 2\n",
        "x = (" * 200,
        "class A:\n" + "  " * 50 + "pass\n",
        "f'{'\n",
        "\\\n",
        "# leery: ignore[\n",
        "x = 1  # leery: ignore[LY101]\n",
        "match x:\n case 1:",  # the syntax error is reported one past the end of the line
        "import os\r# leery: ignore[\rx = 1  # leery: ignore[F401] no reason\r",  # comments after a lone \r
    ]:
        run(text)


def tokenize_comments(source: SourceFile) -> list[Comment]:
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source.text, newline=None).readline):
        if tok.type == tokenize.COMMENT:
            found.append(Comment(tok.start[0] - 1, tok.start[1], tok.string))
    return found


TRICKY_COMMENTS = [
    "x = '#not'  # yes\n",
    'x = "a\\\\"  # after an escaped backslash\n',
    "x = r'\\\\'  # raw, ends in a backslash\n",
    's = """\n# inside a docstring\n"""  # outside\n',
    "s = 'it''s'  # implicit concatenation\n",
    "s = '''it's'''  # triple quotes around a quote\n",
    "f = f'{x:#x}'  # format spec\n",
    "y = ('a'  # between\n     'b')\n",
    "z = 'line \\\n continued # still string'  # comment\n",
    "a = 1\r# lone CR\rb = 2  # x\r\n",
    "if x:  # é😀\n    pass  # 日本\n",
    "b = b'#' + rb'\\#'  # bytes\n",
]


@FUZZ
@given(mutated() | st.sampled_from(TRICKY_COMMENTS))
def test_comment_scanner_agrees_with_tokenize(text):
    """SourceFile.comments scans with one regular expression when the text parsed; tokenize is the oracle."""
    source = SourceFile(text)
    if source.tree is not None:
        assert source.comments == tokenize_comments(source)


def test_tricky_comments_parse_and_are_found():
    for text in TRICKY_COMMENTS:
        source = SourceFile(text)
        assert source.tree is not None, text
        assert source.comments and source.comments == tokenize_comments(source), text
