"""Finding Python files under the paths a user names, and reading them safely."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from leery.core.config import ConfigError, Settings, find_config_file, is_default_excluded, load_settings


class UnreadableFile(Exception):
    pass


_REAL: dict[str, str] = {}


def real_path(path: str | Path) -> str:
    """Absolute, symlinks resolved; cached for the process (Path.resolve costs a dozen syscalls,
    and the server asks on every keystroke). A symlink re-pointed meanwhile is not followed."""
    raw = str(path)
    real = _REAL.get(raw)
    if real is None:
        if len(_REAL) >= 65536:
            _REAL.clear()
        real = _REAL[raw] = str(Path(raw).resolve())
    return real


def read_text(path: Path) -> str:
    """The file as text. Raises UnreadableFile for binary, non-UTF-8 or unreadable files."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None
    if b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("binary file (contains NUL bytes), not Python source")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text (byte {exc.start}); leery reads UTF-8 sources only") from None


@dataclass
class SettingsCache:
    """Settings per config file, found upward from each file; CLI overrides on top."""

    overrides: dict
    explicit: Path | None = None

    def __post_init__(self) -> None:
        self._by_config: dict[str, Settings] = {}
        self._by_dir: dict[str, Settings] = {}

    def for_path(self, path: Path) -> Settings:
        directory = str(path if path.is_dir() else path.parent)
        cached = self._by_dir.get(directory)
        if cached is not None:
            return cached
        config = self.explicit or find_config_file(Path(directory))
        key = str(config) if config else f"<none>:{directory}"
        settings = self._by_config.get(key)
        if settings is None:
            settings = load_settings(Path(directory), config_file=config)
            if self.overrides:
                settings = settings.with_overrides(self.overrides, origin="command line")
            self._by_config[key] = settings
        self._by_dir[directory] = settings
        return settings


def discover(paths: list[Path], settings: SettingsCache) -> list[Path]:
    """Python files under `paths`, excluding what each file's settings exclude. Explicit files always count."""
    seen: set[Path] = set()
    out: list[Path] = []
    for root in paths:
        if root.is_file():
            if root.resolve() not in seen:
                seen.add(root.resolve())
                out.append(root)
            continue
        if not root.exists():
            raise ConfigError(str(root), None, "no such file or folder")
        # A folder named on the command line is checked even if the config excludes it
        # (`leery check samples/`); below it, only the built-in excludes apply then.
        named_excluded = settings.for_path(root / "__probe__.py").is_excluded(str(root))

        def excluded(s: Settings, path: Path) -> bool:
            if named_excluded:
                return is_default_excluded(path.relative_to(root).as_posix())
            return s.is_excluded(str(path))

        for dirpath, dirnames, filenames in os.walk(root):
            current = Path(dirpath)
            s = settings.for_path(current / "__probe__.py")
            dirnames[:] = sorted(d for d in dirnames if not excluded(s, current / d))
            for name in sorted(filenames):
                if not name.endswith((".py", ".pyi")):
                    continue
                path = current / name
                if excluded(s, path) or path.resolve() in seen:
                    continue
                seen.add(path.resolve())
                out.append(path)
    return out


__all__ = ["UnreadableFile", "read_text", "SettingsCache", "discover", "ConfigError", "Settings"]
