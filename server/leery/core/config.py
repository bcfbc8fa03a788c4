"""Settings and `[tool.leery]` loading: discovery, `extend`, validation with clear errors.

TOML only; leery never executes configuration (DESIGN.md, principle 7).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leery.core.findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", ".tox", ".nox", "__pycache__", "build", "dist",
    "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "*.egg-info",
    ".eggs", "__pypackages__", ".leery",
)

# Top-level keys: name -> (expected type description, checker).
_LIST_OF_STR = ("a list of strings", lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v))
_STR = ("a string", lambda v: isinstance(v, str))
_TABLE = ("a table", lambda v: isinstance(v, dict))
KEYS: dict[str, tuple[str, Any]] = {
    "select": _LIST_OF_STR,
    "ignore": _LIST_OF_STR,
    "extend-select": _LIST_OF_STR,
    "extend-ignore": _LIST_OF_STR,
    "exclude": _LIST_OF_STR,
    "extend": _STR,
    "severity": _TABLE,
    "per-file-ignores": _TABLE,
}
# Feature sections (`[tool.leery.<name>]`): name -> {key: (type description, checker)}.
# Each feature adds its own entry here.
SECTIONS: dict[str, dict[str, tuple[str, Any]]] = {}
# The review record, baseline and new-code scope (leery.review): declared here because the CLI
# and the server read them without importing any rule module.
SECTIONS["review"] = {"show": ("\"hidden\" or \"hint\"", lambda v: v in ("hidden", "hint"))}
SECTIONS["baseline"] = {"enabled": ("true or false", lambda v: isinstance(v, bool))}
SECTIONS["scope"] = {"changed": ("true or false", lambda v: isinstance(v, bool)), "base": ("a git revision", lambda v: isinstance(v, str) and bool(v) and not v.startswith("-"))}

SEVERITIES = {s.value for s in Severity}


class ConfigError(Exception):
    """A configuration problem that stops the run with exit code 2."""

    def __init__(self, path: str, key: str | None, message: str) -> None:
        self.path = path
        self.key = key
        self.message = message
        where = f"{path}: " + (f"`{key}`: " if key else "")
        super().__init__(where + message)


@dataclass
class Settings:
    root: Path = field(default_factory=Path.cwd)
    select: list[str] | None = None  # None: every rule that is on by default
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    extend_ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    config_files: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # key -> file (or "default", "editor")
    strict: bool = False  # re-raise rule errors (tests)
    _enabled_cache: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    # -- rule selection --------------------------------------------------------------------
    def enabled_codes(self, path: str | None = None) -> frozenset[str]:
        # Keyed by the per-file-ignores that apply, not by path: most files share one answer.
        extra = tuple(self._per_file_ignores_for(path)) if path is not None and self.per_file_ignores else ()
        cached = self._enabled_cache.get(extra)
        if cached is not None:
            return cached
        from leery.core.registry import load_rules

        registry = load_rules()
        selects = ["__default__"] if self.select is None else list(self.select)
        selects += self.extend_select
        ignores = list(self.ignore) + list(self.extend_ignore) + list(extra)
        enabled = set()
        # Codes per selector, once: `rule in registry.matching(sel)` per rule was quadratic
        # (and compared whole Rule dataclasses), ~100 ms per file with a few dozen selectors.
        matched = {sel: {r.code for r in registry.matching(sel)} for sel in {*selects, *ignores} if sel != "__default__"}
        for rule in registry.rules.values():
            best: tuple[int, bool] | None = None  # (specificity, is_select)
            for sel in selects:
                if sel == "__default__":
                    if rule.default_enabled:
                        best = max(best or (0, True), (0, True))
                    continue
                if rule.code in matched[sel]:
                    spec = _specificity(sel)
                    if best is None or spec > best[0]:
                        best = (spec, True)
            for sel in ignores:
                if rule.code in matched[sel]:
                    spec = _specificity(sel)
                    if best is None or spec >= best[0]:
                        best = (spec, False)
            if best and best[1]:
                enabled.add(rule.code)
        result = frozenset(enabled)
        self._enabled_cache[extra] = result
        return result

    def _per_file_ignores_for(self, path: str) -> list[str]:
        rel = self.relative(path)
        out: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            if path_matches(rel, pattern):
                out.extend(codes)
        return out

    def severity_of(self, code: str, default: Severity) -> Severity:
        return self.severity.get(code, default)

    # -- files -----------------------------------------------------------------------------
    def relative(self, path: str) -> str:
        real = os.path.realpath(path)  # as Path.resolve(), without building Path objects
        root = str(_resolved(self.root))
        if real.startswith(root + os.sep):
            return Path(real[len(root) + 1 :]).as_posix()
        if real == root:
            return "."
        return Path(path).as_posix()

    def is_excluded(self, path: str) -> bool:
        rel = self.relative(path)
        return is_default_excluded(rel) or any(path_matches(rel, pattern) for pattern in self.exclude)

    def section(self, name: str) -> dict[str, Any]:
        return self.sections.get(name, {})

    def with_overrides(self, overrides: dict[str, Any], origin: str = "editor") -> "Settings":
        """Settings with editor-provided values on top (keys as in TOML); validated like a file."""
        data = _validate(overrides, origin)
        new = replace(self, _enabled_cache={}, origins=dict(self.origins))
        _apply(new, data, origin, base_dir=self.root)
        return new


def is_default_excluded(rel: str) -> bool:
    """Virtualenvs, VCS and build folders: never the user's own source."""
    return any(_excluded_part(part) for part in rel.split("/"))


@functools.lru_cache(maxsize=4096)
def _excluded_part(part: str) -> bool:
    """One folder or file name against DEFAULT_EXCLUDE (asked for every part of every path)."""
    return any(fnmatch.fnmatch(part, pattern) for pattern in DEFAULT_EXCLUDE)


@functools.lru_cache(maxsize=256)
def _resolved(root: Path) -> Path:
    return root.resolve()


def _specificity(selector: str) -> int:
    return 1000 if "-" in selector or selector.islower() else len(selector)


def path_matches(rel: str, pattern: str) -> bool:
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern + "/*"):
        return True
    if pattern.startswith("**/") and fnmatch.fnmatch(rel, pattern[3:]):
        return True
    if "/" not in pattern:  # a bare name matches at any depth, like .gitignore
        return any(fnmatch.fnmatch(part, pattern) for part in rel.split("/"))
    return False


# -- discovery and loading ---------------------------------------------------------------------
def find_config_file(start: Path) -> Path | None:
    """The nearest leery.toml, or pyproject.toml with a [tool.leery] table, at or above `start`."""
    current = start if start.is_dir() else start.parent
    current = current.resolve()
    for directory in (current, *current.parents):
        candidate = directory / "leery.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _has_leery_table(candidate):
            return candidate
    return None


def _has_leery_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "tool.leery" not in text and "[tool]" not in text:
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "[tool.leery" in text  # broken but clearly ours: load it and report the error
    return isinstance(data.get("tool"), dict) and "leery" in data["tool"]


def load_settings(start: Path | None = None, config_file: Path | None = None) -> Settings:
    """Settings for files under `start` (or from an explicit file). Raises ConfigError."""
    start = (start or Path.cwd()).resolve()
    path = config_file or find_config_file(start)
    if path is None:
        settings = Settings(root=start if start.is_dir() else start.parent)
        return settings
    path = path.resolve()
    settings = Settings(root=path.parent)
    for file, data in _load_chain(path, []):
        _apply(settings, data, str(file), base_dir=file.parent)
        settings.config_files.append(str(file))
    return settings


def _read_table(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), None, f"cannot read the file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), None, f"invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("leery", {})
        if not isinstance(data, dict):
            raise ConfigError(str(path), "tool.leery", "expected a table")
    return data


def _load_chain(path: Path, seen: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """The file and what it extends, base first. Refuses cycles."""
    if path in seen:
        chain = " -> ".join(str(p) for p in [*seen, path])
        raise ConfigError(str(path), "extend", f"configuration files extend each other in a cycle: {chain}")
    raw = _read_table(path)
    data = _validate(raw, str(path))
    chain: list[tuple[Path, dict[str, Any]]] = []
    if "extend" in data:
        target = resolve_extend(data["extend"], path)
        chain.extend(_load_chain(target, [*seen, path]))
    chain.append((path, data))
    return chain


def resolve_extend(value: str, from_file: Path) -> Path:
    if value.startswith("pkg:"):
        return _resolve_package_file(value, from_file)
    target = Path(os.path.expanduser(value))
    if not target.is_absolute():
        target = from_file.parent / target
    target = target.resolve()
    if not target.is_file():
        raise ConfigError(str(from_file), "extend", f"the extended file {value!r} does not exist")
    return target


def _resolve_package_file(value: str, from_file: Path) -> Path:
    """`pkg:DISTRIBUTION/path/in/it.toml`: a file listed in an installed distribution's RECORD.

    Only metadata is read (importlib.metadata); the package is never imported.
    """
    from importlib import metadata

    dist_name, _, inner = value[len("pkg:") :].partition("/")
    if not dist_name or not inner:
        raise ConfigError(str(from_file), "extend", f"{value!r}: expected pkg:DISTRIBUTION/path/in/it.toml")
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError:
        raise ConfigError(
            str(from_file), "extend", f"{value!r}: no distribution {dist_name!r} is installed where leery runs ({sys.executable})"
        ) from None
    listed = dist.files or []
    match = next((f for f in listed if f.as_posix() == inner), None)
    if match is None:
        tomls = sorted(f.as_posix() for f in listed if f.as_posix().endswith(".toml"))
        hint = f" (its .toml files: {', '.join(tomls[:10])})" if tomls else " (it ships no .toml file)"
        raise ConfigError(str(from_file), "extend", f"{value!r}: {dist_name} has no file {inner!r}{hint}")
    target = Path(str(dist.locate_file(match))).resolve()
    if not target.is_file():
        raise ConfigError(str(from_file), "extend", f"{value!r}: {dist_name} lists {inner!r} but {target} is missing")
    return target


def _validate(raw: dict[str, Any], origin: str) -> dict[str, Any]:
    from leery.core.registry import load_rules

    registry = load_rules()
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in SECTIONS:
            out[key] = _validate_section(key, value, origin)
            continue
        if key not in KEYS:
            known = ", ".join(sorted([*KEYS, *SECTIONS]))
            raise ConfigError(origin, key, f"unknown key (known keys: {known})")
        expected, check = KEYS[key]
        if not check(value):
            raise ConfigError(origin, key, f"expected {expected}, got {type(value).__name__} {value!r}")
        if key in ("select", "ignore", "extend-select", "extend-ignore"):
            for sel in value:
                if not registry.is_selector(sel):
                    raise ConfigError(origin, key, f"{sel!r} names no rule (use a code like LY101, a prefix like LY1, or a rule name)")
        elif key == "severity":
            for code, level in value.items():
                if not registry.is_selector(code):
                    raise ConfigError(origin, f"severity.{code}", "names no rule")
                if level not in SEVERITIES:
                    raise ConfigError(origin, f"severity.{code}", f"expected one of {sorted(SEVERITIES)}, got {level!r}")
        elif key == "per-file-ignores":
            for pattern, codes in value.items():
                if not _LIST_OF_STR[1](codes):
                    raise ConfigError(origin, f"per-file-ignores.{pattern}", "expected a list of rule codes")
                for sel in codes:
                    if not registry.is_selector(sel):
                        raise ConfigError(origin, f"per-file-ignores.{pattern}", f"{sel!r} names no rule")
        out[key] = value
    return out


def _validate_section(name: str, value: Any, origin: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(origin, name, "expected a table")
    schema = SECTIONS[name]
    for key, item in value.items():
        if key not in schema:
            raise ConfigError(origin, f"{name}.{key}", f"unknown key (known: {', '.join(sorted(schema))})")
        expected, check = schema[key]
        if not check(item):
            raise ConfigError(origin, f"{name}.{key}", f"expected {expected}, got {item!r}")
    return value


def _apply(settings: Settings, data: dict[str, Any], origin: str, base_dir: Path) -> None:
    from leery.core.registry import load_rules

    registry = load_rules()
    for key, value in data.items():
        settings.origins[key] = origin
        if key == "select":
            settings.select = list(value)
        elif key == "ignore":
            settings.ignore = list(value)
        elif key == "extend-select":
            settings.extend_select = [*settings.extend_select, *value]
        elif key == "extend-ignore":
            settings.extend_ignore = [*settings.extend_ignore, *value]
        elif key == "severity":
            for sel, level in value.items():
                for rule in registry.matching(sel):
                    settings.severity[rule.code] = Severity(level)
        elif key == "per-file-ignores":
            settings.per_file_ignores = {**settings.per_file_ignores, **value}
        elif key == "exclude":
            settings.exclude = [*settings.exclude, *value]
        elif key in SECTIONS:
            settings.sections[key] = {**settings.sections.get(key, {}), **value}
    settings._enabled_cache.clear()
