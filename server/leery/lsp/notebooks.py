"""Notebooks: the Python code cells of a notebook document, analysed as one module.

Cells are joined in notebook order; each cell remembers the line where it starts, so a finding
lands back on its cell (`Unit.locate`). IPython syntax is not Python: a line magic or shell
escape (`%time`, `!pip`) and every line of a cell magic cell (`%%bash`) become comments of the
same length, so positions after them do not move.
"""

from __future__ import annotations

from lsprotocol import types

from leery.lsp.convert import path_of
from leery.lsp.documents import Cell, Unit

_LINE_BREAKS = ("\r\n", "\r", "\n")


def _is_python(cell: types.NotebookCell, language: str | None) -> bool:
    return cell.kind == types.NotebookCellKind.Code and (language in (None, "python"))


def _comment_out(line: str) -> str:
    return "#" + line[1:] if line else line


def _neutralise(text: str) -> str:
    lines = text.splitlines(keepends=True) if "\x0c" not in text and "\u2028" not in text else [text]
    if lines and lines[0].lstrip().startswith("%%"):
        return "".join(_comment_out(line) if line.strip() else line for line in lines)
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            indent = len(line) - len(stripped)
            line = line[:indent] + "#" + stripped[1:]
        out.append(line)
    return "".join(out)


def notebook_unit(notebook: types.NotebookDocument, text_of) -> Unit:
    """`text_of(cell_uri) -> (text, language_id)` reads the synced cell documents."""
    parts: list[str] = []
    cells: list[Cell] = []
    line = 0
    for cell in notebook.cells:
        text, language = text_of(cell.document)
        if text is None or not _is_python(cell, language):
            continue
        text = _neutralise(text)
        if not text.endswith(_LINE_BREAKS):
            text += "\n"
        count = text.count("\n") + text.count("\r") - text.count("\r\n")
        cells.append(Cell(cell.document, line, count))
        parts.append(text)
        line += count
    path = path_of(notebook.uri)
    if not cells:
        return Unit(notebook.uri, notebook.version, path, "", [])
    return Unit(notebook.uri, notebook.version, path, "".join(parts), cells)


def sync_options() -> types.NotebookDocumentSyncOptions:
    return types.NotebookDocumentSyncOptions(
        notebook_selector=[types.NotebookDocumentFilterWithCells(notebook="*", cells=[types.NotebookCellLanguage("python")])]
    )
