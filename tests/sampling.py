"""Reading the samples: `# expect: LY101, F401` annotations and per-sample settings."""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from pathlib import Path

from leery.core.config import Settings
from leery.core.engine import analyze
from leery.core.fixes import fix_until_stable
from leery.core.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
_SELECT = re.compile(r"#\s*sample-select:\s*([A-Za-z0-9, -]+)")


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*.py") if not p.name.endswith(".fixed.py"))


def expected(text: str) -> Counter:
    """(1-based line, code) pairs from comment tokens only: a string that says '# expect' is ignored."""
    found: Counter = Counter()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        tokens = []
        # Samples of syntax errors: fall back to whole-line comments.
        for i, line in enumerate(text.splitlines(), 1):
            m = _EXPECT.search(line)
            if m:
                for code in m.group(1).split(","):
                    if code.strip():
                        found[(i, code.strip())] += 1
        return found
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            m = _EXPECT.search(tok.string)
            if m:
                for code in m.group(1).split(","):
                    if code.strip():
                        found[(tok.start[0], code.strip())] += 1
    return found


def settings_for(text: str) -> Settings:
    m = _SELECT.search(text)
    select = [s.strip() for s in m.group(1).split(",") if s.strip()] if m else ["ALL"]
    return Settings(root=ROOT, select=select, strict=True)


def relpath(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# A folder with this marker file is one small project (cross-file rules such as LY301):
# its samples are analysed with a Workspace of that folder, built once per test session.
WORKSPACE_MARKER = ".sample-workspace"
_WORKSPACES: dict[Path, object] = {}


def workspace_for(path: Path):
    for folder in path.resolve().parents:
        if folder == SAMPLES.parent:
            return None
        if (folder / WORKSPACE_MARKER).is_file():
            if folder not in _WORKSPACES:
                from leery.workspace import Workspace

                settings = Settings(root=folder, exclude=["*.fixed.py"], sections={"duplicates": {"cache": False}})
                workspace = Workspace(folder, settings)
                workspace.build()
                _WORKSPACES[folder] = workspace
            return _WORKSPACES[folder]
    return None


def _source_path(path: Path, workspace) -> str:
    return str(path.resolve()) if workspace is not None else relpath(path)


def actual(path: Path, text: str | None = None):
    text = path.read_text(encoding="utf-8") if text is None else text
    workspace = workspace_for(path)
    findings = analyze(SourceFile(text, _source_path(path, workspace)), settings_for(text), workspace)
    return findings, Counter((f.span.start_line + 1, f.code) for f in findings)


def fixed_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    settings = settings_for(text)
    workspace = workspace_for(path)
    analyze_ = lambda s: analyze(s, settings, workspace)  # noqa: E731
    new_text, _ = fix_until_stable(text, _source_path(path, workspace), analyze_, unsafe=True)
    return new_text
