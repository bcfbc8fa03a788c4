"""New-code scope: which lines changed since the merge base with a revision.

`leery check --since REV` diffs the working tree against `git merge-base HEAD REV` once
(`git diff -U0`), adds untracked files whole, and keeps findings that touch a changed line.
`changed_in_text` does the same for one editor buffer (unsaved edits included) by diffing it
against the file's content at the merge base.

A line-based scope cannot see a finding that a deletion causes on an unchanged line (removing
the only use of a variable); such findings show up in the full check.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from leery.core.findings import Finding
from leery.review.gitinfo import GitError, git

ALL = None  # a new file: every line counts as changed
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


@dataclass
class ChangeSet:
    """Changed lines (0-based) per resolved file path; ALL for new files."""

    base: str
    files: dict[str, set[int] | None] = field(default_factory=dict)

    def keeps(self, finding: Finding) -> bool:
        key = str(Path(finding.path).resolve())
        if key not in self.files:
            return False
        lines = self.files[key]
        if lines is ALL:
            return True
        return any(line in lines for line in range(finding.span.start_line, finding.span.end_line + 1))


def toplevel(cwd: Path) -> Path:
    return Path(git(cwd, "rev-parse", "--show-toplevel").strip()).resolve()


def merge_base(cwd: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise GitError(f"{rev!r} is not a revision")
    try:
        git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        raise GitError(f"unknown revision {rev!r}") from None
    return git(cwd, "merge-base", "HEAD", rev).strip()


def changes_since(cwd: Path, rev: str) -> ChangeSet:
    """Lines changed in the working tree (staged or not) since the merge base with `rev`."""
    top = toplevel(cwd)
    base = merge_base(top, rev)
    changes = ChangeSet(base)
    diff = git(top, "diff", "-U0", "--no-color", "--no-ext-diff", "-M", base, "--")
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:].removesuffix("\t")  # git ends names that contain spaces with a tab
            if target == "/dev/null":
                current = None
                continue
            name = _unquote(target)[2:]  # drop "b/"
            current = changes.files.setdefault(str((top / name).resolve()), set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                current.update(range(start - 1, start - 1 + count))
    untracked = git(top, "ls-files", "--others", "--exclude-standard", "-z")
    for name in filter(None, untracked.split("\0")):
        changes.files[str((top / name).resolve())] = ALL
    return changes


def changed_in_text(top: Path, base: str, path: Path, text: str) -> set[int] | None:
    """Changed lines of one buffer against its content at `base` (ALL when new since then)."""
    rel = path.resolve().relative_to(top).as_posix()
    key = (str(top), base, rel)
    if key not in _BLOBS:  # a commit's content never changes: fetch it once
        try:
            _BLOBS[key] = git(top, "show", f"{base}:{rel}")
        except GitError:
            _BLOBS[key] = None
        while len(_BLOBS) > 256:
            _BLOBS.pop(next(iter(_BLOBS)))
    old = _BLOBS[key]
    if old is None:
        return ALL
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old.splitlines(), text.splitlines(), autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            changed.update(range(j1, j2))
    return changed


# -- the `[scope] changed = true` setting (the editor's `"leery.scope": "changed"`) -------------
DEFAULT_BASES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
_BLOBS: dict[tuple[str, str, str], str | None] = {}
_TOPS: dict[str, Path] = {}
_BASES: dict[tuple[str, str, str], str] = {}  # (top, HEAD commit, rev) -> merge base
_WARNED: set[str] = set()


def changed_lines_filter(findings: list[Finding], source, settings, workspace) -> list[Finding]:
    """A post-filter: with `scope.changed`, keep findings on lines changed since the merge base
    (of HEAD and `scope.base`, else the default branch), unsaved edits included."""
    from leery.review.filters import bypassed

    section = settings.section("scope")
    if not section.get("changed") or not findings or source.path.startswith("<") or bypassed():
        return findings
    path = Path(source.path).resolve()
    try:
        top = _TOPS.get(str(path.parent)) or _TOPS.setdefault(str(path.parent), toplevel(path.parent))
        lines = changed_in_text(top, _base(top, section.get("base")), path, source.text)
    except (GitError, ValueError) as exc:
        message = f"leery: scope \"changed\" is off for {path.parent}: {exc}; showing every finding"
        if message not in _WARNED:
            _WARNED.add(message)
            logging.getLogger("leery").warning(message)
        return findings
    if lines is ALL:
        return findings
    return [f for f in findings if any(line in lines for line in range(f.span.start_line, f.span.end_line + 1))]


def _base(top: Path, rev: str | None) -> str:
    head = git(top, "rev-parse", "HEAD").strip()
    key = (str(top), head, rev or "")
    if key not in _BASES:
        candidates = [rev] if rev else list(DEFAULT_BASES)
        for candidate in candidates:
            try:
                _BASES[key] = merge_base(top, candidate)
                break
            except GitError:
                continue
        else:
            raise GitError(f"no merge base with {' or '.join(candidates)}")
    return _BASES[key]


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _unquote(name: str) -> str:
    """git's C-style quoting of unusual file names ("b/a\\"b.py", octal UTF-8 bytes)."""
    if not (name.startswith('"') and name.endswith('"')):
        return name
    body, out, i = name[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if body[i + 1 : i + 4].isdigit():
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
        out.extend(ch.encode("utf-8"))
        i += 1
    return out.decode("utf-8", errors="surrogateescape")
