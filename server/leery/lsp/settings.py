"""Editor settings and `[tool.leery]` files, per workspace folder.

Editor settings arrive in camelCase (VS Code's `leery.extendSelect`) from initializationOptions,
`workspace/configuration` (section "leery") or `workspace/didChangeConfiguration`. Keys that
configure the server itself (enable, debounce, ...) stay here; the rest become TOML keys
(`extendSelect` -> `extend-select`) laid over the project's files with
`Settings.with_overrides`, and only where the user set them: a null or an empty `select` is "not
set", so an editor's defaults never switch rules off.

A broken config file keeps the last good settings for that file in force and is reported (a
diagnostic on the file and `window/showMessage`) by the caller from `ConfigStore.errors`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leery.core.config import KEYS, SECTIONS, ConfigError, Settings, find_config_file, load_settings

log = logging.getLogger("leery.lsp")

# Settings of the server, not of the analysis.
SERVER_KEYS = {
    "enable", "debounce", "showNotifications", "scope", "trace", "logLevel", "path", "interpreter", "args", "importStrategy",
}
DEFAULT_DEBOUNCE_MS = 150


@dataclass
class EditorSettings:
    enable: bool = True
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    show_notifications: str = "onError"  # "off" | "onError" | "always"
    scope: str = "openFiles"  # or "workspace": analyse every file of the folder at start; "changed": see below
    overrides: dict[str, Any] = field(default_factory=dict)  # TOML keys

    @classmethod
    def parse(cls, raw: Any, base: "EditorSettings | None" = None) -> "EditorSettings":
        """Settings from one source. The server's own settings (debounce, enable, ...) it leaves
        unset come from `base` (initializationOptions); analysis overrides never do, so a rule
        selection the user cleared in the editor does not linger."""
        raw = raw if isinstance(raw, dict) else {}
        for wrapper in ("leery", "settings"):  # {"leery": {...}}; the VS Code extension's {"settings": {...}}
            if isinstance(raw.get(wrapper), dict):
                raw = raw[wrapper]
        out = replace(base, overrides={}) if base is not None else cls()
        if isinstance(raw.get("enable"), bool):
            out.enable = raw["enable"]
        debounce = raw.get("debounce")
        if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and debounce >= 0:
            out.debounce_ms = int(debounce)
        if raw.get("showNotifications") in ("off", "onError", "always"):
            out.show_notifications = raw["showNotifications"]
        if raw.get("scope") in ("openFiles", "workspace", "changed"):
            out.scope = raw["scope"]
        out.overrides = toml_overrides(raw)
        if out.scope == "changed":  # open files, only lines changed since the merge base (leery.review.scope)
            out.overrides["scope"] = {**out.overrides.get("scope", {}), "changed": True}
        return out


def kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def toml_overrides(raw: dict[str, Any]) -> dict[str, Any]:
    """The analysis settings the user set, with TOML key names."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in SERVER_KEYS or value is None:
            continue
        name = kebab(key)
        if name in SECTIONS and isinstance(value, dict):
            value = {kebab(k): v for k, v in value.items() if v is not None}
            if value:
                out[name] = value
        elif name in KEYS and name != "extend":  # `extend` names a file: only config files may
            if name == "select" and value == []:
                continue
            if name in ("severity", "per-file-ignores") and value == {}:
                continue
            out[name] = value
        else:
            log.warning("leery: ignoring unknown editor setting %r", key)
    return out


class ConfigStore:
    """Settings for each file: its nearest config file (last good version), editor overrides on top."""

    def __init__(self) -> None:
        self._good: dict[str, Settings] = {}  # config file -> last settings that loaded
        self._config_of_dir: dict[str, Path | None] = {}
        self._merged: dict[tuple, Settings] = {}
        self.errors: dict[str, ConfigError] = {}  # config file -> its current error
        self.override_errors: dict[str, ConfigError] = {}  # folder -> bad editor settings
        self._stamps: dict[str, int | None] = {}  # config files read -> their mtime then

    def clear(self) -> None:
        """Forget everything read from disk (a config file changed)."""
        self._config_of_dir.clear()
        self._merged.clear()
        self._stamps.clear()

    def changed_files(self) -> list[str]:
        """Config files read since the last clear() that changed on disk since."""
        return [path for path, stamp in self._stamps.items() if _mtime(path) != stamp]

    def settings_for(self, path: str, folder: str | None, editor: EditorSettings) -> Settings:
        directory = str(Path(path).parent)
        if directory not in self._config_of_dir:
            self._config_of_dir[directory] = find_config_file(Path(directory))
        config = self._config_of_dir[directory]
        key = (str(config) if config else None, folder or directory, repr(sorted(editor.overrides.items())))
        cached = self._merged.get(key)
        if cached is not None:
            return cached
        base = self._load(config) if config else None
        if base is None:
            base = Settings(root=Path(folder or directory))
        settings = base
        if editor.overrides:
            try:
                settings = base.with_overrides(editor.overrides)
                self.override_errors.pop(folder or "", None)
            except ConfigError as exc:
                self.override_errors[folder or ""] = exc
                log.warning("leery: editor settings ignored: %s", exc)
        self._merged[key] = settings
        return settings

    def _load(self, config: Path) -> Settings | None:
        name = str(config)
        self._stamps[name] = _mtime(name)
        try:
            settings = load_settings(config.parent, config_file=config)
        except ConfigError as exc:
            self._stamps.setdefault(exc.path, _mtime(exc.path))
            self.errors[name] = exc
            log.warning("leery: %s (the last good configuration stays in force)", exc)
            return self._good.get(name) or Settings(root=config.parent)
        self.errors.pop(name, None)
        self._good[name] = settings
        for file in settings.config_files:  # and the files it extends
            self._stamps.setdefault(file, _mtime(file))
        return settings


def _mtime(path: str) -> int | None:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return None


def error_position(error: ConfigError) -> tuple[int, int]:
    """0-based (line, column) of a config error in its file, best effort."""
    match = re.search(r"at line (\d+), column (\d+)", error.message)
    if match:
        return int(match.group(1)) - 1, int(match.group(2)) - 1
    if error.key:
        try:
            lines = Path(error.path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return 0, 0
        leaf = error.key.split(".")[-1]
        pattern = re.compile(rf"^\s*\"?{re.escape(leaf)}\"?\s*=|^\s*\[.*{re.escape(leaf)}\]")
        for number, line in enumerate(lines):
            if pattern.search(line):
                return number, len(line) - len(line.lstrip())
    return 0, 0
