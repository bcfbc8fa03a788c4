""""Mark reviewed" in the editor: the code action's command writes `.leery/reviews.toml` (the same
record `leery review add` writes) and the finding goes away; without a reason it stays, saying so."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import typing

import pytest
from lsprotocol import types

from conftest import ROOT

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")

CODE = "import json\n\n\ndef load(path):\n    unused = 1\n    return json.load(open(path))\n"


def git_repo(root) -> None:
    for args in (["init", "-q"], ["config", "user.name", "Ada Lovelace"], ["config", "user.email", "ada@example.com"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    (root / "leery.toml").write_text('select = ["F"]\n', encoding="utf-8")  # pyflakes only: stable


def code_actions_as_sent(editor) -> None:
    """pygls' client reads `Command | CodeAction` as a Command whenever a `command` key exists, so a
    CodeAction that carries a command arrives mangled; tell them apart the way editors do."""
    converter = editor.client.protocol._converter  # noqa: SLF001 - the client's own converter

    def either(obj, _type):
        return converter.structure(obj, types.Command if isinstance(obj.get("command"), str) else types.CodeAction)

    converter.register_structure_hook(typing.Union[types.Command, types.CodeAction], either)


async def mark_reviewed_action(editor, uri: str, line: int) -> types.CodeAction:
    code_actions_as_sent(editor)
    rng = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0))
    actions = await editor.actions(uri, rng)
    [action] = [a for a in actions if a.title == "Mark F841 reviewed…"]
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.command.command == "leery.markReviewed"
    assert list(action.command.arguments) == [{"uri": uri, "line": line, "code": "F841"}]
    return action


async def test_mark_reviewed_writes_the_record_and_the_finding_goes_away(launch, client_name, tmp_path):
    git_repo(tmp_path)
    editor = await launch(client_name)
    uri = editor.open("app.py", CODE)
    assert [(d.code, d.range.start.line) for d in await editor.diagnostics(uri)] == [("F841", 4)]
    action = await mark_reviewed_action(editor, uri, 4)
    # The VS Code extension asks for the reason, then runs the same command with it.
    args = [{**action.command.arguments[0], "reason": "kept for the debugger"}]
    result = await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(command=action.command.command, arguments=args))
    assert result["recorded"] == 1 and result["needsReason"] is False
    [entry] = tomllib.loads((tmp_path / ".leery" / "reviews.toml").read_text(encoding="utf-8"))["review"]
    assert (entry["file"], entry["code"], entry["scope"], entry["reason"]) == ("app.py", "F841", "load", "kept for the debugger")
    assert entry["reviewer"] == "Ada Lovelace <ada@example.com>"
    assert await editor.diagnostics(uri) == []
    # Editing another line keeps it reviewed; editing the reviewed function re-opens it.
    editor.replace(uri, "# a comment\n" + CODE)
    assert await editor.diagnostics(uri) == []
    editor.replace(uri, "# a comment\n" + CODE.replace("json.load(open(path))", "json.loads(path)"))
    [diag] = await editor.diagnostics(uri)
    assert diag.code == "F841" and "the review no longer matches" in diag.message


async def test_without_a_reason_the_entry_waits_for_one(launch, tmp_path):
    git_repo(tmp_path)
    editor = await launch("neovim-0.7")  # no showDocument: the server says where to write
    uri = editor.open("app.py", CODE)
    await editor.diagnostics(uri)
    action = await mark_reviewed_action(editor, uri, 4)
    result = await editor.client.workspace_execute_command_async(types.ExecuteCommandParams(command=action.command.command, arguments=list(action.command.arguments)))
    assert result["needsReason"] is True
    record = (tmp_path / ".leery" / "reviews.toml").read_text(encoding="utf-8")
    assert record.splitlines()[result["line"]] == 'reason = "<reason>"'
    [diag] = await editor.diagnostics(uri)
    assert "the reason is missing" in diag.message
    # A person writes the reason and saves the record; the next analysis reads it.
    (tmp_path / ".leery" / "reviews.toml").write_text(record.replace("<reason>", "the debugger reads it"), encoding="utf-8")
    editor.replace(uri, CODE + "\n")
    assert await editor.diagnostics(uri) == []


async def test_refuses_without_a_finding(launch, tmp_path):
    git_repo(tmp_path)
    editor = await launch("vscode")
    uri = editor.open("app.py", CODE)
    await editor.diagnostics(uri)
    with pytest.raises(Exception, match="no F841 finding starts on line 1"):
        await editor.client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="leery.markReviewed", arguments=[{"uri": uri, "line": 0, "code": "F841", "reason": "fine"}])
        )
    assert not (tmp_path / ".leery" / "reviews.toml").exists()


async def test_record_and_baseline_written_elsewhere_apply_in_the_editor(launch, tmp_path):
    """A teammate's review (pulled from git) or a new baseline: the watched-file change re-analyses."""
    git_repo(tmp_path)
    editor = await launch("neovim-0.7")  # push: each re-analysis is published
    (tmp_path / "app.py").write_text(CODE, encoding="utf-8")
    uri = editor.open("app.py")
    assert [d.code for d in await editor.diagnostics(uri)] == ["F841"]
    leery = [sys.executable, "-m", "leery"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "server"), os.environ.get("PYTHONPATH", "")])}
    subprocess.run([*leery, "review", "add", "app.py:5", "F841", "--reason", "kept for the debugger"], cwd=tmp_path, check=True, env=env, capture_output=True)
    changed = types.FileEvent(uri=(tmp_path / ".leery" / "reviews.toml").as_uri(), type=types.FileChangeType.Created)
    editor.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[changed]))
    assert await editor.next_publish(uri) == []
    (tmp_path / ".leery" / "reviews.toml").unlink()
    deleted = types.FileEvent(uri=changed.uri, type=types.FileChangeType.Deleted)
    editor.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[deleted]))
    assert [d.code for d in await editor.next_publish(uri)] == ["F841"]
    subprocess.run([*leery, "baseline"], cwd=tmp_path, check=True, env=env, capture_output=True)
    baseline = types.FileEvent(uri=(tmp_path / ".leery" / "baseline.json").as_uri(), type=types.FileChangeType.Created)
    editor.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[baseline]))
    assert await editor.next_publish(uri) == []  # F841 is in the baseline now
