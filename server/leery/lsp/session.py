"""The server's state: folders, their settings and workspace indexes, open documents and
notebooks, and how results reach the client (push or pull)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types

from leery.core.files import real_path
from leery.lsp import convert
from leery.lsp.documents import Unit, install_workspace
from leery.lsp.notebooks import notebook_unit
from leery.lsp.scheduler import _CLOSED, Analyzer
from leery.lsp.settings import ConfigStore, EditorSettings, error_position

log = logging.getLogger("leery.lsp")
CONFIG_NAMES = ("pyproject.toml", "leery.toml")


@dataclass
class Context:
    enabled: bool
    settings: Any
    workspace: Any


class Session:
    def __init__(self, server) -> None:
        self.server = server
        self.ready = asyncio.Event()  # settings known, rules loaded: analyses may run
        self.started = False
        self.editor = EditorSettings()
        self.initial_editor = self.editor
        self.folder_editor: dict[str, EditorSettings] = {}
        self.configs = ConfigStore()
        self.workspaces: dict[str, Any] = {}
        self.analyzer = Analyzer(self)
        self.pull = False
        self.refresh_support = False
        self.codec = convert.Codec("utf-16")
        self.config_diagnostics: set[str] = set()  # config files we published errors on
        self._config_state: dict = {}
        self.shown_errors: set[str] = set()
        self.files_changed = asyncio.Event()  # for long-polled workspace diagnostics
        self.workspace_paused = False  # the user cancelled a workspace/diagnostic run: wait for a change
        self._urls: dict[str, str | None] = {}
        self.pushed_closed: set[str] = set()  # closed files whose diagnostics we pushed
        from leery.lsp.folders import FileCache

        self.file_cache = FileCache()
        self.background: set[asyncio.Task] = set()  # strong references: the loop keeps only weak ones

    # -- start-up --------------------------------------------------------------------------
    def spawn(self, coro) -> asyncio.Task:
        """Run a coroutine in the background and keep the task alive until it finishes."""
        task = asyncio.get_running_loop().create_task(coro)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return task

    def initialize(self, params: types.InitializeParams) -> None:
        caps = params.capabilities
        self.pull = bool(caps.text_document and caps.text_document.diagnostic is not None)
        self.refresh_support = bool(caps.workspace and caps.workspace.diagnostics and caps.workspace.diagnostics.refresh_support)
        install_workspace(self.server)
        self.codec = convert.Codec(self.server.workspace.position_encoding)
        self.editor = EditorSettings.parse(params.initialization_options)
        self.initial_editor = self.editor  # what workspace/configuration leaves unset falls back to
        log.info("leery: %s diagnostics, %s positions", "pull" if self.pull else "push", self.codec.encoding)

    def capability(self, dotted: str) -> Any:
        value: Any = self.server.client_capabilities
        for part in dotted.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    # -- folders and settings --------------------------------------------------------------
    def folders(self) -> list[str]:
        found = [convert.path_of(f.uri) for f in self.server.workspace.folders.values()]
        if not found and self.server.workspace.root_path:
            found = [self.server.workspace.root_path]
        return [real_path(f) for f in found]  # cached: this runs twice per keystroke

    def folder_of(self, path: str) -> str | None:
        resolved = real_path(path)
        best = None
        for folder in self.folders():
            if (resolved == folder or resolved.startswith(folder.rstrip("/") + "/")) and (best is None or len(folder) > len(best)):
                best = folder
        return best

    def editor_for(self, folder: str | None) -> EditorSettings:
        return self.folder_editor.get(folder or "", self.editor)

    def settings_for(self, path: str):
        folder = self.folder_of(path)
        return self.configs.settings_for(path, folder, self.editor_for(folder))

    def debounce_ms(self, uri: str) -> int:
        return self.editor_for(self.folder_of(convert.path_of(uri))).debounce_ms

    def context_for(self, unit: Unit) -> Context:
        folder = self.folder_of(unit.path)
        editor = self.editor_for(folder)
        settings = self.configs.settings_for(unit.path, folder, editor)
        self.report_config_errors()
        workspace = self.workspaces.get(folder) if folder else None
        return Context(editor.enable, settings, workspace)

    # -- documents -------------------------------------------------------------------------
    def key_of(self, uri: str) -> str:
        """The analysis unit a document belongs to: a notebook for a cell, else itself."""
        notebook = self.server.workspace.get_notebook_document(cell_uri=uri)
        return notebook.uri if notebook is not None else uri

    def is_open(self, uri: str) -> bool:
        ws = self.server.workspace
        return uri in ws.text_documents or ws.get_notebook_document(notebook_uri=uri) is not None

    def unit_version(self, uri: str) -> Any:
        ws = self.server.workspace
        notebook = ws.get_notebook_document(notebook_uri=uri)
        if notebook is not None:
            return notebook.version
        doc = ws.text_documents.get(uri)
        return _CLOSED if doc is None else doc.version

    def unit_for(self, uri: str) -> Unit | None:
        ws = self.server.workspace
        notebook = ws.get_notebook_document(notebook_uri=uri)
        if notebook is not None:

            def text_of(cell_uri: str):
                doc = ws.text_documents.get(cell_uri)
                return (doc.source, doc.language_id) if doc is not None else (None, None)

            return notebook_unit(notebook, text_of)
        doc = ws.text_documents.get(uri)
        if doc is None:
            return None
        return Unit(uri, doc.version, convert.path_of(uri), doc.source)

    def open_uris(self) -> list[str]:
        ws = self.server.workspace
        cells = set(ws._cell_in_notebook)  # noqa: SLF001 - pygls keeps no public list of cells
        docs = [u for u in ws.text_documents if u not in cells]
        return docs + list(ws.notebook_documents)

    def reanalyse_all(self) -> None:
        for uri in self.open_uris():
            self.analyzer.invalidate(uri)
        self.files_changed.set()

    def changed_elsewhere(self, path: str) -> None:
        """Another file's findings may have changed (the workspace index said so)."""
        uri = convert.uri_of(path)
        if self.is_open(uri):
            self.analyzer.invalidate(uri)
        else:
            self.analyzer.refresh_all()
            self.files_changed.set()

    # -- diagnostics -----------------------------------------------------------------------
    def rule_url(self, code: str) -> str | None:
        """The rule's page (written or checked once per code: it reads and may write a file)."""
        if code not in self._urls:
            from leery.core.registry import REGISTRY

            rule = REGISTRY.get(code)
            try:
                self._urls[code] = rule.url if rule is not None else None
            except OSError:
                self._urls[code] = None
        return self._urls[code]

    def related_lines(self, path: str) -> list[str] | None:
        from leery.core.source import SourceFile

        text = None
        doc = self.server.workspace.text_documents.get(convert.uri_of(path))
        if doc is not None:
            text = doc.source
        else:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        return SourceFile(text, path).lines if not text.isascii() else text.splitlines()

    def diagnostics_for(self, result) -> dict[str, list[types.Diagnostic]]:
        out: dict[str, list[types.Diagnostic]] = {target: [] for target in result.unit.targets}
        lines: dict[str, list[str] | None] = {}

        def related_lines(path: str) -> list[str] | None:
            if path not in lines:
                lines[path] = self.related_lines(path)
            return lines[path]

        for finding in result.findings:
            target, diag = convert.diagnostic(finding, result.unit, self.codec, self.rule_url(finding.code), related_lines)
            out.setdefault(target, []).append(diag)
        return out

    def publish(self, uri: str, version: int | None, diagnostics: list[types.Diagnostic]) -> None:
        self.server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def findings_at(self, uri: str):
        """(result, findings on this document) for the current version, or (None, [])."""
        key = self.key_of(uri)
        result = self.analyzer.results.get(key)
        if result is None or result.unit.version != self.unit_version(key):
            return None, []
        if not result.unit.cells:
            return result, result.findings
        return result, [f for f in result.findings if result.unit.locate(f.span.start_line)[0] == uri]

    async def current(self, uri: str, timeout: float = 10) -> bool:
        """Wait for the current version's fast findings; False for a closed or unknown document."""
        key = self.key_of(uri)
        version = self.unit_version(key)
        if version is _CLOSED:
            return False
        try:
            return await asyncio.wait_for(self.analyzer.wait(key, version, complete=False), timeout) is not None
        except asyncio.TimeoutError:
            log.warning("leery: no analysis of %s within %ss", uri, timeout)
            return False

    async def pull_document(self, uri: str, previous_result_id: str | None):
        key = self.key_of(uri)
        version = self.unit_version(key)
        result = None
        if version is not _CLOSED:
            # Without refresh support the client would never learn of the slow tier: wait for it.
            result = await self.analyzer.wait(key, version, complete=not self.refresh_support)
        if result is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = result.result_ids.get(uri, "")
        if previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=result.diagnostics.get(uri, []), result_id=result_id)

    # -- configuration ---------------------------------------------------------------------
    def check_config_files(self) -> bool:
        """For clients that do not watch files: reload when a config file read changed on disk."""
        if self.started and self.configs.changed_files():
            self.config_changed()
            return True
        return False

    async def fetch_configuration(self) -> None:
        """Editor settings per folder through `workspace/configuration`, when the client has it."""
        if not self.capability("workspace.configuration"):
            return
        folders = self.folders()
        items = [types.ConfigurationItem(section="leery")]
        items += [types.ConfigurationItem(scope_uri=convert.uri_of(f), section="leery") for f in folders]
        try:
            values = await asyncio.wait_for(
                self.server.workspace_configuration_async(types.ConfigurationParams(items=items)), timeout=10
            )
        except Exception as exc:
            log.warning("leery: workspace/configuration failed: %s", exc)
            return
        values = list(values or [])
        if values and isinstance(values[0], dict):
            self.editor = EditorSettings.parse(values[0], base=self.initial_editor)
        self.folder_editor = {
            folder: EditorSettings.parse(value, base=self.editor) for folder, value in zip(folders, values[1:]) if isinstance(value, dict) and value
        }

    def report_config_errors(self) -> None:
        """A diagnostic on each broken config file (and a message the first time); clear fixed ones."""
        current: dict[str, list] = {}
        for error in list(self.configs.errors.values()) + list(self.configs.override_errors.values()):
            line, col = error_position(error)
            path = error.path
            if not Path(path).is_file():  # bad editor settings: there is no file to mark
                self.notify_error(f"leery: {error}")
                continue
            rng = types.Range(start=types.Position(line=line, character=col), end=types.Position(line=line, character=col + 1))
            diag = types.Diagnostic(
                range=rng,
                message=f"{error.message} (leery keeps the last good configuration)",
                severity=types.DiagnosticSeverity.Error,
                source="leery",
                code="config",
            )
            current.setdefault(convert.uri_of(path), []).append(diag)
            self.notify_error(f"leery: {error}")
        state = {uri: [(d.range.start.line, d.message) for d in diags] for uri, diags in current.items()}
        if state == self._config_state:
            return
        for uri, diags in current.items():
            self.publish(uri, None, diags)
        for uri in self.config_diagnostics - set(current):
            self.publish(uri, None, [])
        self.config_diagnostics = set(current)
        self._config_state = state
        if not current and not self.configs.override_errors:
            self.shown_errors.clear()

    def notify_error(self, message: str) -> None:
        if message in self.shown_errors or self.editor.show_notifications == "off":
            return
        self.shown_errors.add(message)
        self.server.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    def hold(self) -> None:
        """Settings are about to change: analyses and pulls wait until `config_changed()`."""
        self.ready.clear()
        for uri in self.open_uris():
            self.analyzer.mark_stale(uri)

    def config_changed(self) -> None:
        self.configs.clear()
        if not self.started:  # start-up reads everything fresh anyway
            return
        self.ready.set()
        self.rebuild_workspaces()
        self.reanalyse_all()
        self.report_config_errors()

    # -- workspace indexes -----------------------------------------------------------------
    def rebuild_workspaces(self) -> None:
        from leery.lsp import folders

        folders.start_builds(self)
