"""leery.core.trees: one parse per file and process, lent only for the file's exact text."""

from __future__ import annotations

import ast
import os

from leery.core import trees


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_a_parsed_file_lends_its_tree_for_its_own_text_only(tmp_path):
    path = _write(tmp_path / "m.py", "def f(x):\n    return 'é'\n".encode())
    assert trees.tree_for_text(path, "def f(x):\n    return 'é'\n") is None  # not parsed yet
    tree = trees.parsed(path).tree
    assert isinstance(tree, ast.Module)
    assert trees.tree_for_text(path, "def f(x):\n    return 'é'\n") is tree
    assert trees.tree_for_text(path, "def f(x):\n    return 'e'\n") is None  # an unsaved edit
    assert trees.tree_for_text(path, "def f(x):\r\n    return 'é'\r\n") is None


def test_parse_on_demand_and_a_changed_file_is_parsed_again(tmp_path):
    path = _write(tmp_path / "m.py", b"A = 1\n")
    first = trees.tree_for_text(path, "A = 1\n", parse=True)
    assert ast.dump(first) == ast.dump(ast.parse("A = 1\n"))
    _write(tmp_path / "m.py", b"A = 2\n")
    os.utime(path, (1, 1))
    assert trees.tree_for_text(path, "A = 1\n") is None  # the file moved on
    second = trees.tree_for_text(path, "A = 2\n", parse=True)
    assert second is not first and ast.dump(second) == ast.dump(ast.parse("A = 2\n"))


def test_a_file_in_another_encoding_lends_nothing(tmp_path):
    """ast.parse decodes the bytes as the cookie says; a UTF-8 reading of them is another text."""
    data = "# -*- coding: latin-1 -*-\nS = 'é'\n".encode("utf-8")
    path = _write(tmp_path / "m.py", data)
    tree = trees.parsed(path).tree
    assert tree is not None and tree.body[0].value.value == "Ã©"
    assert trees.tree_for_text(path, data.decode("utf-8")) is None
    cookie = _write(tmp_path / "u.py", "# coding: utf-8\nS = 'é'\n".encode())
    assert trees.tree_for_text(cookie, "# coding: utf-8\nS = 'é'\n", parse=True) is not None


def test_broken_and_missing_files_have_no_tree(tmp_path):
    broken = _write(tmp_path / "b.py", b"def (:\n")
    assert trees.parsed(broken).tree is None
    assert trees.tree_for_text(broken, "def (:\n", parse=True) is None
    assert trees.parsed(str(tmp_path / "missing.py")).tree is None
    assert trees.parsed(_write(tmp_path / "g.py", b"def f():\n    global X\n")).mentions_global


def test_an_unsaved_buffer_does_not_make_the_file_parsed(tmp_path):
    """The server's open buffer differs from the file: the caller parses the buffer, and the
    file is not parsed as well."""
    path = _write(tmp_path / "m.py", b"A = 1\n")
    assert trees.tree_for_text(path, "A = 2\n", parse=True) is None
    assert path not in trees._TREES
    assert trees.tree_for_text(path, "A = 1\n", parse=True) is trees._TREES[path].tree
