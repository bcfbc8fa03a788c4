"""Open documents as analysis units: one text document, or the Python cells of a notebook.

pygls splits lines with `str.splitlines`, which also breaks on form feeds, U+2028 and other
characters that are not line breaks to Python or to the LSP. A file with a `^L` page break
(common in older code) would then get every incremental edit below it applied to the wrong
line. `LspTextDocument` splits where the protocol does: `\\r\\n`, `\\r`, `\\n`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property

from pygls.workspace import TextDocument, Workspace

from leery.core.source import SourceFile, split_lines

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class LspTextDocument(TextDocument):
    @property
    def lines(self):  # type: ignore[override]
        source = self.source
        if "\r" in source:
            return tuple(_LINE.findall(source))
        parts = source.split("\n")  # 2x faster than the expression, for the usual text
        last = parts.pop()
        return (*(part + "\n" for part in parts), *((last,) if last else ()))

    def _apply_incremental_change(self, change) -> None:
        """pygls's edit, without building the whole list of lines and copying them one by one
        (~2 ms a keystroke on a 5.6k-line file): the text around the range, joined. Same result
        for every range pygls's codec hands back in order; anything else (a reversed range, a
        text with `\\r`) takes pygls's path."""
        source = self.source
        if "\r" in source or not source:
            return super()._apply_incremental_change(change)
        lines = _Lines(source)
        span = self._position_codec.range_from_client_units(lines, change.range)
        start, end = span.start, span.end
        if start.line < 0 or (start.line, start.character) > (end.line, end.character):
            return super()._apply_incremental_change(change)
        self._source = source[: lines.offset(start.line) + start.character] + change.text + source[lines.offset(end.line) + end.character :]


class _Lines:
    """The lines of a text without `\\r`, as LspTextDocument.lines has them (each with its `\\n`),
    made one at a time: pygls's codec reads two of them."""

    def __init__(self, source: str) -> None:
        self._parts = source.split("\n")
        self._count = len(self._parts) - (self._parts[-1] == "")

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> str:
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        part = self._parts[index]
        return part if index == len(self._parts) - 1 else part + "\n"

    def offset(self, line: int) -> int:
        return sum(map(len, itertools.islice(self._parts, line))) + line


class LspWorkspace(Workspace):
    def _create_text_document(self, doc_uri, source=None, version=None, language_id=None):
        return LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self._position_codec,
        )


def install_workspace(server) -> None:
    """Swap pygls's workspace for one whose documents split lines like the protocol."""
    old = server.workspace
    new = LspWorkspace(old.root_uri, old._sync_kind, list(old.folders.values()), old.position_encoding)
    server.protocol._workspace = new


@dataclass
class Cell:
    uri: str
    first_line: int  # where the cell starts in the analysed module
    line_count: int


@dataclass
class Unit:
    """What one analysis sees: the text of a document or notebook at one version."""

    uri: str  # the text document, or the notebook
    version: int | None
    path: str
    text: str
    cells: list[Cell] = field(default_factory=list)  # notebooks only

    @cached_property
    def source(self) -> SourceFile:
        """Parsed on first use: by the analysis thread, not the event loop."""
        return SourceFile(self.text, self.path)

    @property
    def targets(self) -> list[str]:
        """The documents that diagnostics are published on."""
        return [c.uri for c in self.cells] if self.cells else [self.uri]

    def locate(self, line: int) -> tuple[str, int]:
        """(document uri, line in that document) for a line of the analysed module."""
        for cell in reversed(self.cells):
            if line >= cell.first_line:
                return cell.uri, line - cell.first_line
        return self.uri, line

    def first_line_of(self, uri: str) -> int:
        for cell in self.cells:
            if cell.uri == uri:
                return cell.first_line
        return 0

    @cached_property
    def lines(self) -> list[str]:
        """The lines as SourceFile splits them, without parsing: the fast tier parses its own
        copy (leery.core.reparse), so publishing must not parse this one."""
        return split_lines(self.text)

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line] if 0 <= line < len(lines) else ""
