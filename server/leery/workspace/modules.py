"""Module names to workspace files, by path lookup only (never by importing).

`from app.db import run_query` in /root/app/views.py -> /root/app/db.py. Used by the taint
engine to summarise functions of other workspace modules.
"""

from __future__ import annotations

import functools
from pathlib import Path

SOURCE_DIRS = ("", "src", "lib")


@functools.lru_cache(maxsize=64)
def _resolved(root: str) -> Path:
    return Path(root).resolve()


def resolve(root: str | Path, importer: str, module: str, level: int = 0) -> str | None:
    """The file that defines `module` as seen from `importer`, or None.

    Absolute names are looked up under the root (and its src/ or lib/ folder) and next to the
    importing file's package; relative names (`level` dots) from the importer's folder.
    """
    root = _resolved(str(root))
    parts = [p for p in module.split(".") if p]
    bases: list[Path] = []
    here = Path(importer)
    if not here.is_absolute() and not here.exists():
        here = root / here  # named relative to the root (samples); the CLI names them relative to the working folder
    if level:
        base = here.resolve().parent
        for _ in range(level - 1):
            base = base.parent
        bases.append(base)
    else:
        bases.extend(root / d if d else root for d in SOURCE_DIRS)
        bases.append(here.resolve().parent)
    for base in bases:
        found = _lookup(base, parts)
        if found is not None and _inside(found, root):
            return str(found)
    return None


def _lookup(base: Path, parts: list[str]) -> Path | None:
    if not parts:
        init = base / "__init__.py"
        return init if init.is_file() else None
    target = base.joinpath(*parts)
    for candidate in (target.with_suffix(".py"), target / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    return None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True
