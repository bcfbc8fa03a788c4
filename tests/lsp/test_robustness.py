"""The server keeps serving: malformed messages, a rule that raises, a 50,000-line file, a
deeply nested expression; and `initialize` does not wait for the rules to load."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from lsprotocol import types

from conftest import PLUGIN_SERVER, ROOT

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")

CODE = 'import subprocess\n\n\ndef build():\n    subprocess.run(["make"])\n'


async def still_serving(editor) -> None:
    uri = editor.open("alive.py", CODE)
    assert [d.code for d in await editor.diagnostics(uri)] == ["LY103"]


def raw(editor, body: bytes) -> None:
    editor.client.protocol.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)


async def test_malformed_messages(launch, client_name):
    editor = await launch(client_name)
    raw(editor, b"{not json")
    raw(editor, b'{"no": "jsonrpc"}')
    raw(editor, json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 3}}).encode())
    raw(editor, json.dumps({"jsonrpc": "2.0", "method": "leery/unknownNotification", "params": {}}).encode())
    # Requests with bad params or unknown methods (sent raw: the test client would refuse them).
    raw(editor, json.dumps({"jsonrpc": "2.0", "id": "bad-1", "method": "textDocument/hover", "params": {"textDocument": 5}}).encode())
    raw(editor, json.dumps({"jsonrpc": "2.0", "id": "bad-2", "method": "leery/unknownRequest", "params": {}}).encode())
    raw(editor, json.dumps({"jsonrpc": "2.0", "id": "bad-3", "method": "workspace/executeCommand", "params": {"command": "leery.suppress", "arguments": [{"uri": 1}]}}).encode())
    await still_serving(editor)


async def test_a_rule_that_raises_is_reported_and_the_others_still_run(launch, client_name):
    editor = await launch(client_name, command=PLUGIN_SERVER, env={"LEERY_STRICT": "0"}, init_options={"extendSelect": ["LY991"]})
    uri = editor.open("boom.py", CODE + "\n\ndef explode():\n    return 1\n\n\nexplode()\n")
    diags = await editor.diagnostics(uri)
    assert sorted(d.code for d in diags) == ["LY004", "LY103"]
    [incomplete] = [d for d in diags if d.code == "LY004"]
    assert "LY991" in incomplete.message and "RuntimeError" in incomplete.message


async def test_an_analysis_that_fails_is_logged_and_the_server_goes_on(launch, client_name):
    # LEERY_STRICT=1 re-raises rule errors out of analyze(): the server's own guard must hold.
    editor = await launch(client_name, command=PLUGIN_SERVER, env={"LEERY_STRICT": "1"}, init_options={"extendSelect": ["LY991"]})
    uri = editor.open("boom.py", CODE + "\n\ndef explode():\n    return 1\n\n\nexplode()\n")
    # Not an empty list, which would read as "clean": one LY004 saying the analysis stopped.
    diags = await editor.diagnostics(uri)
    assert [(d.code, d.range.start.line) for d in diags] == [("LY004", 0)]
    assert "failed" in diags[0].message and "broken on purpose" in diags[0].message
    assert any(m.type == types.MessageType.Error and "broken on purpose" in m.message for m in editor.client.log_messages)
    await still_serving(editor)


@pytest.mark.slow
@pytest.mark.parametrize("client", ["vscode", "neovim-0.7"])  # one pull client, one push client
async def test_a_file_of_fifty_thousand_lines(launch, client):
    editor = await launch(client)
    chunk = "def f{n}(x):\n    y = x + 1\n    return y\n\n\n"
    body = "".join(chunk.format(n=n) for n in range(10_000))  # 50,000 lines
    text = "import subprocess\n" + body + 'subprocess.run(["make"])\n'
    assert text.count("\n") > 50_000
    uri = editor.open("big.py", text)
    diags = await editor.diagnostics(uri, timeout=120)
    assert [(d.code, d.range.start.line) for d in diags] == [("LY103", 50_001)]
    end = types.Position(line=50_001, character=len('subprocess.run(["make"]'))
    editor.edit(uri, types.Range(start=end, end=end), ", check=True", text.replace('["make"])', '["make"], check=True)'))
    assert await editor.diagnostics(uri, timeout=120) == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("x = " + "(" * 100_000 + ")" * 100_000 + "\n", "LY001"),
        ("x = " + "-" * 200_000 + "1\n", "LY001"),
        ("x = " + " + ".join(["1"] * 50_000) + "\n", "LY001"),
    ],
    ids=["parentheses", "unary", "long-sum"],
)
async def test_deeply_nested_expressions(launch, client_name, text, code):
    editor = await launch(client_name)
    uri = editor.open("deep.py", text)
    diags = await editor.diagnostics(uri, timeout=120)
    assert [d.code for d in diags] == [code]
    await still_serving(editor)


def test_initialize_does_not_load_the_rules():
    """The rules and analyzers load in a thread after `initialized`, not before `initialize`."""
    script = (
        "import sys\n"
        "from leery.lsp.server import build_server\n"
        "build_server()\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('leery.rules', 'leery.analyzers', 'pyflakes', 'bandit', 'jedi')))\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT / "server")})
    assert out.stdout.strip() == "[]"


def test_exits_when_the_client_goes_away(tmp_path):
    """No shutdown, no exit: stdin closes (the editor died). The server must not linger."""

    def frame(message: dict) -> bytes:
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    proc = subprocess.Popen(
        [sys.executable, "-m", "leery", "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={"PYTHONPATH": str(ROOT / "server"), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    try:
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}}))
        proc.stdin.flush()
        assert proc.stdout.readline().startswith(b"Content-Length")
        proc.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        uri = (tmp_path / "a.py").as_uri()
        proc.stdin.write(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": CODE}}}))
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


async def test_notifications_leave_no_futures_behind(tmp_path):
    """pygls keeps a future per generator-handled notification (didChange!) unless the server
    takes it out: memory that grows with every keystroke. In process, without a client."""
    import asyncio

    from leery.lsp.server import build_server

    class Discard:
        def write(self, data):
            pass

        def close(self):
            pass

    server = build_server()
    protocol = server.protocol
    protocol.set_writer(Discard())

    def send(message: dict) -> None:
        protocol.handle_message(json.loads(json.dumps(message), object_hook=protocol.structure_message))

    uri = (tmp_path / "x.py").as_uri()
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}})
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "x = 1\n"}}})
    for version in range(2, 202):
        send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": f"x = {version}\n"}]}})
    await asyncio.sleep(0)
    assert len(protocol._request_futures) < 5  # noqa: SLF001 - what pygls would grow
    for pool in (server.session.analyzer.fast_pool, server.session.analyzer.slow_pool, server.session.analyzer.bulk_pool):
        pool.shutdown(wait=True, cancel_futures=True)
