"""Everything the benchmarks need, fetched into benchmarks/.cache/ (git-ignored) on first use.

- a venv with the other tools (ruff, pylsp, pylint, py-spy), pinned in benchmarks/requirements.txt;
- real source trees from the package registry (sdists, no binaries), unpacked into two
  workspaces: ws131/ (requests, flask, click, rich, werkzeug: ~131k lines) and wsbig/ (sqlalchemy,
  ~650k lines). Each gets a leery.toml with every rule on, so leery finds that config and not the
  repository's own (which excludes benchmarks/.cache).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache"
VENV = CACHE / "venv"
TOOLS = VENV / "bin"
PROJECT_BIN = REPO / ".venv" / "bin"
WS131 = CACHE / "ws131"
WSBIG = CACHE / "wsbig"

TREES_131 = {"requests": "2.34.2", "flask": "3.1.3", "click": "8.5.1", "rich": "15.0.0", "werkzeug": "3.1.9"}
TREES_BIG = {"sqlalchemy": "2.1.9"}
LEERY_TOML = '# written by benchmarks/prepare.py: every rule family on\nselect = ["ALL"]\n'


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_venv() -> None:
    requirements = HERE / "requirements.txt"
    stamp = VENV / ".requirements-sha256"
    want = hashlib.sha256(requirements.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want:
        return
    log("benchmarks: installing the pinned tools into benchmarks/.cache/venv ...")
    if not (TOOLS / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(TOOLS / "pip"), "install", "-q", "--disable-pip-version-check", "-r", str(requirements)], check=True)
    stamp.write_text(want)


def _unpack(name: str, version: str, into: Path) -> Path:
    target = into / f"{name}-{version}"
    if target.exists():
        return target
    sdists = CACHE / "sdist"
    sdists.mkdir(parents=True, exist_ok=True)
    archive = next(sdists.glob(f"{name}-{version}.tar.gz"), None)
    if archive is None:
        log(f"benchmarks: downloading the {name} {version} sdist ...")
        subprocess.run(
            [str(TOOLS / "pip"), "download", "-q", "--disable-pip-version-check", "--no-deps", "--no-binary", ":all:",
             "-d", str(sdists), f"{name}=={version}"],
            check=True,
        )
        archive = next(sdists.glob(f"{name}-{version}.tar.gz"))
    into.mkdir(parents=True, exist_ok=True)
    partial = into / f".{name}-partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(partial, filter="data")  # "data": no links or devices out of the folder
    (partial / f"{name}-{version}").rename(target)
    partial.rmdir()
    return target


def ensure_trees() -> None:
    """Both workspaces: the LSP benchmark opens sqlalchemy's session.py even in --quick runs."""
    for trees, into in ((TREES_131, WS131), (TREES_BIG, WSBIG)):
        for name, version in trees.items():
            _unpack(name, version, into)
        (into / "leery.toml").write_text(LEERY_TOML)


def lsp_files() -> dict[str, Path]:
    """The documents opened in every language server, smallest first."""
    rich = WS131 / f"rich-{TREES_131['rich']}" / "rich"
    sqlalchemy = WSBIG / f"sqlalchemy-{TREES_BIG['sqlalchemy']}" / "lib" / "sqlalchemy" / "orm"
    return {"rich/progress_bar.py": rich / "progress_bar.py", "rich/text.py": rich / "text.py", "sqlalchemy/orm/session.py": sqlalchemy / "session.py"}


def python_lines(root: Path) -> tuple[int, int]:
    """(files, lines) of the .py files under root."""
    files = lines = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                files += 1
                with open(os.path.join(dirpath, name), "rb") as f:
                    lines += f.read().count(b"\n")
    return files, lines


def prepare() -> None:
    ensure_venv()
    ensure_trees()


if __name__ == "__main__":
    prepare()
