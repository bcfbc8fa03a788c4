"""Hover, notebooks, commands, workspace diagnostics, cancellation."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")

CODE = 'import subprocess\n\n\ndef build():\n    result = subprocess.call("make")\n'


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


async def test_hover_explains_the_finding(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("build.py", CODE)
    diags = await editor.diagnostics(uri)
    [ly103] = [d for d in diags if d.code == "LY103"]
    hover = await editor.client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), ly103.range.start))
    text = hover.contents.value
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert text.startswith("**leery LY103**") and ly103.message in text
    assert f"Confidence: **{ly103.data['confidence']}**" in text
    for heading in ("Why it matters", "What to check in review", "Example", "Use instead"):
        assert f"#### {heading}" in text
    assert "LY103.md" in text
    # Off the flagged range: nothing.
    assert await editor.client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), pos(1, 0))) is None


async def test_requests_on_unknown_or_closed_documents(launch, client_name):
    editor = await launch(client_name)
    unknown = editor.uri("nowhere.py")
    ident = types.TextDocumentIdentifier(unknown)
    assert await editor.client.text_document_hover_async(types.HoverParams(ident, pos(0, 0))) is None
    assert await editor.actions(unknown, types.Range(start=pos(0, 0), end=pos(0, 0))) == []
    uri = editor.open("build.py", CODE)
    await editor.diagnostics(uri)
    editor.close(uri)
    assert await editor.client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), pos(4, 13))) is None
    if editor.pull:
        report = await editor.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(ident))
        assert list(report.items) == []


async def test_notebook_cells_are_one_module(launch):
    editor = await launch("vscode")  # notebooks: only VS Code syncs them
    nb_uri = editor.uri("analysis.ipynb")
    cells = [
        ("c1", types.NotebookCellKind.Code, "python", "import subprocess\n%matplotlib inline\n!pip list\n"),
        ("c2", types.NotebookCellKind.Markup, "markdown", "# Build 🔨\n"),
        ("c3", types.NotebookCellKind.Code, "python", "# ビルド 🔨\ndef build():\n    subprocess.run(['make'])\n"),
    ]
    cell_uri = {name: f"vscode-notebook-cell:{nb_uri[len('file:'):]}#{name}" for name, *_ in cells}
    editor.client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=nb_uri,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[types.NotebookCell(kind=kind, document=cell_uri[name]) for name, kind, _, _ in cells],
            ),
            cell_text_documents=[
                types.TextDocumentItem(uri=cell_uri[name], language_id=lang, version=1, text=text) for name, _, lang, text in cells
            ],
        )
    )
    first = await editor.diagnostics(cell_uri["c1"])
    assert first == []  # `subprocess` is used in another cell; the magics are not syntax errors
    [diag] = await editor.diagnostics(cell_uri["c3"])
    assert diag.code == "LY103" and (diag.range.start.line, diag.range.start.character) == (2, 4)
    actions = await editor.actions(cell_uri["c3"], diag.range, diagnostics=[diag])
    [fix] = [a for a in actions if a.title.startswith("leery (LY103)")]
    [edit] = fix.edit.document_changes[0].edits if fix.edit.document_changes else fix.edit.changes[cell_uri["c3"]]
    assert edit.range.start.line == 2 and edit.new_text == ", check=True"
    # Edit the cell: the finding goes.
    editor.client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(uri=nb_uri, version=2),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri=cell_uri["c3"], version=2),
                            changes=[types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)],
                        )
                    ]
                )
            ),
        )
    )
    assert await editor.diagnostics(cell_uri["c3"]) == []


async def test_commands_rules_and_explain(launch, client_name):
    editor = await launch(client_name)
    run = editor.client.workspace_execute_command_async
    rules = await run(types.ExecuteCommandParams(command="leery.rules", arguments=[]))
    by_code = {r["code"]: r for r in rules}
    assert set(by_code["LY103"]) == {"code", "name", "summary", "severity", "fixable", "url"}
    assert by_code["LY103"]["fixable"] is True and by_code["LY103"]["url"].endswith("LY103.md")
    explained = await run(types.ExecuteCommandParams(command="leery.explain", arguments=["LY103"]))
    assert explained["code"] == "LY103" and explained["markdown"].startswith("# LY103")
    with pytest.raises(Exception, match="no rule"):
        await run(types.ExecuteCommandParams(command="leery.explain", arguments=["LY000"]))


async def test_command_suppress_with_a_reason(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("build.py", CODE)
    await editor.diagnostics(uri)
    reason = "make reports its own errors"
    result = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="leery.suppress", arguments=[{"uri": uri, "line": 4, "code": "LY103", "reason": reason}])
    )
    assert result == {"applied": True}
    [edit] = editor.applied_edits
    text = editor.apply(uri, edit)
    assert text.splitlines()[4].endswith(f"# leery: ignore[LY103] -- {reason}")
    assert [d.code for d in await editor.diagnostics(uri)] == ["F841"]


async def test_command_analyze_workspace(launch, client_name):
    editor = await launch(client_name)
    closed_bad = editor.write("pkg/bad.py", CODE)
    editor.write("pkg/good.py", "def ok():\n    return 1\n")
    uri = editor.open("open.py", "import os\n")
    await editor.diagnostics(uri)
    summary = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="leery.analyzeWorkspace", arguments=[])
    )
    assert summary == {"files": 3, "findings": 3}  # F841 + LY103 in bad.py, F401 in open.py
    assert sorted(d.code for d in await editor.pushed(closed_bad, None)) == ["F841", "LY103"]
    kinds = [type(v).__name__ for reports in editor.client.progress_reports.values() for v in reports]
    assert "WorkDoneProgressBegin" in kinds and "WorkDoneProgressEnd" in kinds


async def test_workspace_diagnostic_long_polls(launch, client_name):
    editor = await launch(client_name)
    if not editor.pull:
        pytest.skip("workspace/diagnostic is a pull request; this client uses push")
    bad = editor.write("bad.py", CODE)
    editor.write("good.py", "def ok():\n    return 1\n")
    editor.open("open.py", "import os\n")
    report = await editor.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    items = {i.uri: i for i in report.items}
    assert set(items) == {bad, editor.uri("good.py")}  # open files are reported per document
    assert sorted(d.code for d in items[bad].items) == ["F841", "LY103"]
    # Asked again with nothing changed: the answer waits for a change.
    previous = [types.PreviousResultId(uri=i.uri, value=i.result_id) for i in report.items]
    pending = asyncio.ensure_future(
        editor.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=previous))
    )
    done, _ = await asyncio.wait([pending], timeout=1.0)
    assert not done
    fixed = editor.write("bad.py", "import subprocess\n\n\ndef build():\n    subprocess.run(['make'], check=True)\n")
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=fixed, type=types.FileChangeType.Changed)])
    )
    again = {i.uri: i for i in (await asyncio.wait_for(pending, 30)).items}
    assert again[bad].kind == "full" and list(again[bad].items) == []
    assert again[editor.uri("good.py")].kind == "unchanged"


async def test_cancelled_request_is_answered_and_the_server_goes_on(launch, client_name):
    # A long debounce keeps the document's analysis pending, so hover waits for it.
    editor = await launch(client_name, init_options={"debounce": 60000})
    uri = editor.open("build.py", CODE)
    await editor.diagnostics(uri)
    editor.replace(uri, CODE + "\n")
    future = editor.client.protocol.send_request(
        types.TEXT_DOCUMENT_HOVER, types.HoverParams(types.TextDocumentIdentifier(uri), pos(4, 13)), msg_id="hover-1"
    )
    editor.client.cancel_request(types.CancelParams(id="hover-1"))
    with pytest.raises(Exception, match="cancel"):
        await asyncio.wait_for(asyncio.wrap_future(future), 30)
    rules = await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(command="leery.rules", arguments=[]))
    assert rules
