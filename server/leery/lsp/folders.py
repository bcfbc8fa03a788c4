"""Work over whole workspace folders: building each folder's index at start-up, keeping it
current from file events, and analysing every Python file (`workspace/diagnostic`,
`leery.analyzeWorkspace`), all with `$/progress` and cancellation."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from leery.lsp import convert
from leery.lsp.documents import Unit

if TYPE_CHECKING:
    from leery.lsp.session import Session

log = logging.getLogger("leery.lsp")


class Progress:
    """Server-initiated `$/progress` (when the client supports it); safe to call from threads."""

    def __init__(self, session: "Session", title: str) -> None:
        self.session = session
        self.title = title
        self.token = f"leery-{uuid.uuid4()}"
        self.enabled = bool(session.capability("window.work_done_progress"))
        self.loop = asyncio.get_running_loop()
        self.cancel_event = threading.Event()  # set once the work saw the cancellation
        self.outcome = ""  # what the end of the progress says
        self._last = -1

    async def begin(self) -> None:
        if not self.enabled:
            return
        try:
            await self.session.server.work_done_progress.create_async(self.token)
        except Exception as exc:
            log.info("leery: no progress for %r: %s", self.title, exc)
            self.enabled = False
            return
        self.session.server.work_done_progress.begin(
            self.token, types.WorkDoneProgressBegin(title=self.title, cancellable=True, percentage=0)
        )

    def cancelled(self) -> bool:
        if self.cancel_event.is_set():
            return True
        future = self.session.server.work_done_progress.tokens.get(self.token)
        return bool(future is not None and future.cancelled())

    def report(self, done: int, total: int) -> None:
        """Called from worker threads."""
        if not self.enabled or total <= 0:
            return
        percent = int(done * 100 / total)
        if percent == self._last:
            return
        self._last = percent
        value = types.WorkDoneProgressReport(message=f"{done}/{total} files", percentage=percent)
        self.loop.call_soon_threadsafe(self.session.server.work_done_progress.report, self.token, value)

    def end(self, message: str) -> None:
        if self.enabled:
            self.session.server.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
        self.session.server.work_done_progress.tokens.pop(self.token, None)


def start_builds(session: "Session") -> None:
    """(Re)create each folder's Workspace and index it in the background."""
    from leery.workspace import Workspace

    old = session.workspaces
    session.workspaces = {}
    for folder in session.folders():
        settings = session.configs.settings_for(os.path.join(folder, "__folder__.py"), folder, session.editor_for(folder))
        session.workspaces[folder] = Workspace(Path(folder), settings)
    for ws in old.values():
        getattr(ws, "close", lambda: None)()
    session.spawn(_build_all(session, dict(session.workspaces)))


async def _build_all(session: "Session", workspaces: dict[str, Any]) -> None:
    loop = asyncio.get_running_loop()
    for folder, ws in workspaces.items():
        progress = Progress(session, f"leery: indexing {Path(folder).name}")
        await progress.begin()
        try:
            await loop.run_in_executor(session.analyzer.slow_pool, lambda: ws.build(progress.report, progress.cancelled))
        except Exception as exc:
            log.error("leery: indexing %s failed: %s", folder, exc, exc_info=exc)
        finally:
            progress.end("indexed")
        if session.editor_for(folder).scope == "workspace":
            await analyze_folders(session, [folder], publish_closed=True)
    # What the index knows may change slow findings of open files.
    if session.workspaces is not None and any(session.workspaces.get(f) is ws for f, ws in workspaces.items()):
        for uri in session.open_uris():
            session.analyzer.invalidate(uri)


def file_event(session: "Session", path: str, kind: types.FileChangeType) -> None:
    """A .py file changed on disk (or was created or deleted) outside the editor."""
    folder = session.folder_of(path)
    ws = session.workspaces.get(folder) if folder else None
    if ws is None or session.is_open(convert.uri_of(path)):
        return

    def work() -> set[str]:
        try:
            if kind == types.FileChangeType.Deleted:
                return set(ws.remove(path) or ())
            return set(ws.update(path, None) or ())
        except Exception as exc:
            log.error("leery: index update for %s failed: %s", path, exc, exc_info=exc)
            return set()

    async def run() -> None:
        others = await asyncio.get_running_loop().run_in_executor(session.analyzer.slow_pool, work)
        for other in others:
            session.changed_elsewhere(other)

    session.spawn(run())
    session.files_changed.set()


# -- analysing every file ----------------------------------------------------------------------
class FileCache:
    """Diagnostics of closed files, keyed by what would change them."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[tuple, list[types.Diagnostic], int]] = {}


def _stamp(path: Path, settings) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, id(settings))


def _analyze_file(session: "Session", path: Path, settings, workspace) -> tuple[list[types.Diagnostic], int]:
    from leery.core.engine import analyze
    from leery.core.files import UnreadableFile, read_text
    from leery.lsp.scheduler import Result

    try:
        text = read_text(path)
    except UnreadableFile as exc:
        log.info("leery: skipping %s: %s", path, exc)
        return [], 0
    uri = convert.uri_of(str(path))
    unit = Unit(uri, None, str(path), text)
    try:
        findings = analyze(unit.source, settings, workspace)
    except Exception as exc:
        log.error("leery: analysis of %s failed: %s", path, exc, exc_info=exc)
        return [], 0
    result = Result(unit, findings, [])
    return session.diagnostics_for(result).get(uri, []), len(findings)


async def analyze_folders(
    session: "Session", folders: list[str] | None = None, publish_closed: bool = False, progress: Progress | None = None
) -> dict[str, tuple[list[types.Diagnostic], str]]:
    """Diagnostics for every Python file of the folders that is not open: uri -> (items, result id)."""
    loop = asyncio.get_running_loop()
    await session.ready.wait()
    folders = session.folders() if folders is None else folders
    own_progress = progress is None
    progress = progress or Progress(session, "leery: analysing the workspace")
    await progress.begin()
    jobs: list[tuple[Path, Any, Any]] = []
    for folder in folders:
        ws = session.workspaces.get(folder)
        if ws is None:
            continue
        for path in await loop.run_in_executor(session.analyzer.bulk_pool, ws.python_files):
            if not session.is_open(convert.uri_of(str(path))):
                jobs.append((path, session.settings_for(str(path)), ws))
    cache: FileCache = session.file_cache
    out: dict[str, tuple[list[types.Diagnostic], str]] = {}

    def work() -> None:
        for done, (path, settings, ws) in enumerate(jobs):
            if progress.cancelled():
                progress.cancel_event.set()  # still known after the token is gone
                return
            progress.report(done, len(jobs))
            stamp = _stamp(path, settings)
            entry = cache.entries.get(str(path))
            if entry is None or entry[0] != stamp or stamp is None:
                diags, count = _analyze_file(session, path, settings, ws)
                entry = (stamp, diags, count)
                cache.entries[str(path)] = entry
            out[convert.uri_of(str(path))] = (entry[1], f"w{hash(stamp) & 0xFFFFFFFF:x}")

    try:
        await loop.run_in_executor(session.analyzer.bulk_pool, work)
    except asyncio.CancelledError:
        progress.cancel_event.set()
        raise
    finally:
        stopped = progress.cancel_event.is_set()
        progress.outcome = f"cancelled after {len(out)} of {len(jobs)} files" if stopped else f"{len(out)} files"
        if own_progress:
            progress.end(progress.outcome)
    if publish_closed:
        for uri, (diags, _rid) in out.items():
            if not session.is_open(uri):
                session.publish(uri, None, diags)
                session.pushed_closed.add(uri)
    return out


async def workspace_diagnostic(session: "Session", params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
    """Every closed file's report; open files are reported by textDocument/diagnostic.

    Clients re-request as soon as they get an answer: when nothing changed since the ids they
    sent, the answer waits for a change (a long poll) instead of re-analysing in a loop. A run
    cancelled from its progress answers with the files it reached, and the next run waits for
    a change: the client's immediate re-request must not start it all over again.
    """
    previous = {p.uri: p.value for p in params.previous_result_ids or []}
    while True:
        if session.workspace_paused:  # cancelled from its progress: the next run waits for a change
            await session.files_changed.wait()
            session.workspace_paused = False
        session.files_changed.clear()
        progress = Progress(session, "leery: analysing the workspace")
        try:
            reports = await analyze_folders(session, progress=progress)
        finally:
            progress.end(progress.outcome or "stopped")
        cancelled = session.workspace_paused = progress.cancel_event.is_set()
        items: list[Any] = []
        changed = False
        for uri, (diags, rid) in sorted(reports.items()):
            if previous.get(uri) == rid:
                items.append(types.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, result_id=rid, version=None))
            else:
                changed = True
                items.append(types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=diags, result_id=rid, version=None))
        for uri in set(previous) - set(reports):  # deleted, excluded or opened since
            if not cancelled and not session.is_open(uri):  # (after a cancel: not reached)
                changed = True
                items.append(types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=[], version=None))
        if changed or not previous:
            return types.WorkspaceDiagnosticReport(items=items)
        await session.files_changed.wait()


def summary(reports: dict[str, tuple[list[types.Diagnostic], str]]) -> dict[str, int]:
    return {"files": len(reports), "findings": sum(len(d) for d, _ in reports.values())}


__all__ = ["start_builds", "file_event", "analyze_folders", "workspace_diagnostic", "summary", "FileCache", "Progress"]
