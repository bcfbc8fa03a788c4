"""Cross-file state for one workspace root: its Python files and the indexes built over them.

The CLI builds one per checked root; the language server one per workspace folder and keeps
it current with `update` / `remove`. Analysis never imports or runs workspace code.

Modes (`workspace.mode`; the CLI sets "cli", the language server may leave the default):

- `"cli"`: each duplicate pair is reported once, on the copy that came later: the file git
  added later (one `git log` per workspace), else the later path, else the later line.
- `"editor"` (default): as in the CLI, except that a function whose body changed through
  `update()` counts as the newest: the finding moves to the function being edited. Until
  `update()` is called the two modes agree. `update()` returns the other files whose LY3xx
  findings may have changed (a duplicate appeared or went away, or moved to the edited
  side): re-publish or refresh their diagnostics.

For the language server: call `update(path, text, source)` on each change of an open
document (pass the SourceFile you analyse, so the text is parsed once), `update(path, None)`
on save/close and on a file-system change, `remove(path)` on delete; then analyse the document
with this workspace and refresh the paths that `update`/`remove` returned. LY301/LY302 are
slow-tier rules; their findings carry `related` (the existing helper) and
`extra["existing"] = {"path", "span", "name"}` for a "Go to the existing helper" action.
Settings are read once: after a configuration change, build a new Workspace.

Thread safety: `build`, `update`, `remove` and the queries the rules make take one lock, so
the language server may build in a worker thread while it answers edits. `build` does the
parsing outside the lock, file by file.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from leery.core.config import Settings
from leery.core.files import real_path
from leery.core.source import SourceFile
from leery.workspace import history, parallel
from leery.workspace.cache import RecordCache
from leery.workspace.index import FileEntry, Index, Record, is_test_path, module_name, records_from_source
from leery.workspace.pairs import NAMESAKE_FLOOR, PROTOCOL_FLOOR, PROTOCOL_MODULES, Options, deliberate_pair, is_helper, namesake_candidate
from leery.workspace.fingerprint import Shape, jaccard


@dataclass
class Match:
    """One other function that a function of this file duplicates or diverges from."""

    other: Record
    similarity: float  # 1.0: the same code up to local names and literal values
    identical: bool  # the same code up to local names (literals too)


@dataclass
class FunctionReport:
    record: Record
    duplicates: list[Match] = field(default_factory=list)  # LY301: earlier copies, best first
    namesakes: list[Match] = field(default_factory=list)  # LY302: earlier namesakes that differ


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Workspace:
    def __init__(self, root: Path, settings: Settings | None = None) -> None:
        self.root = Path(root).resolve()
        self.settings = settings or Settings(root=self.root)
        self.overlays: dict[str, str] = {}  # path -> unsaved buffer text (editor)
        self.mode = "editor"  # or "cli": see the module docstring
        self.options = Options.from_settings(self.settings)
        self.index = Index(min_tokens=self.options.min_tokens, min_statements=self.options.min_statements)
        self.built = False
        self._lock = threading.RLock()
        self._births: dict[str, float] | None = None
        self._touched: dict[tuple[str, str], int] = {}  # (path, qualname) -> edit sequence number
        self._edit_seq = 0
        self._reports: dict[str, tuple[tuple, list[FunctionReport]]] = {}
        self._indexable: dict[str, bool] = {}
        self._shapes: dict[str, dict] = {}  # path -> {function text: shape} of its last edited version
        self._deferred: tuple | None = None  # (files, cache, texts) of a build left to complete()
        self.pending: dict[str, str] = {}  # path -> content digest whose records a deferred build awaits

    # -- files -------------------------------------------------------------------------------
    def python_files(self) -> list[Path]:
        """Every .py file under the root that the settings do not exclude, in path order."""
        found: list[Path] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not self.settings.is_excluded(os.path.join(dirpath, d)))
            for name in sorted(filenames):
                if name.endswith((".py", ".pyi")):
                    path = os.path.join(dirpath, name)
                    if not self.settings.is_excluded(path):
                        found.append(Path(path))
        return found

    def read(self, path: str | Path) -> str | None:
        """An open buffer's text if there is one, else the file's; None if unreadable."""
        key = self.key(path)
        if key in self.overlays:
            return self.overlays[key]
        try:
            return Path(key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def stamp(self, path: str | Path) -> tuple | None:
        """Changes whenever `read(path)` would give another text: an open buffer's text, else
        the file's modification time and size (a stat instead of a read, on every keystroke)."""
        key = self.key(path)
        text = self.overlays.get(key)
        if text is not None:
            return ("buffer", len(text), hash(text))
        try:
            stat = os.stat(key)
        except OSError:
            return None
        return ("file", stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def key(self, path: str | Path) -> str:
        """The index's name for a path: absolute, symlinks resolved (cached: it costs syscalls)."""
        return real_path(path)

    def relative(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def indexable(self, path: str) -> bool:
        """Inside the root, a .py file (stubs repeat their implementation on purpose), not excluded."""
        known = self._indexable.get(path)
        if known is None:
            known = path.endswith(".py") and (path + os.sep).startswith(str(self.root) + os.sep) and not self.settings.is_excluded(path)
            self._indexable[path] = known
        return known

    # -- building ----------------------------------------------------------------------------
    def build(
        self, progress: Callable[[int, int], None] | None = None, cancelled: Callable[[], bool] = lambda: False, jobs: int = 1, defer: bool = False
    ) -> None:
        """Index every file (from the disk cache where the content is unchanged). Safe to call again.

        `jobs` > 1 (the CLI): the files the cache lacks are fingerprinted in that many
        processes first (forked: not from a thread of the language server).

        `defer` (the CLI, when it analyses in a pool): when there are enough such files, leave
        them to the analysis workers instead, which fingerprint the tree they parse anyway
        (`pending`); until `complete()` is given their records the index stays empty and
        LY301/LY302 find nothing (`deferred`)."""
        files = [str(p) for p in self.python_files() if self.indexable(str(p))]
        cache = RecordCache(self.root) if self.options.cache else None
        if cache is not None:
            cache.load()
        if self._births is None:
            self._births = history.added_times(self.root) or {}
        if defer and jobs > 1:
            texts, missing = self._missing(files, cache)
            if parallel.worth_a_pool([text for _, _, text in missing.values()], jobs):
                self._deferred = (files, cache, texts)
                self.pending = {path: digest for digest, path, _ in missing.values()}
                return
        self._index_files(files, cache, *(self._fingerprint_ahead(files, cache, jobs) if jobs > 1 else ({}, {})), progress, cancelled)

    @property
    def deferred(self) -> bool:
        return self._deferred is not None

    def pending_text(self, path: str) -> tuple[str, str] | None:
        """(content digest, text) of a file whose records a deferred build waits for."""
        if self._deferred is None or path not in self.pending:
            return None
        return self.pending[path], self._deferred[2][path]

    def complete(self, fresh: dict[str, list[Record]]) -> None:
        """Finish a deferred build with the records the workers computed (by content digest):
        the same index, in the same order, and the same cache file as a build that computed them."""
        if self._deferred is None:
            return
        files, cache, texts = self._deferred
        self._deferred = None
        self.pending = {}
        self._index_files(files, cache, texts, dict(fresh))

    def _index_files(self, files: list[str], cache: RecordCache | None, texts: dict, fresh: dict, progress=None, cancelled=lambda: False) -> None:
        seen: set[str] = set()
        for done, path in enumerate(files, 1):
            if cancelled():
                return
            text = texts.pop(path) if path in texts else self.read(path)
            seen.add(path)
            if text is not None:
                entry = self._entry(path, text, cache, fresh=fresh)
                with self._lock:
                    if self.overlays.get(path, text) == text:  # an edit that arrived meanwhile wins
                        self.index.add(path, entry)
            if progress is not None:
                progress(done, len(files))
        with self._lock:
            for stale in set(self.index.files) - seen - set(self.overlays):
                self.index.remove(stale)
            self.built = True
        if cache is not None:
            cache.save()

    def _fingerprint_ahead(self, files: list[str], cache: RecordCache | None, jobs: int) -> tuple[dict[str, str | None], dict[str, list[Record]]]:
        """Every file's text, and the records of those the cache lacks (one per content),
        computed in `jobs` processes when there is enough of them to pay for the pool."""
        texts, missing = self._missing(files, cache)
        if not parallel.worth_a_pool([text for _, _, text in missing.values()], jobs):
            return texts, {}
        return texts, parallel.records_by_digest(list(missing.values()), jobs)

    def _missing(self, files: list[str], cache: RecordCache | None) -> tuple[dict[str, str | None], dict[str, tuple[str, str, str]]]:
        """Every file's text, and (digest, path, text) of each content the cache lacks."""
        texts = {path: self.read(path) for path in files}
        missing: dict[str, tuple[str, str, str]] = {}
        for path, text in texts.items():
            if text is not None:
                digest = self._digest(text)
                if digest not in missing and (cache is None or digest not in cache.entries):
                    missing[digest] = (digest, path, text)
        return texts, missing

    def _entry(
        self, path: str, text: str, cache: RecordCache | None = None, source: SourceFile | None = None, memo: bool = False, fresh: dict | None = None
    ) -> FileEntry:
        """`fresh`: records computed ahead by content digest, taken (once) instead of computing them here."""
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        records = cache.get(digest) if cache is not None else None
        if records is None:
            records = fresh.pop(digest, None) if fresh else None
            if records is None:
                records = records_from_source(source or SourceFile(text, path), self._shapes.setdefault(path, {}) if memo else None)
            if cache is not None:
                cache.put(digest, records)
        module = module_name(path, self.relative(path))
        for record in records:
            record.path = path
            record.module = module
        return FileEntry(digest, records)

    # -- editing -----------------------------------------------------------------------------
    def update(self, path: str | Path, text: str | None, source: SourceFile | None = None) -> set[str]:
        """A file changed (text None: re-read from disk). Returns other paths whose findings may change.

        `source`, optional: the caller's SourceFile of `text`, so the text is parsed once for
        the index and the analysis (DESIGN.md, "Parse once")."""
        key = self.key(path)
        with self._lock:
            if key not in self._shapes and key in self.index.files:
                self._seed_shapes(key)
            if text is None:
                self.overlays.pop(key, None)
            else:
                self.overlays[key] = text
        if not self.indexable(key):
            return set()
        current = self.read(key)
        if current is None:
            return self.remove(key)
        with self._lock:
            old = self.index.files.get(key)
        if old is not None and old.digest == self._digest(current):
            return set()
        usable = source is not None and source.text == current.removeprefix("\ufeff")
        entry = self._entry(key, current, source=source if usable else None, memo=True)
        with self._lock:
            old = self.index.files.get(key)
            if old is not None and old.digest == entry.digest:
                return set()
            old_records = old.records if old else []
            # Only functions that appeared, changed or went away can change other files' findings.
            old_bodies = {(r.qualname, r.literal) for r in old_records}
            new_bodies = {(r.qualname, r.literal) for r in entry.records}
            gone = [r for r in old_records if (r.qualname, r.literal) not in new_bodies]
            changed = [r for r in entry.records if (r.qualname, r.literal) not in old_bodies]
            before = self._partners(gone)
            self._edit_seq += 1
            for record in changed:
                self._touched[(key, record.qualname)] = self._edit_seq
            names = {r.qualname for r in entry.records}
            for record in gone:  # a function renamed or deleted: its edit time goes with it
                if record.qualname not in names:
                    self._touched.pop((key, record.qualname), None)
            self.index.add(key, entry)
            after = self._partners(changed)
        return (before | after) - {key}

    def _seed_shapes(self, key: str) -> None:
        """Remember the shapes of the indexed version, so the first edit re-fingerprints only
        the function it changed."""
        entry = self.index.files[key]
        text = self.read(key)
        if text is None or self._digest(text) != entry.digest:
            return
        lines = _LINE_BREAK.split(text)  # as SourceFile splits: the memo keys must match
        memo = self._shapes.setdefault(key, {})
        for r in entry.records:
            shape = Shape(r.exact, r.literal, r.shingles, r.statements, r.tokens)
            memo["\n".join(lines[r.line : r.end_line + 1])] = (shape, r.bands, r.signature)

    def remove(self, path: str | Path) -> set[str]:
        """A file was deleted. Returns other paths whose findings may change."""
        key = self.key(path)
        with self._lock:
            self.overlays.pop(key, None)
            self._shapes.pop(key, None)
            self._touched = {k: v for k, v in self._touched.items() if k[0] != key}
            old = self.index.files.get(key)
            partners = self._partners(old.records if old else [])
            self.index.remove(key)
        return partners - {key}

    def _partners(self, records: list[Record]) -> set[str]:
        """Paths of every function that any of `records` is a duplicate or namesake of."""
        paths: set[str] = set()
        for record in records:
            if self.index.comparable(record):
                paths.update(other.path for other, _ in self.index.similar(record, self.options.threshold))
            if record.cls is None:
                paths.update(other.path for other in self.index.named(record.name))
        return paths

    # -- queries (the LY3xx rules) ------------------------------------------------------------
    def order(self, record: Record) -> tuple:
        """Sort key: a larger key is the later copy (see the module docstring)."""
        touched = self._touched.get((record.path, record.qualname), 0) if self.mode == "editor" else 0
        birth = (self._births or {}).get(self.relative(record.path), history.UNTRACKED if self._births else 0.0)
        return (touched, birth, record.path, record.line)

    def is_test_file(self, path: str) -> bool:
        return is_test_path(self.relative(path))

    def reports(self, path: str, source: SourceFile) -> list[FunctionReport]:
        """LY301/LY302 material for the functions of `source` that should carry a finding."""
        if self._deferred is not None:
            return []  # the index is not built yet (see build's `defer`)
        key = self.key(path)
        with self._lock:
            entry = self.index.files.get(key)
            if entry is not None and entry.digest == self._digest(source.text):
                records = entry.records
            else:  # the file is not indexed or changed since: compare this text, index untouched
                entry = self._entry(key, source.text, source=source)
                records = entry.records
            stamp = (entry.digest, self.index.generation, self.mode, self._edit_seq)
            cached = self._reports.get(key)
            if cached is not None and cached[0] == stamp:
                return cached[1]
            out = self._compute(key, records)
            self._reports[key] = (stamp, out)
            return out

    def has_reports(self, path: str) -> bool:
        """Whether LY301 or LY302 may report a function of the file: one of an indexed file's
        functions has a duplicate or namesake; a file the index does not hold (a stub, a file
        outside the root) is compared when analysed, so it may."""
        key = self.key(path)
        with self._lock:
            entry = self.index.files.get(key)
            return entry is None or any(r.duplicates or r.namesakes for r in self._compute(key, entry.records))

    @staticmethod
    def _digest(text: str) -> str:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def _compute(self, key: str, records: list[Record]) -> list[FunctionReport]:
        options = self.options
        test_file = self.is_test_file(key)
        out: list[FunctionReport] = []
        for record in records:
            report = FunctionReport(record)
            mine = self.order(record)
            if is_helper(record, options, test_file) and self.index.comparable(record) and not self.index.is_interface_method(record):
                for other, score in self._similar(record, records):
                    if other.path == key and other.qualname == record.qualname:
                        continue
                    if deliberate_pair(record, other) or not is_helper(other, options, self.is_test_file(other.path)):
                        continue
                    if not other.module and other.path != key:
                        continue  # a script nobody can import: no helper to reuse
                    if self.index.is_interface_method(other):
                        continue
                    if other.name == record.name and other.path != key and other.literal != record.literal:
                        continue  # the same name with different code: LY302 tells that story
                    if self.order(other) < mine:
                        report.duplicates.append(Match(other, score, other.literal == record.literal))
            if record.cls is None and namesake_candidate(record, options, test_file):
                namesakes = self.index.named(record.name)
                protocol = len({o.path for o in namesakes} | {key}) >= PROTOCOL_MODULES
                for other in namesakes:
                    if other.path == key or other.literal == record.literal or other.is_method or not (other.module and record.module):
                        continue
                    if not namesake_candidate(other, options, self.is_test_file(other.path)):
                        continue
                    score = 1.0 if other.exact == record.exact else min(jaccard(record.shingles, other.shingles), 0.999)
                    floor = PROTOCOL_FLOOR if protocol else NAMESAKE_FLOOR
                    if score >= floor and self.order(other) < mine:
                        report.namesakes.append(Match(other, score, False))
            if report.duplicates or report.namesakes:
                report.duplicates.sort(key=lambda m: (-m.similarity, self.order(m.other)))
                report.namesakes.sort(key=lambda m: self.order(m.other))
                out.append(report)
        return out

    def _similar(self, record: Record, local: list[Record]) -> list[tuple[Record, float]]:
        """Index matches from other files, plus matches among this text's own functions (the
        indexed entry for this path may be stale while the buffer is analysed)."""
        found = [(o, s) for o, s in self.index.similar(record, self.options.threshold) if o.path != record.path]
        for other in local:
            if other is record or not self.index.comparable(other):
                continue
            if other.exact == record.exact:
                found.append((other, 1.0))
            elif set(other.bands) & set(record.bands):
                score = min(jaccard(record.shingles, other.shingles), 0.999)  # 1.0 means an exact clone
                if score >= self.options.threshold:
                    found.append((other, score))
        return found
