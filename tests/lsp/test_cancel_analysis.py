"""Cancelling `leery.analyzeWorkspace` from the editor's progress UI (window/workDoneProgress/cancel)."""

from __future__ import annotations

import asyncio

from lsprotocol import types

FILES = 400
MODULE = '''import subprocess


def build_{n}(target):
    try:
        result = subprocess.call("make " + target, shell=True)
    except Exception:
        pass
    return result


class Job{n}:
    def __init__(self, name):
        self.name = name

    def run(self, items):
        out = []
        for item in items:
            if item:
                out.append(item * 2)
        return out
'''


async def progress_of(editor, title: str) -> tuple[str, list]:
    """The token of the progress with this title, once it has reported at least once."""
    while True:
        for token, values in editor.client.progress_reports.items():
            begun = [v for v in values if isinstance(v, types.WorkDoneProgressBegin) and v.title == title]
            if begun and any(isinstance(v, types.WorkDoneProgressReport) for v in values):
                return token, values
        await editor.client.wait_for_notification(types.PROGRESS)


async def test_cancel_analyze_workspace(launch, tmp_path):
    for n in range(FILES):
        (tmp_path / "pkg").mkdir(exist_ok=True)
        (tmp_path / "pkg" / f"mod_{n:03d}.py").write_text(MODULE.format(n=n))
    editor = await launch("vscode")
    command = asyncio.ensure_future(
        editor.client.workspace_execute_command_async(types.ExecuteCommandParams(command="leery.analyzeWorkspace", arguments=[]))
    )
    token, values = await asyncio.wait_for(progress_of(editor, "leery: analysing the workspace"), 120)
    editor.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))

    summary = await asyncio.wait_for(command, 60)
    assert summary["files"] < FILES and summary["cancelled"] is True, summary  # it stopped early, and says so
    assert isinstance(values[-1], types.WorkDoneProgressEnd)
    assert values[-1].message.startswith("cancelled after ") and values[-1].message.endswith(f" of {FILES} files")
    assert sum(isinstance(v, types.WorkDoneProgressEnd) for v in values) == 1

    # Still serving: a document is analysed, and a second run goes to the end.
    uri = editor.open("open.py", "import os\n")
    assert [d.code for d in await editor.diagnostics(uri, timeout=60)] == ["F401"]
    again = await asyncio.wait_for(
        editor.client.workspace_execute_command_async(types.ExecuteCommandParams(command="leery.analyzeWorkspace", arguments=[])),
        300,
    )
    assert again == {"files": FILES + 1, "findings": again["findings"]}, again  # every file, open.py included


def runs_begun(editor, title: str) -> int:
    values = [v for reports in editor.client.progress_reports.values() for v in reports]
    return sum(isinstance(v, types.WorkDoneProgressBegin) and v.title == title for v in values)


async def test_cancelled_workspace_diagnostic_waits_for_a_change(launch, tmp_path):
    """VS Code re-requests workspace diagnostics as soon as it has an answer: after a cancel,
    that request must wait for a change instead of starting the whole run again."""
    for n in range(FILES):
        (tmp_path / "pkg").mkdir(exist_ok=True)
        (tmp_path / "pkg" / f"mod_{n:03d}.py").write_text(MODULE.format(n=n))
    editor = await launch("vscode")  # pulls workspace diagnostics
    title = "leery: analysing the workspace"
    first = asyncio.ensure_future(editor.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[])))
    token, values = await asyncio.wait_for(progress_of(editor, title), 120)
    editor.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    report = await asyncio.wait_for(first, 60)
    assert len(report.items) < FILES and all(item.kind == "full" for item in report.items)
    assert values[-1].message.startswith("cancelled after ")

    previous = [types.PreviousResultId(uri=i.uri, value=i.result_id) for i in report.items]
    again = asyncio.ensure_future(editor.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=previous)))
    done, _ = await asyncio.wait([again], timeout=2.0)
    assert not done and runs_begun(editor, title) == 1  # no new run until something changes

    added = editor.write("pkg/added.py", "import os\n")
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=added, type=types.FileChangeType.Created)])
    )
    report = await asyncio.wait_for(again, 300)
    assert runs_begun(editor, title) == 2
    items = {i.uri: i for i in report.items}
    assert len(items) == FILES + 1 and [d.code for d in items[added].items] == ["F401"]
