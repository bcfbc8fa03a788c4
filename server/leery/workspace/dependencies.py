"""The dependencies a project declares, read from its project files without running anything.

Sources, in the folder nearest to the analysed file that has any of them: pyproject.toml
(`[project]` dependencies and extras, `[dependency-groups]`, `[build-system] requires`,
Poetry, PDM and Hatch tables, setuptools' `dynamic` requirement files), requirements*.txt
(and `requirements/*.txt`, following `-r`), setup.cfg, Pipfile, and the literal lists of a
setup.py read with `ast` (never executed). TOML and INI are parsed as data only.

Modules map to distributions with `importlib.metadata.packages_distributions()`.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    """PEP 503: `Flask_SQLAlchemy` and `flask.sqlalchemy` are `flask-sqlalchemy`."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Declared:
    folder: Path
    files: list[Path] = field(default_factory=list)
    names: dict[str, tuple[Path, int]] = field(default_factory=dict)  # normalized -> (file, 0-based line)
    complete: bool = True  # False when some dependencies are computed (setup.py code, dynamic)
    project_name: str | None = None

    def add(self, requirement: str, file: Path, text: str | None = None) -> None:
        match = _EGG.search(requirement) or _NAME.match(requirement)
        if not match:
            return
        name = normalize(match.group(1))
        if name in self.names:
            return
        line = 0
        if text is not None:
            found = re.search(rf"(?im)^.*\b{re.escape(match.group(1))}\b", text)
            line = text.count("\n", 0, found.start()) if found else 0
        self.names[name] = (file, line)

    def declares(self, distribution: str) -> bool:
        name = normalize(distribution)
        return name in self.names or name == self.project_name


_CACHE: dict[str, tuple[tuple, Declared | None]] = {}


def nearest(path: str | Path) -> Declared | None:
    """Declared dependencies of the nearest folder above `path` with a project file; None if none."""
    folder = Path(path).resolve().parent
    while True:
        candidates = _project_files(folder)
        if candidates:
            return _read_cached(folder, candidates)
        if folder.parent == folder:
            return None
        folder = folder.parent


def _project_files(folder: Path) -> list[Path]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [folder / n for n in PROJECT_FILES if n in names]
    found += sorted(folder / n for n in names if n.startswith("requirements") and n.endswith((".txt", ".in")))
    if "requirements" in names and (folder / "requirements").is_dir():
        found += sorted((folder / "requirements").glob("*.txt")) + sorted((folder / "requirements").glob("*.in"))
    return found


def _read_cached(folder: Path, files: list[Path]) -> Declared | None:
    key = tuple((str(f), _mtime(f)) for f in files)
    cached = _CACHE.get(str(folder))
    if cached and cached[0] == key:
        return cached[1]
    declared = read(folder, files)
    _CACHE[str(folder)] = (key, declared)
    return declared


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


def read(folder: Path, files: list[Path]) -> Declared:
    declared = Declared(folder)
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        declared.files.append(file)
        if file.name == "pyproject.toml":
            _read_pyproject(declared, file, text)
        elif file.name == "setup.cfg":
            _read_setup_cfg(declared, file, text)
        elif file.name == "setup.py":
            _read_setup_py(declared, file, text)
        elif file.name == "Pipfile":
            _read_pipfile(declared, file, text)
        else:
            _read_requirements(declared, file, text, set())
    return declared


def _load_toml(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _read_pyproject(declared: Declared, file: Path, text: str) -> None:
    data = _load_toml(text)
    project = data.get("project", {})
    if isinstance(project.get("name"), str):
        declared.project_name = normalize(project["name"])
    for req in _strings(project.get("dependencies")):
        declared.add(req, file, text)
    for reqs in _tables(project.get("optional-dependencies")):
        for req in _strings(reqs):
            declared.add(req, file, text)
    for group in _tables(data.get("dependency-groups")):
        for req in _strings(group):
            declared.add(req, file, text)
    for req in _strings(data.get("build-system", {}).get("requires")):
        declared.add(req, file, text)
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry", {})
    if isinstance(poetry, dict):
        if isinstance(poetry.get("name"), str):
            declared.project_name = declared.project_name or normalize(poetry["name"])
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        tables += [g.get("dependencies") for g in _tables(poetry.get("group"))]
        for table in tables:
            for name in table or {}:
                if name != "python":
                    declared.add(name, file, text)
    for reqs in _tables(tool.get("pdm", {}).get("dev-dependencies")):
        for req in _strings(reqs):
            declared.add(req, file, text)
    for env in _tables(tool.get("hatch", {}).get("envs")):
        for key in ("dependencies", "extra-dependencies"):
            for req in _strings(env.get(key)):
                declared.add(req, file, text)
    dynamic = project.get("dynamic", [])
    if isinstance(dynamic, list) and ("dependencies" in dynamic or "optional-dependencies" in dynamic):
        spec = tool.get("setuptools", {}).get("dynamic", {}).get("dependencies", {})
        paths = spec.get("file") if isinstance(spec, dict) else None
        if isinstance(paths, str):
            paths = [paths]
        if not paths:
            declared.complete = False
        for rel in paths or []:
            _read_requirements(declared, file.parent / rel, None, set())


def _read_requirements(declared: Declared, file: Path, text: str | None, seen: set[Path]) -> None:
    if file in seen or len(seen) > 20:
        return
    seen.add(file)
    if text is None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ", "-c ", "--constraint ")):
            _read_requirements(declared, file.parent / line.split(None, 1)[1].strip(), None, seen)
        elif line.startswith(("-e ", "--editable ")):
            declared.add(line.split(None, 1)[1], file, text)
        elif not line.startswith("-"):
            declared.add(line, file, text)


def _read_setup_cfg(declared: Declared, file: Path, text: str) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    if parser.has_option("metadata", "name"):
        declared.project_name = declared.project_name or normalize(parser.get("metadata", "name"))
    for key in ("install_requires", "tests_require", "setup_requires"):
        if parser.has_option("options", key):
            for req in parser.get("options", key).splitlines():
                declared.add(req, file, text)
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            for req in value.splitlines():
                declared.add(req, file, text)


def _read_setup_py(declared: Declared, file: Path, text: str) -> None:
    """Literal `install_requires=[...]` of a `setup(...)` call, read with ast; anything computed
    makes the declaration incomplete (setup.py is never run)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        declared.complete = False
        return
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", "")) == "setup"]
    if not calls:
        declared.complete = False
        return
    for call in calls:
        if any(kw.arg is None for kw in call.keywords):
            declared.complete = False
        for kw in call.keywords:
            if kw.arg in ("install_requires", "tests_require", "setup_requires", "extras_require"):
                try:
                    value = ast.literal_eval(kw.value)
                except ValueError:
                    declared.complete = False
                    continue
                groups = value.values() if isinstance(value, dict) else [value]
                for group in groups:
                    for req in [group] if isinstance(group, str) else group:
                        declared.add(req, file, text)
            elif kw.arg == "name" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                declared.project_name = declared.project_name or normalize(kw.value.value)


def _read_pipfile(declared: Declared, file: Path, text: str) -> None:
    data = _load_toml(text)
    for section in ("packages", "dev-packages"):
        for name in data.get(section, {}) or {}:
            declared.add(name, file, text)


def _strings(value) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _tables(value) -> list:
    return list(value.values()) if isinstance(value, dict) else []


# -- installed distributions ----------------------------------------------------------------

_DISTS: dict[str, object] = {}
_TTL = 30.0  # seconds: a package installed while the editor is open shows up soon after


def _installed() -> tuple[dict[str, list[str]], set[str]]:
    now = time.monotonic()
    if _DISTS and now - _DISTS["at"] < _TTL and _DISTS.get("pid") == os.getpid():  # type: ignore[operator]
        return _DISTS["modules"], _DISTS["names"]  # type: ignore[return-value]
    from importlib import metadata

    modules = metadata.packages_distributions()
    names = {normalize(d.metadata["Name"] or "") for d in metadata.distributions() if d.metadata["Name"]}
    _DISTS.update(at=now, pid=os.getpid(), modules=modules, names=names)
    return modules, names


def distributions_of(module: str) -> list[str]:
    """Installed distributions that provide a top-level module (`yaml` -> ['PyYAML'])."""
    return list(_installed()[0].get(module.split(".")[0], []))


def is_installed(distribution: str) -> bool:
    return normalize(distribution) in _installed()[1]


def required_by(distribution: str, declared: Declared) -> list[str]:
    """Declared, installed distributions that require `distribution` (why it is installed)."""
    from importlib import metadata

    wanted = normalize(distribution)
    out = []
    for name in declared.names:
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        if any(normalize(_NAME.match(r).group(1)) == wanted for r in requires if _NAME.match(r)):
            out.append(name)
    return sorted(out)
