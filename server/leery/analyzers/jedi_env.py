"""jedi, set up once per workspace root and shared by the LY4xx rules.

- `jedi.Project(..., load_unsafe_extensions=False)`: compiled extensions are only inspected
  when they are installed on sys.path, never from the workspace.
- The environment is jedi's default for the interpreter leery runs in; compiled modules are
  inspected in jedi's helper subprocess, not in leery's process.
- One `jedi.Script` per document version (path + hash of the text), shared by the rules.
- A time budget per file: jedi's first inference in a process takes seconds, and a large file
  can take longer than a user will wait. A rule asks `budget.left()` before each lookup and
  reports LY004 when it had to stop (see `Budget.report_partial`).

This module has no `run` function on purpose: it is a helper, not an analyzer adapter.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

from leery.rules.apis.modules import in_batch_run, mtime

log = logging.getLogger("leery")

BUDGET_SECONDS = float(os.environ.get("LEERY_JEDI_BUDGET", "4.0"))  # per file, all LY4xx jedi work
_LOCK = threading.RLock()  # jedi is not thread-safe; the server may analyse in several threads
_PROJECTS: dict[tuple[int, str], object] = {}
_SCRIPTS: "OrderedDict[tuple, object]" = OrderedDict()
_MAX_SCRIPTS = 8


def lock() -> threading.RLock:
    return _LOCK


def project(root: Path | str):
    """The jedi Project for a workspace root (cached per process: forked CLI workers get their own)."""
    import jedi

    key = (os.getpid(), str(root))
    with _LOCK:
        found = _PROJECTS.get(key)
        if found is None:
            found = jedi.Project(str(root), load_unsafe_extensions=False, smart_sys_path=True)
            _PROJECTS[key] = found
        return found


def _key(path: str, text: str) -> tuple:
    return (os.getpid(), path, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest())


def script(path: str, text: str, root: Path | str):
    """The jedi Script of one document version; created once, shared by every LY4xx rule."""
    import jedi

    key = _key(path, text)
    with _LOCK:
        found = _SCRIPTS.get(key)
        if found is None:
            found = jedi.Script(text, path=str(path), project=project(root))
            _SCRIPTS[key] = found
            while len(_SCRIPTS) > _MAX_SCRIPTS:
                _SCRIPTS.popitem(last=False)
        else:
            _SCRIPTS.move_to_end(key)
        return found


_ORIGINS: dict[tuple, str | None] = {}
_LEARNT: list[tuple] = []  # _ORIGINS keys worth keeping between runs, found since the last drain


def module_origin(folder: str, name: str, root: Path | str) -> str | None:
    """The file jedi imports the top-level module `name` from, for a file in `folder`: None when
    jedi finds no such module, "" when it finds one without a file (namespace, compiled).

    jedi's import path depends on the file's folder only (the project, the folders above the file,
    buildout scripts next to them) unless the file edits `sys.path` itself: callers check that.
    When the module is not found, every `name.x.y` in that folder resolves to nothing. Cached per
    process: callers use it only where the files on disk do not change (one `leery check` run).
    """
    key = (str(root), folder, name)
    with _LOCK:
        if key not in _ORIGINS:
            probe = script(probe_path(folder), f"import {name}\n", root)
            found = probe.goto(1, len("import "), follow_imports=True)
            paths = [str(d.module_path) if d.module_path and d.module_path.suffix in (".py", ".pyi") else "" for d in found]
            _ORIGINS[key] = (paths[0] if len(set(paths)) == 1 else "") if found else None
            if _ORIGINS[key] and not inside(_ORIGINS[key], root) and in_batch_run():
                _LEARNT.append(key)
        return _ORIGINS[key]


def inside(path: str, root: Path | str) -> bool:
    return os.path.realpath(path).startswith(os.path.realpath(root) + os.sep)


# -- answers kept between `leery check` runs, in <root>/.leery/cache --------------------------
# Only answers that can be checked on the next run: a module found outside the workspace root
# (jedi searches the root first, so it stays valid while the root has no module of that name
# and the file keeps its modification time); rules add theirs (LY405: callees' keywords,
# checked against the defining files' modification times).


def environment() -> list[str]:
    """What answers kept between runs depend on besides the files: the interpreter, its
    environment, jedi and leery (a file written under another stamp is ignored)."""
    import sys

    import jedi

    from leery import __version__

    return [sys.prefix, sys.version, jedi.__version__, __version__]


def drain_origins() -> list[list]:
    """The module origins found since the last call, as JSON: [root, folder, name, path, mtime]."""
    out = [[*key, _ORIGINS[key], mtime(_ORIGINS[key])] for key in _LEARNT]
    _LEARNT.clear()
    return out


def valid_origin(row: object, root: Path | str) -> bool:
    """[root, folder, name, path, mtime] of this root, a file outside it that has not changed."""
    if not (isinstance(row, list) and len(row) == 5 and all(isinstance(v, str) for v in row[:4]) and isinstance(row[4], (int, float))):
        return False
    return row[0] == str(root) and not inside(row[3], root) and mtime(row[3]) == row[4]


def load_origins(root: Path | str, rows: list) -> None:
    names = set(os.listdir(root)) if os.path.isdir(root) else set()
    for row in rows:
        if not valid_origin(row, root):
            continue
        saved_root, folder, name, path, _ = row
        if any(n == name or n.startswith(name + ".") for n in names):
            continue  # the root now has a module of that name: jedi would find that one first
        _ORIGINS.setdefault((saved_root, folder, name), path)


def probe_path(folder: str) -> str:
    """A file name in `folder` for Scripts of a few lines (jedi's import path depends on the folder)."""
    return os.path.join(folder, "__leery_probe__.py")


def script_for_file(path: str, root: Path | str):
    """A Script for a library or workspace file on disk (to follow `**kwargs` into it)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return script(path, text, root)


class Budget:
    """Time left for jedi work on one analysis of one file. `timed()` blocks may nest; only the
    outermost counts, and `left()` includes the block that is running."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.spent = 0.0
        self.skipped: dict[str, int] = {}  # rule code -> lookups not done
        self.reported = False
        self._since: float | None = None
        self._depth = 0

    def left(self) -> bool:
        running = time.perf_counter() - self._since if self._since is not None else 0.0
        return self.spent + running < self.seconds

    def timed(self):
        budget = self

        class _Timer:
            def __enter__(self):
                if budget._depth == 0:
                    budget._since = time.perf_counter()
                budget._depth += 1

            def __exit__(self, *exc):
                budget._depth -= 1
                if budget._depth == 0 and budget._since is not None:
                    budget.spent += time.perf_counter() - budget._since
                    budget._since = None
                return False

        return _Timer()

    def skip(self, code: str) -> None:
        self.skipped[code] = self.skipped.get(code, 0) + 1

    def report_partial(self, ctx, node) -> None:
        """LY004 once per file, on the first lookup that did not fit in the budget."""
        if self.reported:
            return
        self.reported = True
        ctx.report(
            ctx.source.head_span(node),
            f"{ctx.rule.code if ctx.rule else 'LY4xx'} stopped here: jedi used its {self.seconds:.1f} s budget for this file; "
            "calls from this line on were not checked",
            code="LY004",
        )


def budget(ctx) -> Budget:
    """The budget of one analysis of one file, shared by the LY4xx rules of that run."""
    found = getattr(ctx, "_leery_jedi_budget", None)
    if found is None:
        found = Budget(BUDGET_SECONDS)
        ctx._leery_jedi_budget = found
    return found
