"""The function index: one record per non-trivial function or method, with lookup by exact
fingerprint, by LSH band (near copies) and by name (namesakes).

Records are plain data (no AST), so they can be cached on disk and shared by forked workers.
"""

from __future__ import annotations

import ast
import fnmatch
import os
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from leery.core.context import TEST_FILE_PATTERNS, dotted_name
from leery.core.source import SourceFile
from leery.workspace import minhash
from leery.workspace.fingerprint import Shape, function_body, jaccard, shape_of

MIN_INDEXED_TOKENS = 8  # below this a function is a one-token body: not worth a record at all
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(eq=False)
class Record:
    """One function or method. `path` and `module` are attached by the index, not cached."""

    qualname: str  # "slugify", "Parser.parse"
    name: str
    cls: str | None  # enclosing class (innermost), None for module-level functions
    head: tuple[int, int, int, int]  # the `def` line's span (0-based, code points)
    end_line: int  # last line of the function, 0-based
    decorators: tuple[str, ...]  # dotted names of decorators (calls: the callee)
    signature: str | None  # "[async ]" + ast.unparse(args): equal signatures keep callers working
    exact: int
    literal: int
    shingles: array
    statements: int
    tokens: int
    trivial: bool  # body only raises NotImplementedError, passes, returns a constant ...
    bands: tuple[int, ...] = ()
    path: str = ""
    module: str = ""

    @property
    def line(self) -> int:
        return self.head[0]

    @property
    def is_method(self) -> bool:
        return self.cls is not None

    @property
    def dotted(self) -> str:
        return f"{self.module}.{self.qualname}" if self.module else self.qualname


@dataclass
class FileEntry:
    digest: str
    records: list[Record] = field(default_factory=list)


# Folders of stand-alone programs and documentation: each example or script repeats its
# set-up on purpose.
SIDE_FOLDERS = frozenset({"tests", "test", "testing", "examples", "example", "docs", "doc", "demo", "demos", "tools", "scripts"})


def is_test_path(rel: str) -> bool:
    """Tests, examples and docs: their copies are deliberate (each stands alone)."""
    parts = rel.replace("\\", "/").split("/")
    if any(fnmatch.fnmatch(parts[-1], pattern) for pattern in TEST_FILE_PATTERNS):
        return True
    return any(p in SIDE_FOLDERS for p in parts[:-1])


def module_name(path: str, rel: str) -> str:
    """The name an import would use (climbing the folders that have `__init__.py`), or ""
    when the file cannot be imported by name (`manage-app.py`, a folder with a dash)."""
    file = Path(path)
    parts = [] if file.stem == "__init__" else [file.stem]
    folder = file.parent
    while _is_package(str(folder)) and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    if not parts or not all(p.isidentifier() for p in parts):
        return ""
    return ".".join(parts)


@lru_cache(maxsize=4096)
def _is_package(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "__init__.py"))


def display_name(record: "Record", rel: str) -> str:
    """`core.text.slugify`, or `path/to/file.py:slugify` for a file without a module name."""
    return record.dotted if record.module else f"{rel}:{record.qualname}"


def records_from_source(source: SourceFile, memo: dict | None = None) -> list[Record]:
    """Every module-level function and method (classes nested in classes included; functions
    nested in functions are not helpers anyone can reuse, so they are left out).

    `memo` maps a function's source text to its shape from the previous version of the file:
    on an edit only the functions whose text changed are fingerprinted again. It is replaced
    by this version's map."""
    if source.tree is None:
        return []
    previous = dict(memo) if memo is not None else {}
    if memo is not None:
        memo.clear()
    out: list[Record] = []
    stack: list[tuple[ast.AST, list[str], str | None]] = [(source.tree, [], None)]
    while stack:
        node, prefix, cls = stack.pop()
        for child in _defs_in(node):
            if isinstance(child, ast.ClassDef):
                stack.append((child, [*prefix, child.name], child.name))
                continue
            record = _record(source, child, prefix, cls, previous, memo)
            if record is not None:
                out.append(record)
    out.sort(key=lambda r: r.head)
    return out


def _defs_in(node: ast.AST):
    """Function and class definitions directly in a module or class body, including those
    under `if`/`try`/`with` at that level (version switches, optional imports)."""
    pending = list(getattr(node, "body", []))
    while pending:
        stmt = pending.pop(0)
        if isinstance(stmt, (*FUNCTION_NODES, ast.ClassDef)):
            yield stmt
        elif isinstance(stmt, (ast.If, ast.Try, ast.With)) or stmt.__class__.__name__ == "TryStar":
            for name in ("body", "orelse", "finalbody"):
                pending.extend(getattr(stmt, name, []))
            for handler in getattr(stmt, "handlers", []):
                pending.extend(handler.body)


def _record(source: SourceFile, func, prefix: list[str], cls: str | None, previous: dict, memo: dict | None) -> Record | None:
    text = "\n".join(source.lines[func.lineno - 1 : func.end_lineno])
    known = previous.get(text)
    if known is None:
        shape: Shape = shape_of(func)
        if shape.tokens < MIN_INDEXED_TOKENS:
            known = (shape, (), None)
        else:
            known = (shape, minhash.band_keys(shape.shingles), _signature(func))
    if memo is not None:
        memo[text] = known
    shape, bands, signature = known
    if shape.tokens < MIN_INDEXED_TOKENS:
        return None
    head = source.head_span(func)
    return Record(
        qualname=".".join([*prefix, func.name]),
        name=func.name,
        cls=cls,
        head=(head.start_line, head.start_col, head.end_line, head.end_col),
        end_line=(func.end_lineno or func.lineno) - 1,
        decorators=tuple(_decorator_name(d) for d in func.decorator_list),
        signature=signature,
        exact=shape.exact,
        literal=shape.literal,
        shingles=shape.shingles,
        statements=shape.statements,
        tokens=shape.tokens,
        trivial=_is_trivial(func),
        bands=bands,
    )


def _signature(func) -> str | None:
    """`ast.unparse(args)`, with `async ` in front for a coroutine function."""
    try:
        return ("async " if isinstance(func, ast.AsyncFunctionDef) else "") + ast.unparse(func.args)
    except Exception:  # noqa: BLE001 - unparse of odd trees; the fix is simply not offered
        return None


def _decorator_name(node: ast.expr) -> str:
    """`functools.lru_cache` for `@functools.lru_cache(maxsize=2)`; "" for other expressions."""
    return dotted_name(node.func if isinstance(node, ast.Call) else node) or ""


def _is_trivial(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Placeholders and stubs: nothing to merge even when many look alike."""
    body = function_body(func)
    if not body:
        return True
    if len(body) == 1:
        stmt = body[0]
        if isinstance(stmt, (ast.Pass, ast.Raise)):
            return True
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            return True
        if isinstance(stmt, ast.Return) and (stmt.value is None or isinstance(stmt.value, ast.Constant)):
            return True
    return False


class Index:
    """Records by path, exact fingerprint, LSH band and name. Not thread-safe: the Workspace locks."""

    def __init__(self, min_tokens: int = MIN_INDEXED_TOKENS, min_statements: int = 1) -> None:
        # Only records this big enter the similarity tables: tiny getters would make huge buckets.
        self.min_tokens = min_tokens
        self.min_statements = min_statements
        self.files: dict[str, FileEntry] = {}
        # Buckets are dicts used as ordered sets: removing a record from a big bucket is O(1).
        self.by_exact: dict[int, dict[Record, None]] = defaultdict(dict)
        self.by_band: dict[int, dict[Record, None]] = defaultdict(dict)
        self.by_name: dict[str, dict[Record, None]] = defaultdict(dict)
        self.method_names: dict[str, int] = defaultdict(int)  # method name -> how many classes define it
        self.generation = 0  # bumped on every change: cached query results check it

    def add(self, path: str, entry: FileEntry) -> None:
        self.remove(path)
        self.files[path] = entry
        for record in entry.records:
            if self.comparable(record):
                self.by_exact[record.exact][record] = None
                for key in record.bands:
                    self.by_band[key][record] = None
            if record.cls is None:
                self.by_name[record.name][record] = None
            else:
                self.method_names[record.name] += 1
        self.generation += 1

    def comparable(self, record: Record) -> bool:
        return not record.trivial and record.tokens >= self.min_tokens and record.statements >= self.min_statements

    def remove(self, path: str) -> list[Record]:
        entry = self.files.pop(path, None)
        if entry is None:
            return []
        for record in entry.records:
            _discard(self.by_exact, record.exact, record)
            for key in record.bands:
                _discard(self.by_band, key, record)
            _discard(self.by_name, record.name, record)
            if record.cls is not None:
                self.method_names[record.name] -= 1
                if self.method_names[record.name] <= 0:
                    del self.method_names[record.name]
        self.generation += 1
        return entry.records

    def candidates(self, record: Record) -> set[Record]:
        """Records that share the exact fingerprint or an LSH band with `record` (unverified)."""
        found: set[Record] = set(self.by_exact.get(record.exact, ()))
        for key in record.bands:
            found.update(self.by_band.get(key, ()))
        found.discard(record)
        return found

    def similar(self, record: Record, threshold: float) -> list[tuple[Record, float]]:
        """Verified near or exact copies: (other, similarity), similarity 1.0 for exact clones."""
        out: list[tuple[Record, float]] = []
        for other in self.candidates(record):
            if other.exact == record.exact:
                out.append((other, 1.0))
                continue
            score = min(jaccard(record.shingles, other.shingles), 0.999)  # 1.0 means an exact clone
            if score >= threshold:
                out.append((other, score))
        return out

    def is_interface_method(self, record: Record) -> bool:
        """A method whose name other classes define too: an override or an interface, which
        exists to be polymorphic, not a helper to share."""
        return record.is_method and self.method_names.get(record.name, 0) > 1

    def named(self, name: str) -> list[Record]:
        return list(self.by_name.get(name, ()))

    def __len__(self) -> int:
        return sum(len(e.records) for e in self.files.values())


def _discard(table: dict, key, record: Record) -> None:
    bucket = table.get(key)
    if bucket is None:
        return
    bucket.pop(record, None)
    if not bucket:
        del table[key]
