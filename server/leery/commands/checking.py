"""The work behind `leery check`: discover, build workspaces, analyse in parallel, fix."""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from leery.core import trees
from leery.core.config import Settings
from leery.core.engine import analyze, meta_finding
from leery.core.files import SettingsCache, UnreadableFile, discover, read_text
from leery.core.findings import Finding, Span
from leery.core.fixes import fix_until_stable
from leery.core.registry import load_rules
from leery.core.source import SourceFile
from leery.review import filters
from leery.review.record import project_root
from leery.rules.apis import keywords, modules, names
from leery.workspace.index import records_from_source


@dataclass
class CheckRequest:
    paths: list[Path]
    overrides: dict = field(default_factory=dict)
    config: Path | None = None
    fix: bool = False
    unsafe_fixes: bool = False
    jobs: int = 1
    progress: bool = False
    since: str | None = None  # git revision: keep findings on lines changed since its merge base
    apply_reviews: bool = True  # drop reviewed and baselined findings (`leery review add` needs them all)


@dataclass
class Outcome:
    findings: list[Finding]
    files_checked: int
    fixed: int
    paths: list[str] = field(default_factory=list)  # every file checked


# Set in the parent before the pool forks, so workers share built workspaces copy-on-write.
_STATE: dict = {}


def check_files(request: CheckRequest) -> Outcome:
    load_rules()
    cache = SettingsCache(request.overrides, request.config.resolve() if request.config else None)
    files = discover(request.paths, cache)
    jobs = [(str(p), cache.for_path(p)) for p in files]
    # The review record and baseline: read once here (errors stop the run; forked workers share it).
    if request.apply_reviews:
        filters.install()
        baseline = any(filters.baseline_enabled(settings) for _, settings in jobs)
        filters.preload({project_root(path, settings) for path, settings in jobs}, baseline)
    else:
        filters.uninstall()
    changes = _changes_since(request.paths, request.since) if request.since else None
    workers = min(request.jobs, max(1, len(jobs) // 8))
    # With a pool and no --fix, the index records the cache lacks are computed by the analysis
    # workers from the trees they parse anyway (Workspace.build's `defer`); LY301/LY302 then
    # look again at the few files that need the whole index (_second_look).
    _STATE["workspaces"] = _build_workspaces(request.paths, cache, request.jobs, defer=workers > 1 and not request.fix)
    for root in _answer_roots():
        for kept in _KEPT:
            kept.load_answers(root)
    _STATE["fix"] = (request.fix, request.unsafe_fixes)
    results: list[_Result] = []
    progress = _Progress(len(jobs)) if request.progress and len(jobs) >= 50 else None
    automatic = gc.isenabled()
    _collect_and_freeze(full=True)  # before the fork: workers share these pages and never traverse them
    gc.disable()  # collections happen between files only (_collect_and_freeze)
    modules.batch_run(True, keep_lookups=not request.fix)  # --fix writes files: a module can appear mid-run
    try:
        if workers > 1:
            ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
            chunks = _chunks(jobs, workers)
            ordered = [job for chunk in chunks for job in chunk]
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                for done in pool.map(_check_chunk, chunks):
                    for result in done:
                        results.append(result)
                        progress and progress.step()
            if any(w.deferred for w in _STATE["workspaces"].values()):
                results = _second_look(ordered, results, workers, ctx)
        else:
            for job in jobs:
                results.append(_check_job(job))
                progress and progress.step()
    finally:
        gc.unfreeze()
        if automatic:
            gc.enable()
        modules.batch_run(False)
    progress and progress.done()
    for root in _answer_roots():
        for kept in _KEPT:
            kept.save_answers(root, [result.answers[kept.__name__] for result in results])
    findings = [f for result in results for f in result.findings]
    if changes is not None:
        findings = [f for f in findings if any(c.keeps(f) for c in changes)]
    findings.sort(key=Finding.sort_key)
    return Outcome(findings, len(jobs), sum(result.fixed for result in results), [path for path, _ in jobs])


# Rule caches kept between runs (in each workspace's .leery/cache): loaded before the workers
# fork, filled by them (each result carries what its file taught them), saved by the parent.
_KEPT = (keywords, names)


def _chunks(jobs: list[tuple[str, Settings]], workers: int) -> list[list[tuple[str, Settings]]]:
    """The files in path order, cut into runs a worker takes at a time: each a fraction of what
    is left (guided scheduling), so the first runs are long and the last short enough that no
    worker waits long for another at the end. Path order keeps a package's modules together:
    they import each other, and a worker parses an imported module once for all its files
    (the API rules, taint, the analysis of that module itself: leery.core.trees)."""
    ordered = sorted(jobs, key=lambda job: job[0])
    sizes = [max(_size(path), 1) for path, _ in ordered]
    left = sum(sizes)
    smallest = left / (32 * workers)
    chunks: list[list] = []
    chunk: list = []
    filled = 0.0
    want = max(left / (2 * workers), smallest)
    for job, size in zip(ordered, sizes):
        chunk.append(job)
        filled += size
        if filled >= want:
            chunks.append(chunk)
            left -= filled
            chunk, filled = [], 0.0
            want = max(left / (2 * workers), smallest)
    if chunk:
        chunks.append(chunk)
    return chunks


def _check_chunk(chunk: list[tuple[str, Settings]]) -> list[_Result]:
    return [_check_job(job) for job in chunk]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _answer_roots() -> list:
    """Workspace roots whose rule caches are kept between runs (in .leery/cache, like the index)."""
    return [w.root for w in _STATE.get("workspaces", {}).values() if w.options.cache]


def _changes_since(paths: list[Path], rev: str) -> list:
    """One change set per git repository the paths are in (usually one)."""
    from leery.review.gitinfo import GitError
    from leery.review.scope import changes_since, toplevel

    tops: dict[Path, None] = {}
    for path in paths:
        folder = path if path.is_dir() else path.parent
        try:
            tops[toplevel(folder.resolve())] = None
        except GitError:
            raise GitError(f"{path} is not in a git repository") from None
    return [changes_since(top, rev) for top in tops]


def _build_workspaces(paths: list[Path], cache: SettingsCache, jobs: int = 1, defer: bool = False) -> dict[str, object]:
    """One Workspace per project root (the folder of the config file, else the folder named).
    What the index cache lacks is fingerprinted in `jobs` processes (a fresh clone in CI), or
    left to the analysis workers (`defer`)."""
    from leery.workspace import Workspace

    roots: dict[str, object] = {}
    for path in paths:
        folder = path if path.is_dir() else path.parent
        settings = cache.for_path(folder / "__probe__.py")
        root = settings.root if settings.config_files else folder.resolve()
        key = str(root)
        if key not in roots:
            workspace = Workspace(root, settings)
            workspace.mode = "cli"  # LY301 reports each pair once, on the later copy
            workspace.build(jobs=jobs, defer=defer)
            roots[key] = workspace
    return roots


def _workspace_for(path: str):
    best = None
    for root, workspace in _STATE.get("workspaces", {}).items():
        if (path + "/").startswith(root + "/") or str(Path(path).resolve()).startswith(root + "/"):
            if best is None or len(root) > len(best[0]):
                best = (root, workspace)
    return best[1] if best else None


# Garbage collection in a batch run. The caches of the API rules hold millions of objects
# (syntax trees of library modules); automatic full collections traversed them all again and
# again, 40% of the CPU time of a run on 131k lines. Instead each file starts by freezing what
# exists (gc.freeze is a list splice), so no collection traverses the caches; every
# _FULL_EVERY files a full collection frees what became cyclic garbage meanwhile. That is
# little: an analysis leaves no cycles behind (tests/test_gc_cycles.py), its syntax tree is
# freed by reference counting. Automatic collection is off meanwhile: it traversed each file's
# tree while the file was analysed. A collection after every file cost 10-15% of the CPU of a
# cold run (it traversed each new cache entry, and the trees a cycle kept): ws131 cold wall
# 14.2 -> 11.9 s, same peak RSS.
_FULL_EVERY = 500
_FILES_DONE = 0


def _collect_and_freeze(full: bool = False) -> None:
    if full or (_FILES_DONE and _FILES_DONE % _FULL_EVERY == 0):
        gc.unfreeze()  # in a worker this also thaws what it shares with the parent: rarely
        gc.collect()
    gc.freeze()


@dataclass
class _Result:
    path: str
    findings: list[Finding]
    fixed: int
    answers: dict  # what the file taught the caches that outlive the run
    records: tuple | None = None  # (content digest, index records) for a deferred index build


def _check_job(job: tuple[str, Settings]) -> _Result:
    """One file, with what its analysis taught the caches that outlive the run."""
    global _FILES_DONE
    _collect_and_freeze()
    _FILES_DONE += 1
    kept: dict = {}
    findings, fixed = _check_one(job, kept)
    result = _Result(job[0], findings, fixed, {cache.__name__: cache.drain() for cache in _KEPT})
    source = kept.get("source")
    workspace = _workspace_for(job[0])
    if source is not None and workspace is not None and workspace.deferred:
        waiting = workspace.pending_text(workspace.key(job[0]))
        if waiting is not None:
            digest, text = waiting
            # The index reads files as text (universal newlines): reuse the tree only for the same text.
            tree_source = source if source.text == text.removeprefix("\ufeff") else SourceFile(text, job[0])
            result.records = (digest, records_from_source(tree_source))
    return result


def _second_look(jobs: list[tuple[str, Settings]], results: list[_Result], workers: int, ctx) -> list[_Result]:
    """Complete the deferred index builds with the workers' records, then analyse again the files
    where LY301/LY302 find something with the whole index. Elsewhere the first analysis stands:
    without reports those rules find nothing, so it is the analysis a whole index would give
    (suppressions and all)."""
    fresh = {r.records[0]: r.records[1] for r in results if r.records is not None}
    for workspace in _STATE["workspaces"].values():
        workspace.complete(fresh)
    again = []
    for job, result in zip(jobs, results):
        workspace = _workspace_for(job[0])
        if workspace is not None and workspace.has_reports(workspace.key(job[0])):
            again.append(job)
    if not again:
        return results
    if len(again) > 16:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            redone = list(pool.map(_check_job, again, chunksize=2))
    else:
        redone = [_check_job(job) for job in again]
    by_path = {r.path: r for r in redone}
    return [by_path.get(r.path, r) for r in results]


def _check_one(job: tuple[str, Settings], kept: dict | None = None) -> tuple[list[Finding], int]:
    """The findings of one file (after --fix, if asked). `kept` receives the SourceFile analysed."""
    path, settings = job
    try:
        text = read_text(Path(path))
    except UnreadableFile as exc:
        if "LY005" not in settings.enabled_codes(path):
            return [], 0
        return [meta_finding("LY005", path, Span(0, 0, 0, 0), str(exc))], 0
    workspace = _workspace_for(path)
    fix, unsafe = _STATE.get("fix", (False, False))
    fixed = 0
    last: dict = {}  # the analysis of the final text, so it is not analysed a second time

    def analyze_and_keep(source: SourceFile) -> list[Finding]:
        last.update(text=source.text, findings=analyze(source, settings, workspace))
        return last["findings"]

    if fix:
        new_text, fixed = fix_until_stable(text, path, analyze_and_keep, unsafe=unsafe)
        root = getattr(workspace, "root", None) or settings.root
        if fixed and new_text != text and _write_back(Path(path), new_text, root):
            text = new_text
        else:
            fixed = 0
    if last.get("text") == text:
        return last["findings"], fixed
    # Parsed already here, as an import of another file (LY404, taint)? Then not again.
    source = SourceFile(text, path, tree=trees.tree_for_text(os.path.abspath(path), text))
    if kept is not None:
        kept["source"] = source
    return analyze(source, settings, workspace), fixed


def _write_back(path: Path, text: str, root: Path | None = None) -> bool:
    """The user asked for --fix. Keep a BOM if the file had one.

    A symlink whose target lies outside the checked project is not written through: --fix
    edits the project's files, not whatever a link points at. Returns whether it wrote.
    """
    if path.is_symlink() and root is not None:
        try:
            path.resolve().relative_to(root.resolve())
        except ValueError:
            print(f"leery: {path}: not fixed: it is a symlink to a file outside {root}", file=sys.stderr)
            return False
    had_bom = path.read_bytes().startswith(b"\xef\xbb\xbf")
    data = ("\ufeff" + text if had_bom else text).encode("utf-8")
    path.write_bytes(data)
    return True


class _Progress:
    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.last = 0.0

    def step(self) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.last > 0.1 or self.count == self.total:
            self.last = now
            width = 30
            filled = int(width * self.count / max(self.total, 1))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} files")
            sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\r" + " " * 60 + "\r")
        sys.stderr.flush()
