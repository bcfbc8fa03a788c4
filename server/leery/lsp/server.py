"""The language server: feature registration only. The work lives in session, scheduler,
actions, hover, commands and folders; nothing here imports a rule or an analyzer, so
`initialize` answers as fast as a bare pygls server (the rules load in a thread afterwards)."""

from __future__ import annotations

import asyncio
import gc
import logging
from dataclasses import dataclass

from lsprotocol import types
from lsprotocol.types import ResponseError, ResponseErrorMessage
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from leery import __version__
from leery.lsp import actions, commands, convert, hover
from leery.lsp.notebooks import sync_options
from leery.lsp.session import CONFIG_NAMES, Session

REVIEW_FILES = (".leery/reviews.toml", ".leery/baseline.json")  # read by leery.review's filters

log = logging.getLogger("leery.lsp")


class LeeryProtocol(LanguageServerProtocol):
    def _handle_notification(self, method_name, params) -> None:
        """pygls files the future of every notification whose handler is a generator (its own
        didOpen/didChange/didClose) or a coroutine in `_request_futures` and never takes it out:
        one future per keystroke, forever. Drop the finished ones here, never from a callback
        (shutdown cancels futures while it iterates over that dict)."""
        for key in [k for k, f in self._request_futures.items() if f.done()]:
            del self._request_futures[key]
        super()._handle_notification(method_name, params)

    def structure_message(self, data):
        """pygls raises when a message's params cannot be read (a string where a position
        goes), and its reader only logs that: a request would never be answered and the
        client would wait forever. Hand such a message on as `Unreadable` instead; and a
        client's answer that cannot be read, as an error answer."""
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:  # pygls has logged the details
            if "method" in data and "error" not in data:
                return Unreadable(data.get("id"), str(data.get("method")), "id" in data, exc)
            if "error" in data or not _usable_id(data.get("id")):
                raise  # answers no request of ours
            # The client's answer to one of our requests (applyEdit, ...): fail the request
            # instead of leaving whoever awaits it waiting forever.
            message = "the client's answer could not be read"
            return ResponseErrorMessage(id=data["id"], error=ResponseError(code=exc.code, message=message))

    def handle_message(self, message) -> None:
        if not isinstance(message, Unreadable):
            super().handle_message(message)
        elif message.request and not self._shutdown:
            valid_id = _usable_id(message.id)
            code = JsonRpcInvalidParams.CODE if valid_id else JsonRpcInvalidRequest.CODE  # no id to answer to
            text = f"{message.method}: the params could not be read ({type(message.error.__cause__).__name__})"
            # A plain dict: JSON-RPC wants `"id": null` here, which pygls's converter would omit.
            self._send_data({"jsonrpc": "2.0", "id": message.id if valid_id else None, "error": {"code": code, "message": text}})
        else:
            log.warning("leery: ignored %s: its params could not be read", message.method)


def _usable_id(value) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


@dataclass
class Unreadable:
    """A request or notification whose params do not have the types the LSP says."""

    id: object
    method: str
    request: bool
    error: Exception


class LeeryServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("leery", __version__, notebook_document_sync=sync_options(), protocol_cls=LeeryProtocol)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.session = Session(self)

    def report_server_error(self, error, source) -> None:
        # pygls would pop up a message for every malformed message; a log line is enough.
        log.error("leery: protocol error (%s): %s", getattr(source, "__name__", source), error, extra={"local_only": True})


def warm_up(session: Session) -> None:
    """Import the rules and analyzers off the event loop, then freeze the start-up heap so
    collections after each analysis only scan what the analysis allocated."""
    try:
        from leery.core.registry import load_rules

        load_rules()
        import leery.core.engine  # noqa: F401
        import leery.workspace  # noqa: F401
    except Exception as exc:  # reported again, with a traceback, by the first analysis
        log.error("leery: loading the rules failed: %s", exc)
    gc.collect()
    gc.freeze()


def build_server() -> LeeryServer:
    server = LeeryServer()
    session = server.session

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server.loop = asyncio.get_running_loop()  # for log records from worker threads
        session.initialize(params)

    @server.feature(types.INITIALIZED)
    async def initialized(params: types.InitializedParams) -> None:
        # Everything that touches rules waits for `ready`: importing the rule packages from two
        # threads at once can hand one of them a half-initialised module.
        loop = asyncio.get_running_loop()
        warming = loop.run_in_executor(None, warm_up, session)
        session.spawn(_register_watchers(session))
        await session.fetch_configuration()
        await warming
        session.rebuild_workspaces()
        session.started = True
        session.ready.set()

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        for pool in (session.analyzer.fast_pool, session.analyzer.slow_pool, session.analyzer.bulk_pool):
            pool.shutdown(wait=False, cancel_futures=True)

    # -- text documents --------------------------------------------------------------------
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        if session.pull and uri in session.pushed_closed:
            session.pushed_closed.discard(uri)
            session.publish(uri, None, [])
        session.check_config_files()
        session.analyzer.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        session.analyzer.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        if not session.check_config_files():
            session.analyzer.schedule(params.text_document.uri, 0)
        session.files_changed.set()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        session.analyzer.forget(uri)
        folder = session.folder_of(convert.path_of(uri))
        ws = session.workspaces.get(folder) if folder else None
        if ws is not None:  # back to the file on disk
            session.analyzer.slow_pool.submit(ws.update, convert.path_of(uri), None)

    # -- notebooks (pygls keeps the cells in sync; we re-analyse the whole notebook) -------
    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(params: types.DidOpenNotebookDocumentParams) -> None:
        session.analyzer.schedule(params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(params: types.DidChangeNotebookDocumentParams) -> None:
        session.analyzer.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(params: types.DidSaveNotebookDocumentParams) -> None:
        session.analyzer.schedule(params.notebook_document.uri, 0)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(params: types.DidCloseNotebookDocumentParams) -> None:
        result = session.analyzer.results.get(params.notebook_document.uri)
        session.analyzer.forget(params.notebook_document.uri)
        if session.pull or result is None:
            return
        for cell in params.cell_text_documents:  # cells that a later structure change removed
            session.publish(cell.uri, None, [])

    # -- diagnostics (pull) ----------------------------------------------------------------
    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="leery", inter_file_dependencies=True, workspace_diagnostics=True),
    )
    async def document_diagnostic(params: types.DocumentDiagnosticParams):
        return await session.pull_document(params.text_document.uri, params.previous_result_id)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(params: types.WorkspaceDiagnosticParams):
        from leery.lsp.folders import workspace_diagnostic as run

        return await run(session, params)

    # -- code actions and hover ------------------------------------------------------------
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL]),
    )
    async def code_action(params: types.CodeActionParams):
        if not await session.current(params.text_document.uri):
            return []
        return actions.code_actions(session, params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(params: types.HoverParams):
        if not await session.current(params.text_document.uri):
            return None
        return hover.hover(session, params)

    # -- configuration and files -----------------------------------------------------------
    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        from leery.lsp.settings import EditorSettings

        session.hold()
        try:
            settings = params.settings
            if isinstance(settings, dict) and isinstance(settings.get("leery"), dict):
                session.editor = EditorSettings.parse(settings["leery"])
                session.folder_editor = {}
            await session.fetch_configuration()
        finally:
            session.config_changed()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        from leery.lsp.folders import file_event

        config = records = False
        for change in params.changes:
            path = convert.path_of(change.uri)
            if path.endswith(CONFIG_NAMES):
                config = True
            elif path.endswith((".py", ".pyi")):
                file_event(session, path, change.type)
            elif path.replace("\\", "/").endswith(REVIEW_FILES):
                records = True
        if config:
            session.config_changed()
        elif records:  # the review record or baseline changed (a pull, a teammate's commit)
            session.reanalyse_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
        session.config_changed()

    # -- commands --------------------------------------------------------------------------
    commands.load_extensions()
    for name, handler in commands.COMMANDS.items():
        server.command(name)(_command(session, handler))

    return server


def _command(session: Session, handler):
    async def run(*args):
        await session.ready.wait()
        return await handler(session, list(args))

    return run


async def _register_watchers(session: Session) -> None:
    if not session.capability("workspace.did_change_watched_files.dynamic_registration"):
        return
    watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in (*CONFIG_NAMES, "*.py", "*.pyi", *REVIEW_FILES)]
    registration = types.Registration(
        id="leery-watch-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
    )
    try:
        await asyncio.wait_for(
            session.server.client_register_capability_async(types.RegistrationParams(registrations=[registration])), 10
        )
    except Exception as exc:
        log.info("leery: could not watch config files: %s", exc)
