"""Code actions: fixes applied through the editor give the samples' .fixed.py goldens;
suppressions with a reason placeholder; Explain; source.fixAll.leery applies safe fixes only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lsprotocol import types

from conftest import PLUGIN_SERVER, ROOT

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")

GOLDENS = sorted(p for p in (ROOT / "samples" / "errors").glob("*.fixed.py"))
# Every golden with VS Code's capabilities; for the others, the one with CJK and emoji before a
# fix (the position conversions differ per client, the rest of the path does not).
GOLDEN_CASES = [
    pytest.param(client, golden, id=f"{client}-{golden.name.split('_')[0]}")
    for golden in GOLDENS
    for client in ("vscode", "neovim", "neovim-0.7")
    if client == "vscode" or golden.name.startswith("LY103")
]


def sample_select(text: str) -> list[str]:
    """What the samples test runs (tests/sampling.py): `# sample-select: ...` or everything."""
    match = re.search(r"#\s*sample-select:\s*([A-Za-z0-9, -]+)", text)
    return [s.strip() for s in match.group(1).split(",") if s.strip()] if match else ["ALL"]


def fixable(diags):
    return [d for d in diags if d.data and d.data.get("fix") and d.data["fix"]["edits"]]


def line_range(line: int) -> types.Range:
    return types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0))


@pytest.mark.parametrize("client_name, golden", GOLDEN_CASES)
async def test_quick_fixes_give_the_golden(launch, client_name, golden: Path):
    sample = golden.with_name(golden.name.replace(".fixed.py", ".py"))
    text = sample.read_text(encoding="utf-8")
    editor = await launch(client_name, init_options={"select": sample_select(text), "debounce": 0})
    uri = editor.open(sample.name, text)
    for _ in range(60):
        candidates = fixable(await editor.diagnostics(uri))
        if not candidates:
            break
        diag = candidates[0]
        actions = await editor.actions(uri, diag.range, diagnostics=[diag])
        [fix] = [a for a in actions if a.title.startswith(f"leery ({diag.code}): ")]
        assert fix.title.endswith(f"({diag.data['fix']['applicability']})")
        assert fix.kind == types.CodeActionKind.QuickFix
        if editor.name != "neovim-0.7":  # 0.7 does not support isPreferred
            assert fix.is_preferred is (diag.data["fix"]["applicability"] == "safe")
        editor.apply(uri, fix.edit)
    assert editor.texts[uri] == golden.read_text(encoding="utf-8")


SUBPROCESS = 'import subprocess\n\n\ndef build():\n    result = subprocess.call("make")\n'


async def test_suppress_adds_a_placeholder_that_stays_flagged(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("build.py", SUBPROCESS)
    codes = sorted(d.code for d in await editor.diagnostics(uri))
    assert codes == ["F841", "LY103"]
    [suppress] = [a for a in await editor.actions(uri, line_range(4)) if a.title == "Suppress LY103 on this line…"]
    text = editor.apply(uri, suppress.edit)
    assert text.splitlines()[4] == '    result = subprocess.call("make")  # leery: ignore[LY103] -- <reason>'
    diags = await editor.diagnostics(uri)
    assert sorted(d.code for d in diags) == ["F841", "LY002"]
    [ly002] = [d for d in diags if d.code == "LY002"]
    assert "placeholder" in ly002.message and ly002.range.start.line == 4
    # A second code on the same line joins the existing comment.
    [suppress_f841] = [a for a in await editor.actions(uri, line_range(4)) if a.title == "Suppress F841 on this line…"]
    text = editor.apply(uri, suppress_f841.edit)
    assert text.splitlines()[4].endswith("# leery: ignore[LY103, F841] -- <reason>")
    # A person writes the reason: nothing is left.
    editor.replace(uri, text.replace("<reason>", "the exit code is logged by make itself"))
    assert await editor.diagnostics(uri) == []


async def test_suppress_skips_a_line_that_ends_inside_a_string(launch, client_name):
    editor = await launch(client_name)
    text = 'import subprocess\n\nsubprocess.run(["echo", """one\ntwo"""])\n'
    uri = editor.open("strings.py", text)
    [diag] = await editor.diagnostics(uri)
    assert (diag.code, diag.range.start.line, diag.range.end.line) == ("LY103", 2, 3)
    [suppress] = [a for a in await editor.actions(uri, diag.range) if a.title.startswith("Suppress")]
    new = editor.apply(uri, suppress.edit)
    assert new.splitlines()[3] == 'two"""])  # leery: ignore[LY103] -- <reason>'
    assert [d.code for d in await editor.diagnostics(uri)] == ["LY002"]


async def test_explain_opens_the_rule_page(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("build.py", SUBPROCESS)
    await editor.diagnostics(uri)
    [explain] = [a for a in await editor.actions(uri, line_range(4)) if a.title == "Explain LY103"]
    assert explain.command.command == "leery.explain"
    result = await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=explain.command.command, arguments=explain.command.arguments)
    )
    assert result["code"] == "LY103" and "## Why it matters" in result["markdown"]
    if editor.client.capabilities.window.show_document and editor.client.capabilities.window.show_document.support:
        [shown] = editor.client.shown_documents
        assert shown.uri.endswith("LY103.md") and Path(shown.uri[len("file://"):]).is_file()
    else:
        assert any("LY103" in m.message for m in editor.client.messages)


async def test_only_filters_kinds(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("build.py", SUBPROCESS)
    await editor.diagnostics(uri)
    everything = await editor.actions(uri, line_range(4))
    assert {a.kind for a in everything} == {types.CodeActionKind.QuickFix}
    # LY103's fix is unsafe: fix-all has nothing to apply.
    assert await editor.actions(uri, line_range(4), only=["source.fixAll"]) == []
    assert await editor.actions(uri, line_range(0)) == []


async def test_fix_all_applies_safe_fixes_only(launch, client_name):
    editor = await launch(client_name, command=PLUGIN_SERVER, init_options={"extendSelect": ["LY990"]})
    text = 'import subprocess\n\nolde = 1\nsubprocess.run(["make"])\nprint(olde)\n'
    uri = editor.open("mixed.py", text)
    assert sorted(d.code for d in await editor.diagnostics(uri)) == ["LY103", "LY990", "LY990"]
    [quick] = [a for a in await editor.actions(uri, line_range(2)) if a.title.startswith("leery (LY990)")]
    assert quick.title == "leery (LY990): Rename to `new` (safe)"
    [fix_all] = await editor.actions(uri, line_range(0), only=["source.fixAll"])
    assert fix_all.kind == "source.fixAll.leery"
    new = editor.apply(uri, fix_all.edit)
    assert new == text.replace("olde", "new")  # the unsafe check=True is not applied
    assert [d.code for d in await editor.diagnostics(uri)] == ["LY103"]
