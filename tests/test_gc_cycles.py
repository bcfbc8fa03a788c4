"""An analysis leaves no cycle that holds the file: its syntax tree, its SourceFile and its Context
are freed by reference counting when the analysis is done. `leery check` counts on it (it runs no
collection between files, checking._collect_and_freeze) and so does the server (it holds off the
collector while the user types). A rule that keeps the context in something the context keeps
(`ctx._cache = Helper(ctx)`) would leave the whole tree to the cyclic collector, file after file."""

from __future__ import annotations

import ast
import gc

from sampling import actual, sample_files

from leery.core.context import Context
from leery.core.source import SourceFile


def _garbage_after(paths) -> list:
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for path in paths:
            findings, _ = actual(path)
            del findings
        gc.collect()
        return [o for o in gc.garbage if isinstance(o, (ast.AST, SourceFile, Context))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_no_analysis_of_a_sample_leaves_its_tree_in_cyclic_garbage():
    paths = sample_files()
    assert len(paths) > 40
    for path in paths:  # warm: caches of library tables, lazy imports, workspaces
        actual(path)
    kept = _garbage_after(paths)
    assert [type(o).__name__ for o in kept[:20]] == []


def test_the_check_sees_a_cycle_when_a_rule_makes_one(monkeypatch):
    """The test above can fail: the keyword rule's helper holding its context is such a cycle."""
    from leery.rules.apis import keywords

    init = keywords._Checker.__init__

    def keeping(self, ctx):
        init(self, ctx)
        self.ctx = ctx

    monkeypatch.setattr(keywords._Checker, "__init__", keeping)
    paths = [p for p in sample_files() if p.parent.name == "apis" and "LY405" in p.name]
    assert paths
    for path in paths:
        actual(path)
    assert any(isinstance(o, SourceFile) for o in _garbage_after(paths))
