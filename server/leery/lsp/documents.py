"""Open documents as analysis units: one text document, or the Python cells of a notebook.

pygls splits lines with `str.splitlines`, which also breaks on form feeds, U+2028 and other
characters that are not line breaks to Python or to the LSP. A file with a `^L` page break
(common in older code) would then get every incremental edit below it applied to the wrong
line. `LspTextDocument` splits where the protocol does: `\\r\\n`, `\\r`, `\\n`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from pygls.workspace import TextDocument, Workspace

from leery.core.source import SourceFile, split_lines

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class LspTextDocument(TextDocument):
    @property
    def lines(self):  # type: ignore[override]
        return tuple(_LINE.findall(self.source))


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
