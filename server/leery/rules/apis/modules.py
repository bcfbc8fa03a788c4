"""Finding modules on disk without importing them, and the names a module's source binds.

`importlib.util.find_spec("a.b")` imports `a` (running its code), so lookups here go through
`importlib.machinery.PathFinder` with explicit path lists, package by package. Module sources
are parsed with `ast`, never executed. Results are cached per file and modification time.
"""

from __future__ import annotations

import ast
import functools
import os
import sys
import sysconfig
from dataclasses import dataclass, field
from importlib.machinery import EXTENSION_SUFFIXES, FrozenImporter, ModuleSpec, PathFinder
from pathlib import Path

from leery.core import trees

STDLIB_DIRS = tuple(
    os.path.realpath(p) for p in {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}
)


@dataclass
class Module:
    name: str
    origin: str | None  # a file path; None for builtin, frozen and namespace packages
    kind: str  # "source", "extension", "builtin", "frozen", "namespace", "other"
    locations: list[str] = field(default_factory=list)  # a package's directories

    @property
    def is_package(self) -> bool:
        return bool(self.locations)

    @property
    def is_stdlib(self) -> bool:
        return self.name.split(".")[0] in sys.stdlib_module_names


def project_root_of(path: str, root: Path | None) -> Path:
    return Path(root).resolve() if root else Path(path).resolve().parent


@functools.lru_cache(maxsize=4096)
def absolute(path: str, root: Path | None) -> Path:
    """A file's absolute path: the CLI names files relative to the working directory, the
    samples relative to the settings' root. (Rules ask it per call and per import: cached.)"""
    p = Path(path)
    if not p.is_absolute() and not p.exists() and root is not None:
        p = Path(root) / p
    return p.resolve()


def search_path(path: str, root: Path | None) -> tuple[str, ...]:
    """Where `import x` looks for this file, as Python and pytest would set sys.path up: the first
    folder above the file that is not a package (a script's folder; pytest's rootdir insertion),
    the workspace root and its `src/`, then the `sys.path` of the interpreter leery runs in.

    A package's own folder is not searched: inside `flask/`, `import typing` is the standard
    library's, not `flask/typing.py`."""
    file = absolute(path, root)
    if _SEARCH_PATHS is None:
        return _search_path(file.parent, root)
    key = (file.parent, root)  # the same for every file of a folder
    found = _SEARCH_PATHS.get(key)
    if found is None:
        found = _SEARCH_PATHS[key] = _search_path(file.parent, root)
    return found


def _search_path(here: Path, root: Path | None) -> tuple[str, ...]:
    workspace = Path(root).resolve() if root else here
    folder = here
    while (folder / "__init__.py").exists() and folder.parent != folder:
        folder = folder.parent
    entries: list[str] = [str(folder)]
    project = _project_folder(here, workspace)
    for extra in (project, project / "src", workspace, workspace / "src"):
        if str(extra) not in entries and extra.is_dir():
            entries.append(str(extra))
    entries += [p for p in sys.path if p and os.path.isdir(p) and p not in entries]
    return tuple(entries)


def _project_folder(folder: Path, workspace: Path) -> Path:
    """The nearest folder with a project file above a file (a sub-project such as
    `examples/tutorial/`, or the project around a `tests/` folder opened on its own): its
    package and `src/` are importable when the project is installed for development."""
    current = folder
    while True:
        if any((current / name).exists() for name in ("pyproject.toml", "setup.py", "setup.cfg")):
            return current
        if current.parent == current:
            return workspace
        current = current.parent


# Set during a `leery check` run (never in the editor): whether results are collected for the
# caches kept between runs, and `find` results kept for the run (the files on disk do not change).
_BATCH = False
_FOUND: dict[tuple, Module | None] | None = None
_SEARCH_PATHS: dict[tuple, tuple[str, ...]] | None = None  # search_path() per folder, likewise
_IN_WORKSPACE: dict[tuple, bool] | None = None  # is_workspace_file(), likewise


def batch_run(on: bool, keep_lookups: bool = True) -> None:
    global _BATCH, _FOUND, _SEARCH_PATHS, _IN_WORKSPACE
    _BATCH = on
    _FOUND = {} if on and keep_lookups else None
    _SEARCH_PATHS = {} if on and keep_lookups else None
    _IN_WORKSPACE = {} if on and keep_lookups else None


def in_batch_run() -> bool:
    return _BATCH


def find(name: str, search: tuple[str, ...]) -> Module | None:
    """The module `name` (dotted) as the import system would find it, without importing.

    Not memoised in the editor: PathFinder caches directory listings and refreshes them when a
    folder changes, so a module created while the editor is open is found on the next analysis."""
    if _FOUND is None:
        return _find(name, search)
    key = (name, search)
    if key not in _FOUND:
        _FOUND[key] = _find(name, search)
    return _FOUND[key]


def _find(name: str, search: tuple[str, ...]) -> Module | None:
    parts = name.split(".")
    top = parts[0]
    if not top:
        return None
    if top in sys.builtin_module_names:
        return Module(top, None, "builtin") if len(parts) == 1 else None
    if FrozenImporter.find_spec(top) is not None and top not in sys.stdlib_module_names:
        return Module(top, None, "frozen") if len(parts) == 1 else None
    spec = _find_spec(top, list(search))
    full = top
    for part in parts[1:]:
        if spec is None or not spec.submodule_search_locations:
            return None
        full = f"{full}.{part}"
        spec = _find_spec(full, list(spec.submodule_search_locations))
    if spec is None:
        return None
    return _module_of(name, spec)


def find_in(parent: Module, part: str) -> Module | None:
    """A submodule of a package found on disk."""
    if not parent.locations:
        return None
    spec = _find_spec(f"{parent.name}.{part}", list(parent.locations))
    return _module_of(f"{parent.name}.{part}", spec) if spec else None


def _find_spec(name: str, path: list[str]):
    """PathFinder.find_spec, but a namespace package inside a namespace package is found too:
    PathFinder looks its parent up in sys.modules there (a KeyError: nothing was imported), so
    its folders are listed here."""
    try:
        return PathFinder.find_spec(name, path)
    except KeyError:
        part = name.rpartition(".")[2]
        folders = [os.path.join(p, part) for p in path if os.path.isdir(os.path.join(p, part))]
        if not folders:
            return None
        spec = ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = folders
        return spec


def _module_of(name: str, spec) -> Module:
    locations = list(spec.submodule_search_locations or [])
    origin = spec.origin if spec.origin not in (None, "namespace", "built-in", "frozen") else None
    if origin is None:
        kind = "namespace" if locations else "other"
    elif origin.endswith(".py"):
        kind = "source"
    elif origin.endswith(tuple(EXTENSION_SUFFIXES)):
        kind = "extension"
    else:
        kind = "other"
    return Module(name, origin, kind, locations)


def relative_module(path: str, root: Path | None, level: int, module: str | None) -> tuple[str, tuple[str, ...]] | None:
    """For `from ..a import b` in `path`: (dotted name relative to its search folder, search)."""
    folder = absolute(path, root).parent
    for _ in range(level - 1):
        folder = folder.parent
    if not folder.is_dir():
        return None
    if not module:
        return "", (str(folder),)
    return module, (str(folder),)


def is_workspace_file(origin: str | None, root: Path | None) -> bool:
    if not origin or root is None:
        return False
    if _IN_WORKSPACE is None:
        return _is_workspace_file(origin, root)
    key = (origin, root)  # rules ask per import and per helper call, the answer is the run's
    found = _IN_WORKSPACE.get(key)
    if found is None:
        found = _IN_WORKSPACE[key] = _is_workspace_file(origin, root)
    return found


def _is_workspace_file(origin: str, root: Path) -> bool:
    real = os.path.realpath(origin)
    base = os.path.realpath(root)
    if not real.startswith(base + os.sep):
        return False
    rel = real[len(base) + 1 :].split(os.sep)
    return not any(p in ("site-packages", "dist-packages", ".venv", "venv", ".tox", ".nox") for p in rel)


def is_stdlib_file(origin: str | None) -> bool:
    if not origin:
        return False
    real = os.path.realpath(origin)
    return any(real.startswith(d + os.sep) for d in STDLIB_DIRS) and "site-packages" not in real


# -- parsing module sources ---------------------------------------------------------------


def mtime(path: str | None) -> float:
    """A file's modification time for cache keys: 0 for no file, -1 when it cannot be read."""
    try:
        return os.stat(path).st_mtime if path else 0.0
    except OSError:
        return -1.0


def parse_file(path: str) -> ast.Module | None:
    """The syntax tree of a source file, cached by modification time; None if unreadable."""
    return trees.parsed(path).tree


def declares_global(path: str) -> bool:
    """Whether a parsed file's text has the word `global`: only then can a function bind a
    module name (a walk of every function body to find out costs as much as the parse)."""
    return trees.parsed(path).mentions_global
