"""astutil's shortcuts give what the plain walks give."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from leery.core import astutil
from leery.core.source import SourceFile
from leery.rules.apis import guards, idioms

ROOT = Path(__file__).resolve().parent.parent

# Every way a statement binds a name, nested in every compound statement.
EVERY_BINDING = '''
import os, os.path as osp
from json import loads as parse
global g
a = b = 1
c, [d, *e] = f.x, g[0] = h = 2
i: int = 3
j: "list"
k += 1
for l, m in []:
    del n
else:
    o = 1
async def coroutine(p, /, q=1, *r, s, t=2, **u):
    async for v in w:
        pass
    async with x as (y, z), aa as ab.c:
        pass
while ac:
    ad = 1
else:
    ae = 1
if af:
    ag = 1
elif ah:
    ai = 1
else:
    aj = 1
with ak as al:
    try:
        am = 1
    except (an, ao) as ap:
        aq = 1
    except ar:
        as_ = 1
    else:
        at = 1
    finally:
        au = 1
match av:
    case [aw, *ax] if ay:
        az = 1
    case {"k": ba, **bb}:
        bc = 1
    case Point(x=bd) | bd as be:
        bf = [bg for bg in bh]
class Bi:
    bj = lambda bk: bk
    def bl(self):
        nonlocal bm
        bn = 1
'''


def _scopes(tree: ast.AST) -> list[ast.AST]:
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))] + [tree]


def _same_bindings(text: str) -> None:
    tree = ast.parse(text)
    for scope in _scopes(tree):
        assert guards._bound_names(scope, astutil.binding_children) == guards._bound_names(scope)
        if not isinstance(scope, ast.Lambda):
            fast, full = idioms._all_bindings(scope, walrus=False), idioms._all_bindings(scope)
            assert {k: sorted((kind, id(n)) for kind, n in v) for k, v in fast.items()} == {
                k: sorted((kind, id(n)) for kind, n in v) for k, v in full.items()
            }


def test_binding_walk_meets_every_binding_statement():
    assert not SourceFile(EVERY_BINDING).binds_in_expressions
    _same_bindings(EVERY_BINDING)
    names = guards._bound_names(ast.parse(EVERY_BINDING), astutil.binding_children)
    for expected in ("a", "c", "d", "e", "h", "i", "k", "l", "o", "ad", "ae", "ag", "ai", "aj", "al", "am", "ap", "aq", "au", "az", "bc", "bf", "Bi", "coroutine"):
        assert expected in names


@pytest.mark.parametrize("folder", ["samples", "server/leery", "tests"])
def test_binding_walk_equals_the_full_walk_on_real_code(folder):
    checked = 0
    for path in sorted((ROOT / folder).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if SourceFile(text).tree is None or SourceFile(text).binds_in_expressions:
            continue
        _same_bindings(text)
        checked += 1
    assert checked > 20


def test_walrus_is_seen():
    assert SourceFile("if (n := len(a)) > 1: pass\n").binds_in_expressions


def _all_node_types() -> tuple[type, ...]:
    found, todo = set(), [ast.AST]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return tuple(found)


def _preorder(node: ast.AST) -> list[ast.AST]:
    """Depth first in field order, every node but the leaves that carry nothing."""
    out = [node]
    for child in ast.iter_child_nodes(node):
        if type(child) not in astutil.LEAVES:
            out.extend(_preorder(child))
    return out


def _corpus() -> list[str]:
    texts = [EVERY_BINDING, "if (n := len(a)) > 1:\n    print(f'{n!r:>{w}}', *b, **c)\nx = [y async for y in z if y]\n"]
    for folder in ("samples", "server/leery"):
        texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / folder).rglob("*.py"))]
    return [t for t in texts if SourceFile(t).tree is not None]


def test_children_and_walk_are_the_ast_module_s_without_leaves():
    for text in _corpus():
        tree = ast.parse(text)
        assert astutil.walk(tree) == [n for n in ast.walk(tree) if type(n) not in astutil.LEAVES]
        for node in ast.walk(tree):
            assert astutil.children(node) == [c for c in ast.iter_child_nodes(node) if type(c) not in astutil.LEAVES]


@pytest.mark.parametrize("leaf_rule", [False, True])
def test_the_engine_walks_every_node_once_in_source_order_with_its_parents(leaf_rule):
    from leery.core.config import Settings
    from leery.core.context import Context
    from leery.core.engine import _walk
    from leery.core.findings import Confidence, Severity
    from leery.core.registry import Rule

    seen: list[tuple[ast.AST, list[ast.AST]]] = []
    types = _all_node_types() if leaf_rule else tuple(t for t in _all_node_types() if t not in astutil.LEAVES)
    rule = Rule("LY097", "sees-all", "", "", Severity.INFO, Confidence.LOW, nodes=types,
                check=lambda node, ctx: seen.append((node, list(ctx.parents))))
    for text in _corpus():
        source = SourceFile(text)
        seen.clear()
        _walk(source.tree, Context(source, Settings()), [rule])
        expected = [n for n in ast.walk(source.tree)] if leaf_rule else _preorder(source.tree)
        if leaf_rule:  # leaves are visited when a rule asks for them: every node then
            assert sorted(map(id, (n for n, _ in seen))) == sorted(map(id, expected))
            continue
        assert [n for n, _ in seen] == expected
        parent = {id(c): p for p in ast.walk(source.tree) for c in ast.iter_child_nodes(p)}
        for node, parents in seen:
            assert (parents[-1] if parents else None) is parent.get(id(node))
