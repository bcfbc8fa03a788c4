"""The server's slow tier borrows the fast tier's syntax tree (leery.lsp.scheduler.Analyzer).

The fast tier splices each version into its tree in place (leery.core.reparse). The slow tier
may read that tree while it is of the slow tier's own version; meanwhile the fast tier must not
change it: it parses the next version afresh and goes on from a new lineage.
"""

from __future__ import annotations

import ast

from leery.core.incremental import State
from leery.lsp.documents import Unit
from leery.lsp.scheduler import Analyzer

V1 = "import os\n\n\ndef f(path):\n    return os.path.exists(path)\n\n\ndef g():\n    return 1\n"
V2 = V1.replace("    return os.path", "    path = str(path)\n    return os.path")  # g moves down a line


def _unit(text: str, version: int) -> Unit:
    return Unit("file:///m.py", version, "/tmp/m.py", text)


def _dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


def test_the_slow_tier_reads_the_fast_tiers_tree_and_the_fast_tier_leaves_it_alone() -> None:
    analyzer = Analyzer(session=None)
    try:
        state = analyzer.states.setdefault("/tmp/m.py", State())
        first = analyzer._fast_source(_unit(V1, 1), state)
        slow = _unit(V1, 1)
        assert analyzer._borrow(slow)
        assert slow.source.tree is first.tree  # the same tree: not parsed again
        assert not analyzer._borrow(_unit(V1, 1))  # lent once at a time

        second = analyzer._fast_source(_unit(V2, 2), state)  # typing goes on meanwhile
        assert second.tree is not first.tree
        assert _dump(slow.source.tree) == _dump(ast.parse(V1))  # the lent tree did not change
        assert _dump(second.tree) == _dump(ast.parse(V2))
        analyzer._give_back(slow)

        assert not analyzer._borrow(_unit(V1, 1))  # the fast tier is at V2 now
        later = _unit(V2, 2)
        assert analyzer._borrow(later) and later.source.tree is second.tree
        analyzer._give_back(later)
        third = analyzer._fast_source(_unit(V1, 3), state)  # given back: spliced in place again
        assert third.tree.body[2] is second.tree.body[2]  # g is the same node, moved: only f was parsed
        assert _dump(third.tree) == _dump(ast.parse(V1))
    finally:
        for pool in (analyzer.fast_pool, analyzer.slow_pool, analyzer.bulk_pool):
            pool.shutdown()
