"""A small JSON-RPC client over a language server's stdio, with receive times on every message.

Plain threads and blocking pipes: a reader thread stamps each message with perf_counter() the
moment it is parsed, so a slow benchmark loop cannot inflate a server's latency. Requests the
server sends to the client (configuration, progress tokens, registrations) are answered at once.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


@dataclass
class Message:
    at: float
    body: dict[str, Any]

    @property
    def method(self) -> str | None:
        return self.body.get("method")

    @property
    def params(self) -> dict[str, Any]:
        return self.body.get("params") or {}


CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True, "dynamicRegistration": False},
        "publishDiagnostics": {"versionSupport": True, "relatedInformation": True, "codeDescriptionSupport": True, "dataSupport": True},
    },
    "workspace": {"configuration": True, "workspaceFolders": True, "didChangeConfiguration": {"dynamicRegistration": True}},
    "window": {"workDoneProgress": True},
}


class ServerGone(Exception):
    pass


class LspProcess:
    def __init__(self, cmd: list[str], cwd: Path, stderr_path: Path, env: dict[str, str] | None = None) -> None:
        self.started = time.perf_counter()
        self.configuration: dict[str, Any] = {}  # what workspace/configuration answers (per item)
        self._stderr = open(stderr_path, "wb")
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env or os.environ.copy()
        )
        self.pid = self.proc.pid
        self._write_lock = threading.Lock()
        self._next_id = 0
        self.responses: dict[int, Message] = {}
        self._response_ready = threading.Condition()
        self.inbox: "queue.Queue[Message | None]" = queue.Queue()
        self.progress_ends: list[Message] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # -- wire ------------------------------------------------------------------------------
    def _send(self, body: dict[str, Any]) -> float:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        with self._write_lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)  # type: ignore[union-attr]
            self.proc.stdin.flush()  # type: ignore[union-attr]
            return time.perf_counter()

    def send_raw(self, data: bytes) -> None:
        """Bytes as they are, framing included (for tests of malformed input)."""
        with self._write_lock:
            self.proc.stdin.write(data)  # type: ignore[union-attr]
            self.proc.stdin.flush()  # type: ignore[union-attr]

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                assert length is not None
                body = json.loads(out.read(length))
                message = Message(time.perf_counter(), body)
                if "method" in body and "id" in body:
                    self._answer(body)
                elif "id" in body:
                    with self._response_ready:
                        self.responses[body["id"]] = message
                        self._response_ready.notify_all()
                else:
                    if body.get("method") == "$/progress" and (body["params"].get("value") or {}).get("kind") == "end":
                        self.progress_ends.append(message)
                    self.inbox.put(message)
        finally:
            self.inbox.put(None)
            with self._response_ready:
                self._response_ready.notify_all()

    def _answer(self, request: dict[str, Any]) -> None:
        method = request["method"]
        if method == "workspace/configuration":
            result: Any = [self.configuration for _ in request["params"]["items"]]
        else:  # window/workDoneProgress/create, client/registerCapability, ...
            result = None
        self._send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    # -- API -------------------------------------------------------------------------------
    def notify(self, method: str, params: Any) -> float:
        return self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 60.0) -> tuple[float, Message]:
        """Send and wait; returns (send time, response)."""
        self._next_id += 1
        rid = self._next_id
        sent = self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return sent, self.response(rid, method, timeout)

    def response(self, rid: Any, what: str = "a request", timeout: float = 60.0) -> Message:
        """Wait for the response with this id."""
        deadline = time.perf_counter() + timeout
        with self._response_ready:
            while rid not in self.responses:
                if self.proc.poll() is not None and not self._reader.is_alive():
                    raise ServerGone(f"server exited with {self.proc.returncode} while waiting for {what}")
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimeoutError(f"no answer to {what} in {timeout}s")
                self._response_ready.wait(left)
            return self.responses.pop(rid)

    def wait_for(self, predicate: Callable[[Message], bool], timeout: float = 60.0) -> Message:
        """The next notification that satisfies predicate (earlier ones are dropped)."""
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no matching notification")
            try:
                message = self.inbox.get(timeout=left)
            except queue.Empty:
                raise TimeoutError("no matching notification") from None
            if message is None:
                self.inbox.put(None)
                raise ServerGone(f"server closed its output (exit {self.proc.poll()})")
            if predicate(message):
                return message

    def initialize(self, root: Path, options: dict[str, Any] | None = None, timeout: float = 60.0) -> float:
        """Seconds from process start to the initialize answer; sends `initialized` too."""
        params = {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "rootPath": str(root),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": CAPABILITIES,
            "initializationOptions": options or {},
            "clientInfo": {"name": "leery-bench", "version": "1"},
        }
        # An editor answers workspace/configuration with the same settings it started the server with.
        self.configuration = options or {}
        _, response = self.request("initialize", params, timeout=timeout)
        if "error" in response.body:
            raise RuntimeError(f"initialize failed: {response.body['error']}")
        self.notify("initialized", {})
        return response.at - self.started

    def peak_rss_mb(self) -> float | None:
        """VmHWM: the most resident memory the process ever had."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def close(self, timeout: float = 10.0) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, timeout=timeout)
                self.notify("exit", None)
                self.proc.wait(timeout=timeout)
        except (TimeoutError, ServerGone, BrokenPipeError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._stderr.close()


@dataclass
class Document:
    """The client's copy of one open document, kept in step with what was sent."""

    uri: str
    text: str
    version: int = 1
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")


def is_diagnostics_for(uri: str, version: int | None) -> Callable[[Message], bool]:
    """A publishDiagnostics for uri of this version (any, when the server sends no version)."""

    def match(message: Message) -> bool:
        if message.method != "textDocument/publishDiagnostics" or message.params.get("uri") != uri:
            return False
        got = message.params.get("version")
        return version is None or got is None or got == version

    return match
