"""Syntax trees of files on disk, parsed once per process and shared.

The API rules read library and project modules (names, signatures), the taint engine reads the
project modules a file calls into, and `leery check` analyses those same project files: on 131k
lines each project module was parsed up to three times per worker. Trees are keyed by path and
modification time; one is lent for a text only when that text is exactly the file's content.
Borrowers only read a tree (a walk that links nodes unlinks them when done).
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import warnings
from typing import NamedTuple

_LIMIT = 2000  # trees kept (library modules of a large project, and its own)
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)


class Parsed(NamedTuple):
    mtime: float
    tree: ast.Module | None  # None: unreadable or not valid Python
    mentions_global: bool  # the text has the word `global`
    digest: bytes | None  # of the bytes, when the tree is the tree of their UTF-8 text


_TREES: dict[str, Parsed] = {}
_NONE = Parsed(0.0, None, False, None)


def parsed(path: str) -> Parsed:
    """The file's tree, cached by modification time."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return _NONE
    cached = _TREES.get(path)
    if cached is not None and cached.mtime == mtime:
        return cached
    mentions = False
    digest = None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        mentions = b"global" in data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a library's invalid escapes are not ours to report
            tree = ast.parse(data, filename=path)
        if _utf8(data):
            digest = _digest(data)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None
    if len(_TREES) >= _LIMIT:
        _TREES.clear()
    _TREES[path] = Parsed(mtime, tree, mentions, digest)
    return _TREES[path]


def tree_for_text(path: str, text: str, parse: bool = False) -> ast.Module | None:
    """The tree of `text` if it is the content of the file at `path` and that file was parsed
    (or is now, with `parse`: only when the file holds `text`, so that an unsaved buffer is not
    parsed twice); else None and the caller parses `text` itself."""
    try:
        digest = _digest(text.encode("utf-8", "surrogatepass"))
        cached = _TREES.get(path)
        if cached is None or cached.mtime != os.stat(path).st_mtime:
            if not parse or _file_digest(path) != digest:
                return None
            cached = parsed(path)
        if cached.tree is None or cached.digest != digest or os.stat(path).st_mtime != cached.mtime:
            return None
    except (OSError, UnicodeError):
        return None
    return cached.tree


def _file_digest(path: str) -> bytes:
    with open(path, "rb") as handle:
        return _digest(handle.read())


def _utf8(data: bytes) -> bool:
    """Whether ast.parse read the bytes as UTF-8 (no other coding declared in the first two
    lines): only then is their tree the tree of their UTF-8 text."""
    if data.isascii():
        return True
    head = b"\n".join(data.split(b"\n", 2)[:2])
    match = _COOKIE.search(head)
    return match is None or match.group(1).lower().replace(b"_", b"-") in (b"utf-8", b"utf8")


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()
