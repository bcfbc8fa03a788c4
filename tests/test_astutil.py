"""astutil's shortcuts give what the plain walks give."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from leery.core import astutil
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
    assert not astutil.may_bind_in_expressions(EVERY_BINDING)
    _same_bindings(EVERY_BINDING)
    names = guards._bound_names(ast.parse(EVERY_BINDING), astutil.binding_children)
    for expected in ("a", "c", "d", "e", "h", "i", "k", "l", "o", "ad", "ae", "ag", "ai", "aj", "al", "am", "ap", "aq", "au", "az", "bc", "bf", "Bi", "coroutine"):
        assert expected in names


@pytest.mark.parametrize("folder", ["samples", "server/leery", "tests"])
def test_binding_walk_equals_the_full_walk_on_real_code(folder):
    checked = 0
    for path in sorted((ROOT / folder).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if astutil.may_bind_in_expressions(text):
            continue
        try:
            ast.parse(text)
        except SyntaxError:
            continue
        _same_bindings(text)
        checked += 1
    assert checked > 20


def test_walrus_is_seen():
    assert astutil.may_bind_in_expressions("if (n := len(a)) > 1: pass\n")
