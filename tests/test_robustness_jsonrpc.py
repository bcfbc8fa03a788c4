"""`leery serve` over raw stdio against a misbehaving client: malformed JSON-RPC, unknown methods,
requests about documents that were never opened, a client that disappears. Each gets an error
or an empty answer, never a crash or a hang, and the server exits when its client is gone.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from lspclient import LspProcess, is_diagnostics_for  # noqa: E402

LEERY = [str(Path(sys.executable).parent / "leery"), "serve"]
METHOD_NOT_FOUND, INVALID_PARAMS, PARSE_ERROR, INVALID_REQUEST = -32601, -32602, -32700, -32600


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.fixture
def server(tmp_path):
    (tmp_path / "mod.py").write_text("import os\n")
    proc = LspProcess(LEERY, tmp_path, tmp_path / "stderr.log")
    proc.initialize(tmp_path, {"debounce": 0})
    yield proc
    proc.close()
    assert proc.proc.returncode is not None


def still_serving(proc: LspProcess, root: Path) -> None:
    """The server answers a real request and analyses a document after whatever came before."""
    assert proc.proc.poll() is None, (root / "stderr.log").read_text()[-2000:]
    uri = (root / "mod.py").as_uri()
    proc.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "import os\n"}})
    message = proc.wait_for(is_diagnostics_for(uri, 1), timeout=60)
    assert [d["code"] for d in message.params["diagnostics"]] == ["F401"], (root / "stderr.log").read_text()[-3000:]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b"[]",
        b"42",
        b'"text"',
        b"null",
        b'{"jsonrpc": "2.0"}',
        b'{"jsonrpc": "1.0", "id": 90, "method": "shutdown"}',
        b'{"jsonrpc": "2.0", "id": 91, "method": 7}',
        b'{"jsonrpc": "2.0", "id": {"nested": true}, "method": "leery/unknown"}',
        b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": "not an object"}',
        b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": 5}}}',
    ],
    ids=lambda b: b[:40].decode("utf-8", "replace"),
)
def test_malformed_messages_do_not_stop_the_server(server, tmp_path, body):
    server.send_raw(frame(body))
    still_serving(server, tmp_path)


def test_broken_framing_then_recovery(server, tmp_path):
    # A header with no length and a length that is not a number: the reader must resynchronise.
    server.send_raw(b"Content-Type: application/json\r\n\r\n")
    server.send_raw(b"Content-Length: abc\r\n\r\n")
    still_serving(server, tmp_path)


def test_unknown_request_gets_method_not_found(server, tmp_path):
    _, answer = server.request("leery/noSuchThing", {"x": 1}, timeout=30)
    assert answer.body["error"]["code"] == METHOD_NOT_FOUND
    server.notify("leery/noSuchNotification", {"x": 1})
    server.notify("$/noSuchThing", {})
    still_serving(server, tmp_path)


def test_known_request_with_wrong_params_does_not_stop_the_server(server, tmp_path):
    server.send_raw(frame(b'{"jsonrpc": "2.0", "id": 77, "method": "textDocument/hover", "params": {"textDocument": "nope"}}'))
    still_serving(server, tmp_path)


HERE = {"line": 0, "character": 0}


@pytest.mark.parametrize(
    "method, params",
    [
        ("textDocument/hover", {"textDocument": "nope"}),
        ("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": "line 3"}),
        ("textDocument/codeAction", {"textDocument": {"uri": "file:///x.py"}, "range": [1, 2], "context": {"diagnostics": []}}),
        ("textDocument/diagnostic", {"textDocument": ["file:///x.py"]}),
        ("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": "three", "character": 0}}),
    ],
    ids=["text-document-a-string", "position-a-string", "range-a-list", "text-document-a-list", "line-not-a-number"],
)
def test_known_request_with_wrong_params_gets_invalid_params(server, tmp_path, method, params):
    # Before: pygls logged the params it could not read and never answered; the client waited.
    _, answer = server.request(method, params, timeout=20)
    assert answer.body["error"]["code"] == INVALID_PARAMS, answer.body
    assert method in answer.body["error"]["message"]
    still_serving(server, tmp_path)


def test_request_with_an_unusable_id_gets_invalid_request_with_null_id(server, tmp_path):
    body = {"jsonrpc": "2.0", "id": {"nested": True}, "method": "textDocument/hover", "params": {"position": "x"}}
    server.send_raw(frame(json.dumps(body).encode()))
    answer = server.response(None, timeout=20)  # JSON-RPC: the id is null when it could not be read
    assert answer.body["error"]["code"] == INVALID_REQUEST, answer.body
    still_serving(server, tmp_path)


def test_notification_with_wrong_params_is_logged_not_answered(server, tmp_path):
    server.notify("textDocument/didChange", {"textDocument": {"uri": 5, "version": "x"}, "contentChanges": "all"})
    server.notify("textDocument/didOpen", {"textDocument": {"uri": (tmp_path / "mod.py").as_uri(), "version": "one"}})
    # A request sent after them is answered first of anything addressed to us: nothing for them.
    _, answer = server.request("leery/noSuchThing", {}, timeout=20)
    assert answer.body["error"]["code"] == METHOD_NOT_FOUND
    assert server.responses == {}  # response() took out the two it waited for
    arrived = []
    while not server.inbox.empty():
        arrived.append(server.inbox.get_nowait())
    assert not [m.body for m in arrived if m is not None and ("error" in m.body or "result" in m.body)]
    still_serving(server, tmp_path)
    log = (tmp_path / "stderr.log").read_text()
    assert "ignored textDocument/didChange: its params could not be read" in log


def test_unreadable_answer_from_the_client_fails_the_servers_request(server, tmp_path):
    """`leery.suppress` awaits the client's answer to workspace/applyEdit; an answer whose result
    cannot be read used to leave that command waiting forever."""
    uri = (tmp_path / "other.py").as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "import os\n"}})
    server.wait_for(is_diagnostics_for(uri, 1), timeout=60)
    answer_normally = server._answer  # noqa: SLF001 - this client answers one request badly

    def answer(request):
        if request["method"] != "workspace/applyEdit":
            return answer_normally(request)
        server._send({"jsonrpc": "2.0", "id": request["id"], "result": "not an ApplyWorkspaceEditResult"})  # noqa: SLF001

    server._answer = answer  # noqa: SLF001
    arguments = [{"uri": uri, "line": 0, "code": "F401", "reason": "re-exported"}]
    _, reply = server.request("workspace/executeCommand", {"command": "leery.suppress", "arguments": arguments}, timeout=20)
    assert "error" in reply.body and "could not be read" in reply.body["error"]["message"], reply.body
    server._answer = answer_normally  # noqa: SLF001
    still_serving(server, tmp_path)


UNKNOWN = "file:///nowhere/never_opened.py"
RANGE = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}


@pytest.mark.parametrize(
    "method, params",
    [
        ("textDocument/hover", {"textDocument": {"uri": UNKNOWN}, "position": {"line": 3, "character": 4}}),
        ("textDocument/codeAction", {"textDocument": {"uri": UNKNOWN}, "range": RANGE, "context": {"diagnostics": []}}),
        ("textDocument/diagnostic", {"textDocument": {"uri": UNKNOWN}}),
        ("workspace/executeCommand", {"command": "leery.suppress", "arguments": [{"uri": UNKNOWN, "line": 0, "code": "F401", "reason": "x"}]}),
        ("workspace/executeCommand", {"command": "leery.explain", "arguments": ["LY999"]}),
        ("workspace/executeCommand", {"command": "leery.noSuchCommand", "arguments": []}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_requests_about_unknown_documents(server, tmp_path, method, params):
    _, answer = server.request(method, params, timeout=30)
    if "error" not in answer.body:
        result = answer.body["result"]
        assert result in (None, [], {}) or isinstance(result, dict), result
    still_serving(server, tmp_path)


def test_changes_to_documents_never_opened(server, tmp_path):
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": UNKNOWN, "version": 2},
        "contentChanges": [{"range": RANGE, "text": "x"}],
    })
    server.notify("textDocument/didClose", {"textDocument": {"uri": UNKNOWN}})
    server.notify("textDocument/didSave", {"textDocument": {"uri": UNKNOWN}})
    still_serving(server, tmp_path)


def test_change_out_of_range_of_an_open_document(server, tmp_path):
    uri = (tmp_path / "other.py").as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "x = 1\n"}})
    server.wait_for(is_diagnostics_for(uri, 1), timeout=60)
    far = {"start": {"line": 500, "character": 90}, "end": {"line": 900, "character": 3}}
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": far, "text": "import os\n"}]})
    message = server.wait_for(is_diagnostics_for(uri, 2), timeout=60)
    lines = 3  # whatever the server made of it, its diagnostics stay inside a short document
    assert all(d["range"]["end"]["line"] <= lines for d in message.params["diagnostics"])
    still_serving(server, tmp_path)


def exited(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def test_exits_when_stdin_closes(tmp_path):
    proc = subprocess.Popen(LEERY, cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        proc.stdin.write(frame(body.encode()))
        proc.stdin.flush()
        proc.stdout.readline()  # the answer is on its way: the server is up
        proc.stdin.close()
        assert proc.wait(timeout=20) is not None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


CLIENT = """
import json, subprocess, sys
server = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}}).encode()
server.stdin.write(b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body)
server.stdin.flush()
server.stdout.readline()
print(server.pid, flush=True)
sys.stdin.read()  # wait to be killed
"""


def test_exits_when_the_client_is_killed(tmp_path):
    """The editor crashes (SIGKILL): its end of the pipes closes, and the server must not linger."""
    client = subprocess.Popen([sys.executable, "-c", CLIENT, *LEERY], cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    server_pid = int(client.stdout.readline())
    try:
        client.send_signal(signal.SIGKILL)
        client.wait(timeout=10)
        assert exited(server_pid, within=20), "the server outlived its client"
    finally:
        if not exited(server_pid, within=0.1):
            os.kill(server_pid, signal.SIGKILL)
