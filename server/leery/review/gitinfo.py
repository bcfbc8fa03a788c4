"""What leery asks git: the reviewer's name, the repository's top folder. Read-only commands."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitError(Exception):
    pass


def git(cwd: Path, *args: str) -> str:
    """Run a read-only git command; its stdout. Raises GitError with git's own message."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=str(cwd),
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",
            env=env,
            timeout=60,
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"`git {' '.join(args)}` took longer than 60 s") from None
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise GitError(message[-1] if message else f"`git {' '.join(args)}` failed")
    return result.stdout


def reviewer(cwd: Path) -> str:
    """`Name <email>` from git config; raises GitError when the name is not set."""
    try:
        name = git(cwd, "config", "user.name").strip()
    except GitError:
        name = ""
    if not name:
        raise GitError("no reviewer: set `git config user.name` (and user.email), or pass --reviewer")
    try:
        email = git(cwd, "config", "user.email").strip()
    except GitError:
        email = ""
    return f"{name} <{email}>" if email else name


def find_git_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` with a `.git` (folder or worktree file)."""
    current = start if start.is_dir() else start.parent
    for directory in (current, *current.parents):
        if (directory / ".git").exists():
            return directory
    return None
