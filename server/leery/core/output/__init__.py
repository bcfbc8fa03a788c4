"""Renderers for CLI output: text, json, sarif, github. Each has `render(findings, ctx) -> str`."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("text", "json", "sarif", "github")


@dataclass
class RenderContext:
    cwd: Path = field(default_factory=Path.cwd)
    color: bool = False
    show_fixes: bool = True
    statistics: bool = False
    files_checked: int = 0
    fixed: int = 0
    errors: list[str] = field(default_factory=list)

    def display_path(self, path: str) -> str:
        """Relative to the current folder when inside it, with forward slashes."""
        return _display_path(path, self.cwd)


@functools.lru_cache(maxsize=1024)
def _display_path(path: str, cwd) -> str:
    """(Asked once per finding: many findings share a file.)"""
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return Path(path).as_posix()
    if rel.startswith(".."):
        return Path(path).as_posix()
    return Path(rel).as_posix()


def render(fmt: str, findings, ctx: RenderContext) -> str:
    import importlib

    module = importlib.import_module(f"leery.core.output.{fmt}_format")
    return module.render(findings, ctx)
