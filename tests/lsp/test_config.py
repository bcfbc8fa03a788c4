"""Configuration: initializationOptions, workspace/configuration, didChangeConfiguration,
[tool.leery] files (watched, or re-read on save), a broken config, multi-root folders."""

from __future__ import annotations

import pytest
from lsprotocol import types

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")

CODE = 'import subprocess\n\n\ndef build():\n    result = subprocess.call("make")\n'


async def codes(editor, uri):
    return sorted(d.code for d in await editor.diagnostics(uri))


def config_changed(editor, path) -> None:
    """Tell the server a config file changed, the way this client would."""
    if any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in editor.registrations):
        editor.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)])
        )
    else:  # no file watching (Neovim 0.7): the server re-reads config files on save
        for uri in editor.texts:
            editor.save(uri)


async def test_initialization_options(launch, client_name):
    editor = await launch(client_name, init_options={"ignore": ["F841"], "severity": {"LY103": "error"}})
    uri = editor.open("build.py", CODE)
    [diag] = await editor.diagnostics(uri)
    assert diag.code == "LY103" and diag.severity == types.DiagnosticSeverity.Error


async def test_editor_settings_override_files_only_where_set(launch, client_name, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.leery]\nignore = ["F841"]\n', encoding="utf-8")
    # An editor's defaults (empty select, empty severity table) must not switch rules off.
    editor = await launch(client_name, init_options={"select": [], "severity": {}, "extendIgnore": None, "debounce": 0})
    uri = editor.open("build.py", CODE)
    assert await codes(editor, uri) == ["LY103"]


async def test_configuration_changes(launch, client_name):
    editor = await launch(client_name)
    uri = editor.open("build.py", CODE)
    assert await codes(editor, uri) == ["F841", "LY103"]
    if editor.client.capabilities.workspace.configuration:
        editor.client.set_configuration({"ignore": ["LY103"]}, section="leery")
        editor.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    else:
        editor.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"leery": {"ignore": ["LY103"]}})
        )
    await editor.expect_codes(uri, ["F841"])


async def test_workspace_configuration_at_start(launch, client_name):
    if client_name == "neovim-0.7":
        pytest.skip("Neovim 0.7 does not offer workspace/configuration (settings arrive by didChangeConfiguration)")
    editor = await launch(client_name, config={"ignore": ["F841"]})
    uri = editor.open("build.py", CODE)
    assert await codes(editor, uri) == ["LY103"]


async def test_broken_config_keeps_the_last_good_one(launch, client_name, tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.leery]\nignore = ["F841"]\n', encoding="utf-8")
    editor = await launch(client_name)
    uri = editor.open("build.py", CODE)
    assert await codes(editor, uri) == ["LY103"]

    pyproject.write_text('[tool.leery]\nignore = ["F841"]\nselect = ["NOPE"]\n', encoding="utf-8")
    config_changed(editor, pyproject)
    [problem] = await editor.pushed(pyproject.as_uri(), None)
    assert problem.severity == types.DiagnosticSeverity.Error and problem.range.start.line == 2
    assert "NOPE" in problem.message and problem.source == "leery"
    assert any("NOPE" in m.message and m.type == types.MessageType.Error for m in editor.client.messages)
    assert await codes(editor, uri) == ["LY103"]  # the last good config is still in force

    pyproject.write_text('[tool.leery]\nignore = ["LY103"]\n', encoding="utf-8")
    config_changed(editor, pyproject)
    while editor.published[pyproject.as_uri()][-1][1]:  # the problem is cleared
        await editor.next_publish(pyproject.as_uri())
    await editor.expect_codes(uri, ["F841"])


async def test_invalid_toml_is_reported_with_its_position(launch, client_name, tmp_path):
    leery_toml = tmp_path / "leery.toml"
    leery_toml.write_text('select = ["LY1"\nignore = 3\n', encoding="utf-8")
    editor = await launch(client_name)
    uri = editor.open("build.py", CODE)
    assert await codes(editor, uri) == ["F841", "LY103"]  # defaults: no good config yet
    [problem] = await editor.pushed(leery_toml.as_uri(), None)
    assert "invalid TOML" in problem.message and problem.range.start.line == 1


async def test_each_folder_has_its_own_config(launch, client_name, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, ignored in ((a, "F841"), (b, "LY103")):
        folder.mkdir()
        (folder / "pyproject.toml").write_text(f'[tool.leery]\nignore = ["{ignored}"]\n', encoding="utf-8")
    editor = await launch(client_name, folders=[a, b])
    uri_a = editor.open("a/build.py", CODE)
    uri_b = editor.open("b/build.py", CODE)
    assert await codes(editor, uri_a) == ["LY103"]
    assert await codes(editor, uri_b) == ["F841"]


async def test_the_vscode_extensions_settings(launch):
    """What client-vscode sends: initializationOptions {"settings": {...}} with every key it has."""
    settings = {
        "enable": True, "select": [], "ignore": ["F841"], "extendSelect": [], "severity": {"LY103": "info"},
        "debounce": 200, "interpreter": "", "path": "", "importStrategy": "useBundled", "scope": "openFiles",
        "showNotifications": "onError", "trace": {"server": "off"},
    }
    editor = await launch("vscode", init_options={"settings": settings})
    uri = editor.open("build.py", CODE)
    [diag] = await editor.diagnostics(uri)
    assert diag.code == "LY103" and diag.severity == types.DiagnosticSeverity.Information
    assert not [m for m in editor.client.log_messages if "unknown editor setting" in m.message]


def test_configuration_without_values_keeps_initialization_options():
    """A client that answers workspace/configuration with {} must not reset the debounce."""
    from leery.lsp.settings import EditorSettings

    initial = EditorSettings.parse({"debounce": 0, "select": ["LY1"]})
    later = EditorSettings.parse({}, base=initial)
    assert later.debounce_ms == 0
    assert later.overrides == {}  # the configuration answer is the truth for analysis settings
    changed = EditorSettings.parse({"debounce": 300, "ignore": ["LY101"]}, base=initial)
    assert changed.debounce_ms == 300
    assert changed.overrides == {"ignore": ["LY101"]}
