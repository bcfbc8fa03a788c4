"""Analysis of open documents: debounced, off the event loop, newest version only.

One store of results feeds both push (`publishDiagnostics`) and pull (`textDocument/diagnostic`).
Per document: a change (re)starts the debounce timer; when it fires and no analysis of that
document is running, the newest text is analysed; if one is running, it is marked dirty and
re-runs with the newest text when it finishes. Versions in between are never analysed, and a
result for an outdated version is dropped. The fast tier is published as soon as it is ready;
the slow tier (jedi, the workspace index) and the garbage collection after it follow on their
own thread, in a task the fast path never waits for: the fast tier of the next version starts
while the slow tier of the previous one is still running. A slow tier whose fast findings are
no longer the ones shown is skipped before it starts, or its result dropped after.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lsprotocol import types


if TYPE_CHECKING:
    from leery.core.findings import Finding
    from leery.lsp.documents import Unit
    from leery.lsp.session import Session

log = logging.getLogger("leery.lsp")
SLOW_SETTLE = 0.2  # seconds without a change before the slow tier (jedi, the index) runs
GC_EVERY = 60.0  # seconds: at most this long without a collection while the user keeps typing


@dataclass
class Result:
    unit: "Unit"
    fast: list["Finding"]
    slow: list["Finding"] | None  # None: the slow tier has not finished for this version
    carried: list["Finding"] = field(default_factory=list)  # older slow findings on unchanged lines
    generation: int = 0
    diagnostics: dict[str, list[types.Diagnostic]] = field(default_factory=dict)
    result_ids: dict[str, str] = field(default_factory=dict)  # per target: names the content
    stale: bool = False  # settings or other files changed: a re-analysis of this version is due

    @property
    def findings(self) -> list["Finding"]:
        return self.fast + (self.slow if self.slow is not None else self.carried)

    @property
    def complete(self) -> bool:
        return self.slow is not None


@dataclass
class Job:
    timer: asyncio.Task | None = None
    running: bool = False
    dirty: bool = False
    slow_next: tuple | None = None  # (unit, ctx, fast, epoch): the newest version waiting for its slow tier
    slow_running: bool = False  # this document's slow-tier task is alive


def run_analysis(unit: "Unit", settings, workspace, tiers: tuple[str, ...], state=None, source=None) -> list["Finding"]:
    """`state`: the document's leery.core.incremental.State, so that the fast tier re-analyses
    only the function an edit touched; `source`: the SourceFile to analyse (else unit.source)."""
    from leery.core.engine import analyze

    return analyze(source if source is not None else unit.source, settings, workspace, tiers=tiers, state=state)


class Analyzer:
    def __init__(self, session: "Session") -> None:
        self.session = session
        self.fast_pool = ThreadPoolExecutor(1, thread_name_prefix="leery-fast")
        self.slow_pool = ThreadPoolExecutor(1, thread_name_prefix="leery-slow")
        self.bulk_pool = ThreadPoolExecutor(1, thread_name_prefix="leery-bulk")  # whole-workspace runs
        self.results: dict[str, Result] = {}
        self.states: dict[str, Any] = {}  # path -> leery.core.incremental.State
        # The fast tier's tree of a document (State.lineage) is spliced in place from version to
        # version (leery.core.reparse). The slow tier borrows it while it holds the slow tier's
        # version, instead of parsing the text again: one tree per document, as before the
        # splice (a second one cost ~15 MB on the 5.6k-line file). While it is lent, the fast
        # tier parses afresh and starts a new lineage; the lock guards lending and splicing.
        self._trees = threading.Lock()
        self._lent: dict[str, Any] = {}  # path -> the Lineage the slow tier is reading
        self._collected = 0.0  # loop time of the last collection made while typing went on
        self.jobs: dict[str, Job] = {}
        self._waiters: dict[str, list[asyncio.Future]] = {}
        self._generation = 0
        self._epochs: dict[str, int] = {}  # bumped by invalidate(): results of an older epoch are stale
        self._refresh_pending = False

    # -- scheduling ------------------------------------------------------------------------
    def schedule(self, uri: str, delay_ms: int | None = None) -> None:
        job = self.jobs.setdefault(uri, Job())
        if job.timer is not None:
            job.timer.cancel()
        delay = self.session.debounce_ms(uri) if delay_ms is None else delay_ms
        job.timer = asyncio.get_running_loop().create_task(self._after(uri, delay / 1000))

    async def _after(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        await self.session.ready.wait()
        job = self.jobs.get(uri)
        if job is None:
            return
        job.timer = None
        if job.running:
            job.dirty = True
            return
        await self._run(uri, job)

    def mark_stale(self, uri: str) -> None:
        """What is stored no longer holds (settings or another file changed); waiters wait."""
        self._epochs[uri] = self._epochs.get(uri, 0) + 1
        result = self.results.get(uri)
        if result is not None:
            result.stale = True

    def invalidate(self, uri: str) -> None:
        """Re-analyse (settings or other files changed). A pending debounce is left alone: the
        user is typing, and that analysis will see the new state anyway."""
        self.mark_stale(uri)
        job = self.jobs.get(uri)
        if job is None or job.timer is None:
            self.schedule(uri, 0)

    def forget(self, uri: str) -> None:
        """The document closed: stop its work, drop its results, clear what was published."""
        self._epochs.pop(uri, None)
        job = self.jobs.pop(uri, None)
        if job is not None and job.timer is not None:
            job.timer.cancel()
        result = self.results.pop(uri, None)
        if result is not None:
            self.states.pop(result.unit.path, None)
        targets = result.unit.targets if result else [uri]
        if not self.session.pull:
            for target in targets:
                self.session.publish(target, None, [])
        self._wake(uri)

    async def _run(self, uri: str, job: Job) -> None:
        loop = asyncio.get_running_loop()
        job.running = True
        try:
            while True:
                job.dirty = False
                epoch = self._epochs.get(uri, 0)
                unit = self.session.unit_for(uri)
                if unit is None:
                    return
                ctx = self.session.context_for(unit)
                if not ctx.enabled:
                    self.forget(uri)
                    return
                fast = await loop.run_in_executor(self.fast_pool, self._safe, unit, ctx, ("fast",))
                if self._current(uri, unit):
                    self._store(uri, unit, fast, None, epoch)
                    job.slow_next = (unit, ctx, fast, epoch)  # replaces an older version still waiting
                    if not job.slow_running:
                        job.slow_running = True
                        self.session.spawn(self._run_slow(uri, job))
                if not job.dirty or job.timer is not None:  # a pending debounce takes over
                    return
        finally:
            job.running = False

    async def _run_slow(self, uri: str, job: Job) -> None:
        """One task per document: the slow tier of the newest version whose fast findings are
        shown. Versions typed past while it ran are never queued (nor their texts and trees kept)."""
        loop = asyncio.get_running_loop()
        try:
            while job.slow_next is not None:
                await self._settle(uri)
                if job.slow_next is None:
                    break
                unit, ctx, fast, epoch = job.slow_next
                job.slow_next = None
                outcome = await loop.run_in_executor(self.slow_pool, self._slow_if_shown, uri, unit, ctx, fast)
                if outcome is not None and self._shown(uri, unit, fast):
                    slow, others = outcome
                    self._store(uri, unit, fast, slow, epoch)
                    for other in others:
                        self.session.changed_elsewhere(other)
        finally:
            job.slow_running = False
            job.slow_next = None

    async def _settle(self, uri: str) -> None:
        """Wait until the document has not changed for SLOW_SETTLE seconds. jedi holds the GIL
        for long stretches: run while the user types, it would slow down every keystroke's fast
        tier (a burst at 80 ms a key took 3x a single edit's latency); its findings follow
        once typing pauses."""
        loop = asyncio.get_running_loop()
        while True:
            version = self.session.unit_version(uri)
            await asyncio.sleep(SLOW_SETTLE)
            if self.session.unit_version(uri) == version:
                return
            if loop.time() - self._collected > GC_EVERY:
                # Collections follow slow runs, i.e. pauses in typing (automatic gc is off). The
                # fast tier leaves no cyclic garbage (soak: flat over 10,000 edits without any
                # collection while typing); collecting anyway cost the next keystroke 40 ms and
                # more (a full collection with jedi's caches: 60-190 ms). This is a backstop.
                self._collected = loop.time()
                await loop.run_in_executor(self.slow_pool, gc.collect)

    def _current(self, uri: str, unit: "Unit") -> bool:
        now = self.session.unit_version(uri)
        return uri in self.jobs and now == unit.version

    def _shown(self, uri: str, unit: "Unit", fast: list["Finding"]) -> bool:
        """Are these fast findings still what is stored (not replaced by a newer version or a
        re-analysis)? Only then may the slow findings of the same run join them."""
        result = self.results.get(uri)
        return result is not None and result.fast is fast and self._current(uri, unit)

    def _slow_if_shown(self, uri: str, unit: "Unit", ctx, fast: list["Finding"]):
        """On the slow thread: skip the work for a version the user has already typed past.
        (Reads the loop's dicts without a lock: a stale answer only costs one wasted run, and
        the loop checks again before storing.) The collection after each slow run keeps memory
        flat (skipping it whenever a newer version waited let the 10,000-edit soak grow from
        76 to 82 MB); it runs here, so the fast tier never waits for it."""
        if not self._shown(uri, unit, fast):
            return None
        lent = self._borrow(unit)
        try:
            outcome = self._slow(unit, ctx)
        finally:
            # The stored result keeps the unit; a code action parses its text again if it needs
            # a tree (the fast tier's goes on changing once it is given back).
            unit.__dict__.pop("source", None)
            if lent:
                self._give_back(unit)
        gc.collect()
        return outcome

    def _state(self, unit: "Unit", tiers: tuple[str, ...]):
        """The incremental state of a document's fast tier (only the fast pool's thread uses it)."""
        if tiers != ("fast",):
            return None
        from leery.core.incremental import State

        return self.states.setdefault(unit.path, State())

    def _fast_source(self, unit: "Unit", state):
        """The fast tier's SourceFile: the document's tree spliced (or parsed, when it is lent)."""
        from leery.core.reparse import source_for

        with self._trees:
            lineage = state.lineage if state.lineage is not self._lent.get(unit.path) else None
            source, state.lineage = source_for(lineage, unit.text, unit.path)
        return source

    def _borrow(self, unit: "Unit") -> bool:
        """Give the slow tier the fast tier's tree when it is of this very version."""
        from leery.core.source import SourceFile

        with self._trees:
            state = self.states.get(unit.path)
            lineage = state.lineage if state is not None else None
            if lineage is None or unit.path in self._lent or "source" in unit.__dict__ or lineage.lines != unit.lines:
                return False
            self._lent[unit.path] = lineage
            unit.__dict__["source"] = SourceFile(unit.text, unit.path, tree=lineage.tree)
        return True

    def _give_back(self, unit: "Unit") -> None:
        with self._trees:
            self._lent.pop(unit.path, None)

    def _safe(self, unit: "Unit", ctx, tiers: tuple[str, ...]) -> list["Finding"]:
        try:
            state = self._state(unit, tiers)
            source = self._fast_source(unit, state) if state is not None else None
            return run_analysis(unit, ctx.settings, ctx.workspace, tiers, state, source)
        except Exception as exc:  # a bug (or LEERY_STRICT): report it, keep serving
            log.error("leery: analysis of %s failed: %s: %s", unit.path, type(exc).__name__, exc, exc_info=exc)
            # An empty list would read as "nothing found"; say that the analysis stopped.
            from leery.core.engine import meta_finding
            from leery.core.findings import Span

            message = f"analysis of this file failed ({type(exc).__name__}: {exc}); findings are missing"
            return [meta_finding("LY004", unit.path, Span(0, 0, 0, 0), message)]

    def _slow(self, unit: "Unit", ctx) -> tuple[list["Finding"], set[str]]:
        others: set[str] = set()
        if ctx.workspace is not None and not unit.cells:
            try:
                others = set(ctx.workspace.update(unit.path, unit.source.text, unit.source) or ())  # parse once
            except Exception as exc:
                log.error("leery: workspace index update for %s failed: %s", unit.path, exc, exc_info=exc)
        others.discard(unit.path)
        return self._safe(unit, ctx, ("slow",)), others

    # -- the store -------------------------------------------------------------------------
    def _store(self, uri: str, unit: "Unit", fast: list["Finding"], slow: list["Finding"] | None, epoch: int = 0) -> None:
        previous = self.results.get(uri)
        carried: list = []
        if slow is None and previous is not None:
            carried = _carry_over(previous, unit)
        self._generation += 1
        result = Result(unit, fast, slow, carried, self._generation)
        result.stale = epoch != self._epochs.get(uri, 0)
        result.diagnostics = self.session.diagnostics_for(result)
        result.result_ids = {t: _result_id(unit.version, d) for t, d in result.diagnostics.items()}
        self.results[uri] = result
        # The slow tier's answer usually equals what is shown: then there is nothing to send.
        changed = previous is None or previous.unit.version != unit.version or previous.result_ids != result.result_ids
        if changed and self.session.pull:
            # A pull client asks again after its own edits; anything else it must be told.
            if slow is not None or (previous is not None and previous.unit.version == unit.version):
                self._refresh()
        elif changed:
            for target in unit.targets:
                self.session.publish(target, unit.version if not unit.cells else None, result.diagnostics.get(target, []))
            for gone in set(previous.unit.targets if previous else ()) - set(unit.targets):  # a removed cell
                self.session.publish(gone, None, [])
        self._wake(uri)

    def _refresh(self) -> None:
        """Ask a pull client to pull again (slow findings arrived, or other files changed)."""
        if not self.session.refresh_support or self._refresh_pending:
            return
        self._refresh_pending = True

        def done(_future) -> None:
            self._refresh_pending = False

        self.session.server.workspace_diagnostic_refresh(None).add_done_callback(done)

    def refresh_all(self) -> None:
        self._refresh()

    def _wake(self, uri: str) -> None:
        for future in self._waiters.pop(uri, []):
            if not future.done():
                future.set_result(None)

    async def wait(self, uri: str, version: Any, complete: bool) -> Result | None:
        """The result for `version` (or newer) of an open document; None once it closes."""
        while True:
            result = self.results.get(uri)
            if self.session.unit_version(uri) is _CLOSED:
                return None
            if (
                result is not None
                and not result.stale
                and _not_older(result.unit.version, version)
                and (result.complete or not complete)
            ):
                return result
            job = self.jobs.get(uri)
            if job is None or (not job.running and job.timer is None and not job.slow_running):
                self.schedule(uri, 0)
            future = asyncio.get_running_loop().create_future()
            self._waiters.setdefault(uri, []).append(future)
            await future


_CLOSED = object()


def _result_id(version: Any, diagnostics: list[types.Diagnostic]) -> str:
    import hashlib

    digest = hashlib.sha1(repr(version).encode(), usedforsecurity=False)
    for d in diagnostics:
        digest.update(repr((d.code, d.range, d.message, d.severity)).encode("utf-8"))
    return digest.hexdigest()[:16]


def _not_older(have: Any, want: Any) -> bool:
    if have is None or want is None:
        return have == want or want is None
    return have >= want


def _carry_over(previous: Result, unit: "Unit") -> list:
    """Slow findings of the previous version whose lines read the same now: they keep showing
    while the slow tier re-runs, instead of blinking out on every keystroke."""
    old = previous.slow if previous.slow is not None else previous.carried
    kept = []
    for finding in old:
        span = finding.span
        lines = range(span.start_line, span.end_line + 1)
        if all(previous.unit.line_text(n) == unit.line_text(n) for n in lines) and span.end_line < len(unit.lines):
            kept.append(finding)
    return kept


__all__ = ["Analyzer", "Result", "_CLOSED"]
