"""SourceFile: the text of one Python file, parsed once, with position helpers.

`ast` reports columns as UTF-8 byte offsets; everything leery stores is code points.
"""

from __future__ import annotations

import ast
import bisect
import io
import itertools
import re
import sys
import tokenize
import warnings
from dataclasses import dataclass
from functools import cached_property

from leery.core.findings import Span

# Python's own line breaks. str.splitlines() also breaks on \x0c, \x1c, \u2028 ..., ast does not.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# String literals (skipped) and comments, leftmost first. A string prefix does not change where
# the literal ends. 3.12 lets f-strings nest quotes (PEP 701), which this cannot follow; its
# tokenize is in C there anyway.
_STRING_OR_COMMENT = re.compile(
    r"'''(?:\\.|[^\\])*?'''"
    r'|"""(?:\\.|[^\\])*?"""'
    r"|'(?:\\.|[^\\'\r\n])*'"
    r'|"(?:\\.|[^\\"\r\n])*"'
    r"|#[^\r\n]*",
    re.S,
)
_FAST_COMMENTS = sys.version_info < (3, 12)


def split_lines(text: str) -> list[str]:
    """The lines of a text as SourceFile counts them: a BOM is not part of line 1."""
    return _split(text[1:] if text.startswith("\ufeff") else text)


def _split(text: str) -> list[str]:
    return text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)  # str.split is 5x faster


@dataclass(frozen=True)
class Comment:
    line: int  # 0-based
    col: int  # code points
    text: str  # including the leading '#'


@dataclass(frozen=True)
class ParseError:
    message: str
    line: int  # 0-based
    col: int  # code points
    kind: str  # "syntax" or "too-complex"


class SourceFile:
    def __init__(self, text: str, path: str = "<memory>", tree: ast.Module | None = None) -> None:
        """`tree`: the text's syntax tree when the caller has it already (leery.core.reparse)."""
        if text.startswith("\ufeff"):
            text = text[1:]  # a BOM is not part of the code; keeping it would shift line 1
        self.text = text
        self.path = path
        self.lines: list[str] = _split(text)
        self.error: ParseError | None = None
        self.tree: ast.Module | None = tree if tree is not None else self._parse()

    # -- parsing ---------------------------------------------------------------------------
    def _parse(self) -> ast.Module | None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escape sequences are not ours to report
                return ast.parse(self.text, filename=self.path, type_comments=False)
        except SyntaxError as exc:
            if "\0" in self.text and "null bytes" in str(exc.msg):
                self.error = self._nul_error(str(exc.msg))
                return None
            line = max((exc.lineno or 1) - 1, 0)
            col = max((exc.offset or 1) - 1, 0)
            line = min(line, len(self.lines) - 1)
            # SyntaxError.offset is in code points already (CPython converts it), clamp anyway.
            col = min(col, len(self.lines[line]))
            self.error = ParseError(exc.msg or "invalid syntax", line, col, "syntax")
        except ValueError as exc:  # NUL bytes on 3.10/3.11
            self.error = self._nul_error(str(exc))
        except (RecursionError, MemoryError):
            self.error = ParseError("the file is nested too deeply to parse", 0, 0, "too-complex")
        return None

    def _nul_error(self, message: str) -> ParseError:
        index = self.text.find("\0")
        if index < 0:
            return ParseError(message, 0, 0, "syntax")
        line, col = self.position_of_offset(index)
        return ParseError("source code cannot contain null bytes", line, col, "syntax")

    @cached_property
    def binds_in_expressions(self) -> bool:
        """Whether an expression may bind a name (`:=`), so that a walk for bindings must visit
        expressions (leery.core.astutil.binding_children). Asked per scope: kept."""
        return ":=" in self.text

    # -- positions -------------------------------------------------------------------------
    @cached_property
    def _line_starts(self) -> list[int]:
        if "\r" not in self.text:  # every break is one "\n": add up the line lengths
            return [0, *itertools.accumulate(len(line) + 1 for line in self.lines[:-1])]
        starts = [0]
        for match in _LINE_BREAK.finditer(self.text):
            starts.append(match.end())
        return starts

    def offset_of(self, line: int, col: int) -> int:
        """String index of a (0-based line, code-point column); clamps to the text."""
        if line >= len(self._line_starts):
            return len(self.text)
        line = max(line, 0)
        return self._line_starts[line] + min(max(col, 0), len(self.lines[line]))

    def position_of_offset(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line, offset - self._line_starts[line]

    def col_of_byte(self, line: int, byte_col: int) -> int:
        """Code-point column of a UTF-8 byte column on a 0-based line."""
        if line < 0 or line >= len(self.lines):
            return 0
        text = self.lines[line]
        if text.isascii():
            return min(byte_col, len(text))
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def span_of(self, node: ast.AST) -> Span:
        """The code-point span of an AST node (lines 0-based)."""
        start_line = node.lineno - 1  # type: ignore[attr-defined]
        end_line = (getattr(node, "end_lineno", None) or node.lineno) - 1  # type: ignore[attr-defined]
        start_col = self.col_of_byte(start_line, node.col_offset)  # type: ignore[attr-defined]
        end_byte = getattr(node, "end_col_offset", None)
        if end_byte is None:
            end_col = len(self.lines[end_line]) if end_line < len(self.lines) else 0
        else:
            end_col = self.col_of_byte(end_line, end_byte)
        return Span(start_line, start_col, end_line, end_col)

    def head_span(self, node: ast.AST) -> Span:
        """The first line of a node only: for a `def` or `try`, where a squiggle belongs."""
        span = self.span_of(node)
        if span.end_line == span.start_line:
            return span
        return Span(span.start_line, span.start_col, span.start_line, len(self.lines[span.start_line].rstrip()))

    def text_of(self, node_or_span: ast.AST | Span) -> str:
        span = node_or_span if isinstance(node_or_span, Span) else self.span_of(node_or_span)
        return self.text[self.offset_of(span.start_line, span.start_col) : self.offset_of(span.end_line, span.end_col)]

    def line(self, line: int) -> str:
        """The text of a 0-based line; empty outside the file."""
        return self.lines[line] if 0 <= line < len(self.lines) else ""

    def indent_of(self, line: int) -> str:
        text = self.lines[line] if 0 <= line < len(self.lines) else ""
        return text[: len(text) - len(text.lstrip())]

    # -- comments --------------------------------------------------------------------------
    @cached_property
    def comments(self) -> list[Comment]:
        """Every comment token. Falls back to nothing when the text does not tokenize."""
        if self.tree is not None and _FAST_COMMENTS:
            return self._scan_comments()
        found: list[Comment] = []
        try:
            # newline=None: a lone \r ends a line for Python (and for self.lines), not for StringIO.
            for tok in tokenize.generate_tokens(io.StringIO(self.text, newline=None).readline):
                if tok.type == tokenize.COMMENT:
                    found.append(Comment(tok.start[0] - 1, tok.start[1], tok.string))
        except (tokenize.TokenError, SyntaxError, IndentationError, ValueError):
            pass
        return found

    def _scan_comments(self) -> list[Comment]:
        """The same comments as `tokenize` finds, from one regular-expression pass (~20x faster
        than 3.11's pure-Python tokenize). Only for text that parsed: every string is closed."""
        return self.scan_comments(0, len(self.lines) - 1)

    @property
    def scans_comments(self) -> bool:
        """Whether `scan_comments` may stand in for tokenize here (parsed text, before 3.12)."""
        return self.tree is not None and _FAST_COMMENTS

    def scan_comments(self, first: int, last: int) -> list[Comment]:
        """Comments on lines first..last (0-based), which must start and end outside strings."""
        found = []
        start = self.offset_of(first, 0)
        end = self.offset_of(last, len(self.lines[last])) if last < len(self.lines) else len(self.text)
        for match in _STRING_OR_COMMENT.finditer(self.text, start, end):
            if match.group().startswith("#"):
                line, col = self.position_of_offset(match.start())
                found.append(Comment(line, col, match.group()))
        return found

    @cached_property
    def comments_by_line(self) -> dict[int, Comment]:
        return {c.line: c for c in self.comments}
