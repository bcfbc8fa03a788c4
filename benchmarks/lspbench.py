"""The language-server side of the benchmark: one scenario, run the same way against every server.

Per server: initialize (spawn to answer, several spawns, median), then one session with the
131k-line workspace as its folder: open each file (time to its first diagnostics), edits one at
a time after a pause (send -> first diagnostics of that version: p50, p95), three typing bursts
(a keystroke every 80 ms; last keystroke -> its diagnostics, median), peak RSS (VmHWM) at the end.

Edits insert `bench_N = N` as a new statement inside a function body and remove it again, at
sites spread over the whole file: the file stays valid, every edit changes the diagnostics
(an unused local), and no server can skip the work.
"""

from __future__ import annotations

import ast
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lspclient import LspProcess, is_diagnostics_for

BURST_TEXT = "value = compute(1)"
KEY_INTERVAL = 0.080


@dataclass
class Server:
    name: str
    cmd: list[str]
    options: dict[str, Any] = field(default_factory=dict)
    diagnostics: bool = True  # False: the do-nothing baseline (initialize only)
    indexes: bool = False  # wait for its workspace index ($/progress end) before opening files
    note: str = ""


@dataclass
class FileResult:
    lines: int
    ast_parse_ms: float
    first_ms: float | None = None
    edits_ms: list[float] = field(default_factory=list)
    bursts_ms: list[float] = field(default_factory=list)  # one per burst, in file order
    error: str | None = None

    def p(self, q: float) -> float | None:
        if not self.edits_ms:
            return None
        data = sorted(self.edits_ms)
        return data[min(len(data) - 1, int(round(q * (len(data) - 1))))]

    @property
    def burst_ms(self) -> float | None:
        """The median burst: where the last key falls against the analysis in flight varies
        from burst to burst, so one burst is a draw, not a measurement."""
        return statistics.median(self.bursts_ms) if self.bursts_ms else None


@dataclass
class ServerResult:
    name: str
    initialize_ms: list[float] = field(default_factory=list)
    files: dict[str, FileResult] = field(default_factory=dict)
    peak_rss_mb: float | None = None
    index_ms: float | None = None
    error: str | None = None

    @property
    def initialize_p50(self) -> float | None:
        return statistics.median(self.initialize_ms) if self.initialize_ms else None


def ast_parse_ms(text: str, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        ast.parse(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def edit_sites(text: str, count: int) -> list[tuple[int, str]]:
    """(0-based line, indentation) of statements in function bodies, spread evenly over the file."""
    lines = text.split("\n")
    sites = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue  # decorators sit above lineno
            line = stmt.lineno - 1
            before = lines[line][: stmt.col_offset]
            if before.strip() or not lines[line][stmt.col_offset :].strip():
                continue
            if line > 0 and lines[line - 1].rstrip().endswith("\\"):
                continue
            sites.append((line, before))
    sites.sort()
    if not sites:
        raise ValueError("no function-body statement to edit")
    step = max(1, len(sites) // count)
    return sites[::step][:count]


def _burst(session: "Session", line: int, indent: str, timeout: float, pause: float) -> float:
    """Type BURST_TEXT a key every KEY_INTERVAL on a new line; ms from the last key to its
    diagnostics. The line is removed again afterwards."""
    session.change((line, 0), (line, 0), indent + "\n")
    session.wait_version(timeout)
    time.sleep(pause)
    start = time.perf_counter()
    sent = start
    for k, char in enumerate(BURST_TEXT):
        delay = start + k * KEY_INTERVAL - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent = session.change((line, len(indent) + k), (line, len(indent) + k), char)
    burst = (session.wait_version(timeout) - sent) * 1000
    session.change((line, 0), (line + 1, 0), "")
    session.wait_version(timeout)
    time.sleep(pause)
    return burst


def _pos(line: int, col: int) -> dict[str, int]:
    return {"line": line, "character": col}


class Session:
    def __init__(self, proc: LspProcess, uri: str, text: str) -> None:
        self.proc = proc
        self.uri = uri
        self.version = 1
        proc_text = text
        self.sent_open = proc.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": proc_text}}
        )

    def wait_version(self, timeout: float) -> float:
        return self.proc.wait_for(is_diagnostics_for(self.uri, self.version), timeout).at

    def change(self, start: tuple[int, int], end: tuple[int, int], text: str) -> float:
        self.version += 1
        return self.proc.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [{"range": {"start": _pos(*start), "end": _pos(*end)}, "text": text}],
            },
        )

    def close(self) -> None:
        self.proc.notify("textDocument/didClose", {"textDocument": {"uri": self.uri}})


def measure_initialize(server: Server, root: Path, logs: Path) -> float:
    proc = LspProcess(server.cmd, root, logs / f"{server.name}-init.stderr")
    try:
        return proc.initialize(root, server.options) * 1000
    finally:
        proc.close()


def measure_session(
    server: Server, root: Path, files: dict[str, Path], edits: int, logs: Path, timeout: float, pause: float
) -> ServerResult:
    result = ServerResult(server.name)
    proc = LspProcess(server.cmd, root, logs / f"{server.name}-session.stderr")
    try:
        proc.initialize(root, server.options)
        if server.indexes:
            start = time.perf_counter()
            deadline = start + 300
            while not proc.progress_ends and time.perf_counter() < deadline:
                time.sleep(0.05)
            if proc.progress_ends:
                result.index_ms = (proc.progress_ends[0].at - start) * 1000
        for label, path in files.items():
            text = path.read_text(encoding="utf-8")
            fr = FileResult(text.count("\n"), ast_parse_ms(text))
            result.files[label] = fr
            try:
                _run_file(proc, path, text, fr, edits, timeout, pause)
            except Exception as exc:  # record and go on: one server's failure must not void the run
                fr.error = f"{type(exc).__name__}: {exc}"
        result.peak_rss_mb = proc.peak_rss_mb()
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        proc.close()
    return result


def _run_file(proc: LspProcess, path: Path, text: str, fr: FileResult, edits: int, timeout: float, pause: float) -> None:
    session = Session(proc, path.as_uri(), text)
    fr.first_ms = (session.wait_version(timeout) - session.sent_open) * 1000
    sites = edit_sites(text, max(1, edits // 2))
    for i in range(edits):
        # A pause like a person's between two edits: the server may finish slower work (leery's
        # slow tier) first, so each edit measures one analysis, not a queue; the burst below
        # measures the queue.
        time.sleep(pause)
        line, indent = sites[(i // 2) % len(sites)]
        if i % 2 == 0:
            sent = session.change((line, 0), (line, 0), f"{indent}bench_{i} = {i}\n")
        else:
            sent = session.change((line, 0), (line + 1, 0), "")
        fr.edits_ms.append((session.wait_version(timeout) - sent) * 1000)
    # Typing bursts, each on a fresh line: at a quarter, half and three quarters of the file.
    for line, indent in (sites[len(sites) * k // 4] for k in (1, 2, 3)):
        fr.bursts_ms.append(_burst(session, line, indent, timeout, pause))
    session.close()
