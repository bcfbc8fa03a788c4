"""`leery serve`: start the language server on stdio (or TCP), logging to stderr and to the
client's `window/logMessage`. stdout carries the protocol and nothing else."""

from __future__ import annotations

import gc
import logging
import sys


class ClientLogHandler(logging.Handler):
    """Forwards leery's log records to the client (from any thread)."""

    def __init__(self, server) -> None:
        super().__init__()
        self.server = server

    def emit(self, record: logging.LogRecord) -> None:
        from lsprotocol import types

        if getattr(record, "local_only", False) or getattr(self.server.protocol, "_shutdown", False):
            return  # a failure to send must not be sent (it would loop), nor anything after shutdown
        kind = (
            types.MessageType.Error
            if record.levelno >= logging.ERROR
            else types.MessageType.Warning
            if record.levelno >= logging.WARNING
            else types.MessageType.Info
            if record.levelno >= logging.INFO
            else types.MessageType.Log
        )
        try:
            message = self.format(record)
            params = types.LogMessageParams(type=kind, message=message)
            loop = getattr(self.server, "loop", None)  # set at initialize
            if loop is None or loop.is_closed() or self.server.protocol.writer is None:
                return
            loop.call_soon_threadsafe(self.server.window_log_message, params)
        except Exception:  # leery: ignore[LY101] -- logging must never take the server down; stderr still has the record
            pass


def _setup_logging(level: str, server) -> ClientLogHandler:
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [stderr]
    root.setLevel(logging.WARNING)
    leery = logging.getLogger("leery")
    leery.setLevel(getattr(logging, level.upper(), logging.INFO))
    client = ClientLogHandler(server)
    client.setFormatter(logging.Formatter("%(message)s"))
    leery.addHandler(client)
    # pygls logs every message body at INFO: only its problems are worth the bytes.
    logging.getLogger("pygls").setLevel(logging.DEBUG if level == "debug" else logging.WARNING)
    # bandit's optional formatter plugins (sarif needs sarif_om) fail to load on every start;
    # leery never uses bandit's formatters, so that error is noise in the user's log.
    logging.getLogger("stevedore.extension").setLevel(logging.CRITICAL)
    return client


def _one_malloc_arena() -> None:
    """glibc gives each thread that allocates its own malloc arena; the server's threads (fast
    and slow tiers, the reader, the index build) then each keep freed memory the others cannot
    reuse: ~20 MB more resident after editing a 5.6k-line file (128 -> 150 MB peak with the
    131k-line workspace). The GIL serialises allocation anyway, so one arena costs nothing.
    Other C libraries (musl, macOS, Windows) have no mallopt: nothing to do there."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(-8, 1)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc
        pass


def run(args) -> int:
    _one_malloc_arena()  # before any thread starts
    gc.disable()  # collections happen after each analysis instead (see DESIGN.md, Performance)
    from leery.lsp.server import build_server

    server = build_server()
    _setup_logging(getattr(args, "log_level", "info") or "info", server)
    tcp = getattr(args, "tcp", None)
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
        return 0
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() in a rule must not corrupt the protocol stream
    server.start_io(sys.stdin.buffer, protocol_out)
    return 0
