"""pytest-lsp harness: `leery serve` driven with recorded client capabilities.

Clients (every feature test runs with each):
- "vscode": VS Code's recorded capabilities (1.65, the newest pytest-lsp ships) plus what
  VS Code >= 1.80 adds and the leery extension uses: pull diagnostics with refresh, notebooks.
  UTF-16 positions.
- "neovim": Neovim 0.11 as recorded: pull diagnostics without refresh, UTF-8 positions.
- "neovim-0.7": Neovim 0.7 as recorded (Debian's, the end-to-end editor): push, UTF-16, no
  workspace/configuration, no file watching.
"""

from __future__ import annotations

import asyncio
import os
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, register_lsp_features

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CLIENTS = ["vscode", "neovim", "neovim-0.7"]


def capabilities(name: str) -> types.ClientCapabilities:
    if name == "neovim-0.7":
        return client_capabilities("neovim@v0.7.0")
    if name == "neovim":
        return client_capabilities("neovim@v0.11.0")
    caps = client_capabilities("visual_studio_code")
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=True, related_document_support=False)
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    caps.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities(dynamic_registration=True, execution_summary_support=True)
    )
    return caps


def units(text: str, encoding: str) -> int:
    """Independent of the server's code: the length of `text` in the client's code units."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


class Editor:
    """A client that keeps its own copy of each document, like an editor does."""

    def __init__(self, client: LanguageClient, name: str, root: Path) -> None:
        self.client = client
        self.name = name
        self.root = root
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.published: dict[str, list[tuple[int | None, list[types.Diagnostic]]]] = {}
        self.applied_edits: list[types.WorkspaceEdit] = []
        self.registrations: list[types.Registration] = []
        self.pull = False
        self.encoding = "utf-16"
        self.changed = asyncio.Event()

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self, init_options: Any = None, folders: list[Path] | None = None) -> types.InitializeResult:
        folders = folders or [self.root]
        caps = capabilities(self.name)
        result = await self.client.initialize_session(
            types.InitializeParams(
                capabilities=caps,
                root_uri=folders[0].as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders],
                initialization_options=init_options,
            )
        )
        self.pull = caps.text_document.diagnostic is not None
        encoding = result.capabilities.position_encoding or "utf-16"
        self.encoding = str(getattr(encoding, "value", encoding))
        return result

    # -- documents -------------------------------------------------------------------------
    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def write(self, name: str, text: str) -> str:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path.as_uri()

    def open(self, name: str, text: str | None = None) -> str:
        uri = self.uri(name)
        if text is None:
            text = (self.root / name).read_text(encoding="utf-8")
        self.texts[uri] = text
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
        )
        return uri

    def replace(self, uri: str, text: str) -> int:
        """A whole-text change (as an incremental range edit over everything)."""
        old = self.texts[uri]
        lines = old.split("\n")
        end = types.Position(line=len(lines) - 1, character=units(lines[-1], self.encoding))
        return self.edit(uri, types.Range(start=types.Position(line=0, character=0), end=end), text, new_text=text)

    def edit(self, uri: str, rng: types.Range, text: str, new_text: str) -> int:
        self.versions[uri] += 1
        self.texts[uri] = new_text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=[types.TextDocumentContentChangePartial(range=rng, text=text)],
            )
        )
        return self.versions[uri]

    def save(self, uri: str) -> None:
        Path(uri[len("file://") :]).write_text(self.texts[uri], encoding="utf-8")
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))

    # -- diagnostics -----------------------------------------------------------------------
    async def diagnostics(self, uri: str, timeout: float = 30) -> list[types.Diagnostic]:
        """The diagnostics of the document's current version, pulled or pushed."""
        if self.pull:
            report = await asyncio.wait_for(
                self.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri))),
                timeout,
            )
            return list(report.items)
        return await self.pushed(uri, self.versions.get(uri), timeout)

    async def pushed(self, uri: str, version: int | None, timeout: float = 30) -> list[types.Diagnostic]:
        """The latest diagnostics pushed for this version (waits for a publish, never sleeps)."""

        async def wait() -> list[types.Diagnostic]:
            while True:
                for got_version, diags in reversed(self.published.get(uri, [])):
                    if got_version == version:
                        return diags
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        return await asyncio.wait_for(wait(), timeout)

    async def expect_codes(self, uri: str, expected: list[str], timeout: float = 30) -> None:
        """After a change the client did not make (settings, other files): pull once (the server
        holds the answer until re-analysed), or wait for pushes until the codes match."""
        if self.pull:
            assert sorted(d.code for d in await self.diagnostics(uri)) == expected
            return

        async def wait() -> None:
            while sorted(d.code for d in self.published.get(uri, [(None, [])])[-1][1]) != expected:
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

        await asyncio.wait_for(wait(), timeout)

    async def next_publish(self, uri: str, timeout: float = 30) -> list[types.Diagnostic]:
        count = len(self.published.get(uri, []))

        async def wait():
            while len(self.published.get(uri, [])) <= count:
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            return self.published[uri][-1][1]

        return await asyncio.wait_for(wait(), timeout)

    # -- actions ---------------------------------------------------------------------------
    async def actions(self, uri: str, rng: types.Range, only: list[str] | None = None, diagnostics=()) -> list:
        return list(
            await self.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=rng,
                    context=types.CodeActionContext(diagnostics=list(diagnostics), only=only),
                )
            )
            or []
        )

    def apply(self, uri: str, edit: types.WorkspaceEdit) -> str:
        """Apply a workspace edit to our copy of the document and send it as a change."""
        edits: list[types.TextEdit] = []
        if edit.document_changes:
            for change in edit.document_changes:
                assert change.text_document.uri == uri
                assert change.text_document.version in (None, self.versions[uri])
                edits.extend(change.edits)
        else:
            edits.extend(edit.changes[uri])
        text = apply_text_edits(self.texts[uri], edits, self.encoding)
        self.replace(uri, text)
        return text


def offset_of(text: str, pos: types.Position, encoding: str) -> int:
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    count = 0
    for index, char in enumerate(line):
        if count >= pos.character:
            return start + index
        count += units(char, encoding)
    return start + len(line)


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = sorted(
        ((offset_of(text, e.range.start, encoding), offset_of(text, e.range.end, encoding), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def make_client(editor_box: dict) -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)

    def publish(client: LanguageClient, params: types.PublishDiagnosticsParams):
        client.diagnostics[params.uri] = params.diagnostics
        editor_box["editor"].published.setdefault(params.uri, []).append((params.version, list(params.diagnostics)))

    def apply_edit(client: LanguageClient, params: types.ApplyWorkspaceEditParams):
        editor_box["editor"].applied_edits.append(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    def register(client: LanguageClient, params: types.RegistrationParams):
        editor_box["editor"].registrations.extend(params.registrations)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.WORKSPACE_APPLY_EDIT] = apply_edit
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    # pygls's client reads `Command | CodeAction` as a Command whenever a `command` key exists;
    # editors tell them apart by the type of that key.
    converter = client.protocol._converter  # noqa: SLF001 - the client's own converter

    def either(obj, _type):
        return converter.structure(obj, types.Command if isinstance(obj.get("command"), str) else types.CodeAction)

    converter.register_structure_hook(typing.Union[types.Command, types.CodeAction], either)
    return client


PLUGIN_SERVER = [sys.executable, str(FIXTURES / "plugin_server.py")]


def server_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "server") + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


@pytest_asyncio.fixture
async def launch(tmp_path):
    """`await launch(client_name, init_options=..., env=..., command=...)` -> a started Editor."""
    started: list[Editor] = []

    async def start(
        name: str, init_options: Any = None, env: dict | None = None, command: list[str] | None = None, folders=None, config=None
    ):
        box: dict = {}
        client = make_client(box)
        if config is not None:  # what workspace/configuration answers for section "leery"
            client.set_configuration(config, section="leery")
        cmd = command or [sys.executable, "-m", "leery", "serve"]
        await client.start_io(*cmd, env=server_env(**(env or {})), cwd=str(tmp_path))
        editor = Editor(client, name, tmp_path)
        box["editor"] = editor
        started.append(editor)
        await editor.start(init_options, folders)
        return editor

    yield start
    for editor in started:
        try:
            await asyncio.wait_for(editor.client.shutdown_session(), 20)
        finally:
            process = editor.client._server  # noqa: SLF001 - the server process pytest-lsp started
            if process is not None and process.returncode is None:
                process.kill()  # the test fails above; never hang the suite on a stuck server
            await editor.client.stop()


@pytest.fixture(params=CLIENTS)
def client_name(request) -> str:
    return request.param
