"""Disk cache of function records, keyed by file content, so a restart skips re-fingerprinting.

One JSON file per workspace at `<root>/.leery/cache/functions-v<N>.json` (with a `.gitignore`
so it is never committed). JSON, never pickle: the file sits in a repository that may be
hostile, and loading it must not run code (DESIGN.md, principle 7). Every entry is
type-checked on load; anything malformed is dropped and recomputed.

Writes stay inside the workspace: if `.leery` or `.leery/cache` is a symlink (or resolves)
outside the root, or the cache file itself is a symlink, the cache is not used at all.
Writes go to a fresh temporary file in the same folder, then `os.replace` (which replaces a
link rather than following it).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import tempfile
from array import array
from pathlib import Path

from leery.workspace.index import Record

log = logging.getLogger("leery")

FORMAT = 3  # bump when records or fingerprints change meaning
_FIELDS = ("qualname", "name", "cls", "head", "end_line", "decorators", "signature", "exact", "literal", "statements", "tokens", "trivial", "bands")


def cache_dir(root: Path) -> Path | None:
    """`<root>/.leery/cache`, or None when it is (or would be) outside the root."""
    root = root.resolve()
    folder = root / ".leery" / "cache"
    for part in (root / ".leery", folder):
        if part.is_symlink():
            log.warning("leery: %s is a symlink; the index cache is off for this workspace", part)
            return None
    try:
        folder.resolve().relative_to(root)
    except ValueError:
        return None
    return folder


class RecordCache:
    def __init__(self, root: Path) -> None:
        self.folder = cache_dir(root)
        self.root = root.resolve()
        self.entries: dict[str, list[dict]] = {}
        self.used: set[str] = set()
        self.dirty = False

    @property
    def file(self) -> Path | None:
        return self.folder / f"functions-v{FORMAT}.json" if self.folder else None

    def load(self) -> None:
        data = read_json(self.file)
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
            return
        self.entries = {k: v for k, v in data["files"].items() if isinstance(k, str) and isinstance(v, list)}

    def get(self, digest: str) -> list[Record] | None:
        raw = self.entries.get(digest)
        if raw is None:
            return None
        try:
            records = [_decode(item) for item in raw]
        except (TypeError, ValueError, KeyError, IndexError):
            self.entries.pop(digest, None)
            return None
        self.used.add(digest)
        return records

    def put(self, digest: str, records: list[Record]) -> None:
        self.entries[digest] = [_encode(r) for r in records]
        self.used.add(digest)
        self.dirty = True

    def save(self) -> None:
        """Write the entries used by this build (stale ones are dropped)."""
        path = self.file
        if path is None or not (self.dirty or set(self.entries) - self.used):
            return
        data = {"format": FORMAT, "files": {k: v for k, v in self.entries.items() if k in self.used}}
        if write_json(self.root, path, data):
            self.dirty = False


def read_json(path: Path | None) -> object:
    """A cache file's JSON, or None when it is missing, a symlink or unreadable."""
    if path is None or path.is_symlink() or not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def write_json(root: Path, path: Path, data: object) -> bool:
    """Write a file in `<root>/.leery/cache` safely (see the module docstring); False if not written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if cache_dir(root) is None or path.is_symlink():
            return False
        # In .leery/cache/, not .leery/: the review record and baseline beside it are committed.
        ignore = path.parent / ".gitignore"
        if not ignore.exists() and not ignore.is_symlink():
            ignore.write_text("# created by leery: its cache is never committed\n*\n", encoding="utf-8")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                # dumps, not dump: dump streams through the pure-Python encoder (3x slower here).
                handle.write(json.dumps(data, separators=(",", ":")))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        return True
    except OSError as exc:  # a read-only checkout: work without the cache
        log.info("leery: could not write the cache %s: %s", path, exc)
        return False


def _encode(record: Record) -> list:
    values = [getattr(record, name) for name in _FIELDS]
    values.append(base64.b64encode(record.shingles.tobytes()).decode("ascii"))
    return values


def _decode(item: list) -> Record:
    if not isinstance(item, list) or len(item) != len(_FIELDS) + 1:
        raise ValueError("bad cache entry")
    values = dict(zip(_FIELDS, item))
    shingles = array("q")
    shingles.frombytes(base64.b64decode(item[-1]))
    ints = ("end_line", "exact", "literal", "statements", "tokens")
    if not all(type(values[k]) is int for k in ints) or not isinstance(values["trivial"], bool):
        raise ValueError("bad cache entry")
    if not all(isinstance(values[k], str) for k in ("qualname", "name")) or not (values["cls"] is None or isinstance(values["cls"], str)):
        raise ValueError("bad cache entry")
    head = tuple(values["head"])
    bands = tuple(values["bands"])
    if len(head) != 4 or not all(type(x) is int for x in (*head, *bands)):
        raise ValueError("bad cache entry")
    decorators = tuple(values["decorators"])
    if not all(isinstance(d, str) for d in decorators) or not (values["signature"] is None or isinstance(values["signature"], str)):
        raise ValueError("bad cache entry")
    values.update(head=head, bands=bands, decorators=decorators, shingles=shingles)
    return Record(**values)


def read_stamped(root: Path, name: str, stamp: list) -> dict:
    """The payload of `<root>/.leery/cache/<name>` when it was written under the same `stamp`
    (format, interpreter, library versions); {} otherwise."""
    folder = cache_dir(Path(root))
    data = read_json(folder / name if folder else None)
    if not isinstance(data, dict) or data.get("stamp") != stamp or not isinstance(data.get("payload"), dict):
        return {}
    return data["payload"]


def write_stamped(root: Path, name: str, stamp: list, payload: dict) -> bool:
    folder = cache_dir(Path(root))
    return bool(folder) and write_json(Path(root), folder / name, {"stamp": stamp, "payload": payload})

