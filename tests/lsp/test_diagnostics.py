"""Diagnostics: push and pull, versions, newest-only, close clears, UTF-16/UTF-8 ranges."""

from __future__ import annotations

import pytest
from lsprotocol import types

from conftest import units

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")

SUBPROCESS = """import subprocess


def build():
    subprocess.run(["make", "all"])
"""


async def test_diagnostic_fields(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("build.py", SUBPROCESS)
    diags = await editor.diagnostics(uri)
    assert [(d.code, d.range.start.line) for d in diags] == [("LY103", 4)]
    diag = diags[0]
    assert diag.source == "leery"
    assert diag.severity == types.DiagnosticSeverity.Warning
    assert diag.code_description.href.startswith("file://") and diag.code_description.href.endswith("LY103.md")
    assert "subprocess.run" in diag.message
    assert diag.range.start.character == 4 and diag.range.end.line == 4
    assert diag.data["confidence"] in ("high", "medium", "low")
    assert diag.data["fingerprint"].startswith("LY103:")
    assert diag.data["fix"]["applicability"] in ("safe", "unsafe")
    assert diag.data["fix"]["edits"], "the fix travels with the diagnostic"


async def test_push_or_pull_matches_the_client(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("build.py", SUBPROCESS)
    await editor.diagnostics(uri)
    if editor.pull:
        # A pull client gets nothing pushed for its open documents (it would show twice).
        assert uri not in editor.published
    else:
        assert editor.published[uri][-1][0] == 1


async def test_unused_import_is_faded(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("imports.py", "import os\n")
    diags = await editor.diagnostics(uri)
    assert [d.code for d in diags] == ["F401"]
    assert list(diags[0].tags) == [types.DiagnosticTag.Unnecessary]


async def test_only_the_newest_version_is_analysed(launch, client_name):
    editor = await launch(client_name, init_options={"debounce": 1000})
    uri = editor.open("build.py", SUBPROCESS)
    await editor.diagnostics(uri)
    # Four quick edits (well inside the 1 s debounce): only the last text is analysed.
    editor.replace(uri, SUBPROCESS.replace('"all"', '"a"'))
    editor.replace(uri, SUBPROCESS.replace('"all"', '"b"'))
    editor.replace(uri, SUBPROCESS.replace("subprocess.run", "print"))
    last = editor.replace(uri, SUBPROCESS + "\n\ndef clean():\n    subprocess.call(['rm'])\n")
    diags = await editor.diagnostics(uri)
    assert [(d.code, d.range.start.line) for d in diags] == [("LY103", 4), ("LY103", 8)]
    if not editor.pull:
        versions = [v for v, _ in editor.published[uri]]
        assert versions[-1] == last
        assert not set(versions) & {2, 3, 4}, versions


async def test_closing_clears(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("build.py", SUBPROCESS)
    assert await editor.diagnostics(uri)
    editor.close(uri)
    if editor.pull:
        report = await editor.client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))
        )
        assert list(report.items) == []
    else:
        assert await editor.pushed(uri, None) == []


async def test_unchanged_result_id(launch, client_name):
    editor = await launch(client_name)
    if not editor.pull:
        pytest.skip("result ids belong to pull diagnostics; this client uses push")
    uri = editor.open("build.py", SUBPROCESS)
    first = await editor.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri)))
    again = await editor.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri), previous_result_id=first.result_id)
    )
    assert again.kind == "unchanged" and again.result_id == first.result_id


@pytest.mark.parametrize("prefix", ["🔨🔨", "ビルド🔨", "é😀"])
async def test_ranges_after_emoji_and_cjk(launch, client_name, prefix):
    editor = await launch(client_name)
    before = f"x = '{prefix}'; "
    call = 'subprocess.run(["make"])'
    uri = editor.open("uni.py", f"import subprocess\n# {prefix}\n{before}{call}  # {prefix}\n")
    diags = [d for d in await editor.diagnostics(uri) if d.code == "LY103"]
    assert len(diags) == 1
    rng = diags[0].range
    start = units(before, editor.encoding)
    assert start != len(before) or editor.encoding == "utf-32"
    assert (rng.start.line, rng.start.character, rng.end.line, rng.end.character) == (2, start, 2, start + len(call))


async def test_form_feed_does_not_shift_incremental_edits(launch, client_name):
    """pygls alone splits lines on \\f; an edit below a page break must land on its line."""
    editor = await launch(client_name)
    text = "import subprocess\n\x0c\n\ndef build():\n    subprocess.run(['make'])\n"
    uri = editor.open("ff.py", text)
    assert [d.range.start.line for d in await editor.diagnostics(uri)] == [4]
    # Insert `, check=True` before the closing paren on line 4 with a ranged edit.
    col = len("    subprocess.run(['make']")
    pos = types.Position(line=4, character=col)
    new_text = text.replace("['make'])", "['make'], check=True)")
    editor.edit(uri, types.Range(start=pos, end=pos), ", check=True", new_text)
    assert await editor.diagnostics(uri) == []
