"""`shape_of` gives the same Shape as the plain two-walk version it replaced.

The fingerprint walks each function once with per-type tables instead of `ast.iter_child_nodes`
(twice) and isinstance on every node. A record that changed would not match the records in
existing disk caches and would move LSH buckets, so the fast walk is checked against the plain
one, kept here as the reference, on real code (the repository, a few standard library packages)
and on syntax that is easy to get wrong (match, walrus, lambdas in defaults, global,
operators in the signature).
"""

from __future__ import annotations

import ast
import asyncio
import email
import json
import zlib
from array import array
from pathlib import Path

import pytest

from leery.workspace import fingerprint

REPO = Path(__file__).resolve().parent.parent

TRICKY = '''
import os


def widen(x: int | None = None, *args: str, flag=lambda a, b=1: a + b, **kw) -> dict[str, int | None]:
    """Docstring, not counted."""
    global COUNT
    COUNT += 1
    if (n := len(args)) > 2 and x | 1:
        import os.path as osp, json
        from re import sub as substitute
    try:
        total = sum(v for v in kw.values() if v) + ~x - (-n)
    except (ValueError, TypeError) as exc:
        raise RuntimeError(f"{exc!r:>10} {x=}") from exc
    match kw:
        case {"a": [1, *rest], **others} if rest:
            return others
        case Point(x=0, y=yy) | Point(x=yy, y=0) as point:
            return {"p": point, "y": yy}
        case None | True | "s" | b"b" | 1.5 | 2j | -1 | 1 + 2j | [*_]:
            pass
    for i, (a, b) in enumerate(zip(args, args[1:])):
        nonlocal_like = [a async for a in b] if i else {k: v for k, v in kw.items()}
    with open(os.devnull) as fh, open(osp.sep) as gh:
        del fh
    def inner(y, /, z, *, w=3):
        return y @ z ** w << 2 >> 1 // 3 % 4 & 5 ^ 6
    class Local:
        attr: int = 1
    return {**kw, "t": total, "d": {1, 2} - {2}, "s": args[1:2:3], "n": not x, "i": x is not None}


async def gather(items, *, limit=10):
    async with limit as sem:
        async for item in items:
            await sem(item)
    return [i async for i in items]


def short():
    return 1
'''


def reference_local_names(func) -> set[str]:
    names = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
    if func.args.vararg:
        names.add(func.args.vararg.arg)
    if func.args.kwarg:
        names.add(func.args.kwarg.arg)
    declared_global: set[str] = set()
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared_global.update(node.names)
        stack.extend(ast.iter_child_nodes(node))
    return names - declared_global


def reference_shape(func) -> tuple:
    token_id = fingerprint.token_id
    locals_ = reference_local_names(func)
    numbering: dict[str, int] = {}
    exact: list[int] = []
    literal: list[int] = []
    sketch: list[int] = []
    statements = 0
    signature_nodes = {id(n) for n in ast.walk(func.args)}
    roots: list[ast.AST] = [func.args, *fingerprint.function_body(func)]
    stack: list[tuple[ast.AST, int]] = [(node, 0) for node in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr_context):
            continue
        if isinstance(node, ast.stmt):
            statements += 1
        lit = 0
        if isinstance(node, ast.Name):
            if node.id in locals_:
                index = numbering.setdefault(node.id, len(numbering))
                tok, sk = token_id(f"L{index}"), token_id("L")
            else:
                tok = sk = token_id("G:" + node.id)
        elif isinstance(node, ast.arg):
            numbering.setdefault(node.arg, len(numbering))
            tok = sk = token_id("arg")
        elif isinstance(node, ast.Constant):
            tok = sk = token_id("C:" + type(node.value).__name__)
            lit = zlib.crc32(repr(node.value).encode("utf-8", "replace"))
        elif isinstance(node, ast.Attribute):
            tok = sk = token_id("A:" + node.attr)
        elif isinstance(node, ast.keyword):
            tok = sk = token_id(f"K:{node.arg}")
        else:
            tok = sk = token_id(type(node).__name__)
        exact.append(hash((tok, depth)))
        literal.append(lit)
        if id(node) not in signature_nodes:
            sketch.append(sk)
        for child in reversed(list(ast.iter_child_nodes(node))):
            stack.append((child, depth + 1))
    shingles = sorted({hash(tuple(sketch[i : i + fingerprint.SHINGLE])) for i in range(max(1, len(sketch) - fingerprint.SHINGLE + 1))})
    exact_fp = hash(tuple(exact))
    return (exact_fp, hash((exact_fp, tuple(literal))), array("q", shingles), statements, len(exact))


def functions(text: str) -> list:
    return [n for n in ast.walk(ast.parse(text)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def corpus() -> list[Path]:
    paths = sorted((REPO / "server").rglob("*.py")) + sorted((REPO / "samples").rglob("*.py"))
    for package in (asyncio, email, json):
        paths += sorted(Path(package.__file__).parent.rglob("*.py"))
    return paths


def test_tricky_syntax_has_the_reference_shape():
    funcs = functions(TRICKY)
    assert len(funcs) == 4  # widen, inner, gather, short
    for func in funcs:
        shape = fingerprint.shape_of(func)
        assert (shape.exact, shape.literal, shape.shingles, shape.statements, shape.tokens) == reference_shape(func), func.name
        assert fingerprint.local_names(func) == reference_local_names(func), func.name


@pytest.mark.parametrize("chunk", range(4))
def test_real_code_has_the_reference_shape(chunk: int):
    checked = 0
    for path in corpus()[chunk::4]:
        try:
            funcs = functions(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue  # samples of broken files
        for func in funcs:
            shape = fingerprint.shape_of(func)
            assert (shape.exact, shape.literal, shape.shingles, shape.statements, shape.tokens) == reference_shape(func), f"{path}:{func.lineno}"
            checked += 1
    assert checked > 500
