"""Cross-file state for one workspace root: its Python files and the indexes built over them.

The CLI builds one per checked root; the language server one per workspace folder and keeps
it current with `update` / `remove`. Analysis never imports or runs workspace code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from leery.core.config import Settings


class Workspace:
    def __init__(self, root: Path, settings: Settings | None = None) -> None:
        self.root = Path(root).resolve()
        self.settings = settings or Settings(root=self.root)
        self.overlays: dict[str, str] = {}  # path -> unsaved buffer text (editor)

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
        key = str(Path(path).resolve())
        if key in self.overlays:
            return self.overlays[key]
        try:
            return Path(key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def build(self, progress: Callable[[int, int], None] | None = None, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Index every file (indexes register in `leery.workspace`'s modules). Safe to call again."""

    def update(self, path: str | Path, text: str | None) -> set[str]:
        """A file changed (text None: re-read from disk). Returns other paths whose findings may change."""
        key = str(Path(path).resolve())
        if text is None:
            self.overlays.pop(key, None)
        else:
            self.overlays[key] = text
        return set()

    def remove(self, path: str | Path) -> set[str]:
        """A file was deleted. Returns other paths whose findings may change."""
        self.overlays.pop(str(Path(path).resolve()), None)
        return set()
