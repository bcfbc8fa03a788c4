"""Normalized token streams of one function: what the duplicate index compares.

Two streams come out of one walk of the function's AST:

- the *exact* stream: node types with their depth, local names numbered by first use,
  literals reduced to their type, docstrings dropped. Two functions with the same stream
  are the same code up to renaming and literal values (a "type-2 clone").
- the *sketch* stream: the body's tokens without depth and with every local name as `L`, cut
  into overlapping k-grams (shingles) for the MinHash sketch of near copies. The signature is
  left out of it, so a copy that gained a parameter still matches its original.

Names that are not local (modules, builtins, other helpers) and attribute names are kept:
`re.sub` and `re.match` are different behaviour. Every hash here is deterministic across
processes (ints and tuples of ints only; Python salts str hashes), so the disk cache and
forked CLI workers agree.
"""

from __future__ import annotations

import ast

from leery.core.astutil import body_without_docstring
import zlib
from array import array
from dataclasses import dataclass

SHINGLE = 4  # tokens per shingle
_SKIP = (ast.expr_context,)  # Load/Store/Del carry nothing the other tokens do not
_TOKEN_IDS: dict[str, int] = {}


def token_id(token: str) -> int:
    """A stable small int for a token string (crc32: cheap, deterministic)."""
    tid = _TOKEN_IDS.get(token)
    if tid is None:
        tid = _TOKEN_IDS[token] = zlib.crc32(token.encode("utf-8"))
    return tid


@dataclass(frozen=True)
class Shape:
    exact: int  # rename- and literal-invariant fingerprint
    literal: int  # the same, literal values included: equal means the same code up to names
    shingles: array  # sorted unique shingle hashes ('q')
    statements: int  # statements in the body, docstring excluded, nested ones counted
    tokens: int  # size of the normalized function (signature and body)


def function_body(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    """The statements of a function after its docstring."""
    return body_without_docstring(func.body)


def local_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Parameters and every name the function binds (assignments, loops, imports, nested defs)."""
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


def shape_of(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Shape:
    locals_ = local_names(func)
    numbering: dict[str, int] = {}
    exact: list[int] = []
    literal: list[int] = []
    sketch: list[int] = []
    statements = 0
    # The signature's shape counts (arity, defaults' types), not its names.
    # The sketch covers the body only: a copy that gained a parameter is still a copy.
    signature_nodes = {id(n) for n in ast.walk(func.args)}
    roots: list[ast.AST] = [func.args, *function_body(func)]
    stack: list[tuple[ast.AST, int]] = [(node, 0) for node in reversed(roots)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, _SKIP):
            continue
        kind = type(node).__name__
        if isinstance(node, ast.stmt):
            statements += 1
        if isinstance(node, ast.Name):
            if node.id in locals_:
                index = numbering.setdefault(node.id, len(numbering))
                tok, sk, lit = token_id(f"L{index}"), token_id("L"), 0
            else:
                tok = sk = token_id("G:" + node.id)
                lit = 0
        elif isinstance(node, ast.arg):
            numbering.setdefault(node.arg, len(numbering))
            tok = sk = token_id("arg")
            lit = 0
        elif isinstance(node, ast.Constant):
            tok = sk = token_id("C:" + type(node.value).__name__)
            lit = zlib.crc32(repr(node.value).encode("utf-8", "replace"))
        elif isinstance(node, ast.Attribute):
            tok = sk = token_id("A:" + node.attr)
            lit = 0
        elif isinstance(node, ast.keyword):
            tok = sk = token_id(f"K:{node.arg}")
            lit = 0
        else:
            tok = sk = token_id(kind)
            lit = 0
        exact.append(hash((tok, depth)))
        literal.append(lit)
        if id(node) not in signature_nodes:
            sketch.append(sk)
        children = list(ast.iter_child_nodes(node))
        for child in reversed(children):
            stack.append((child, depth + 1))
    shingles = sorted({hash(tuple(sketch[i : i + SHINGLE])) for i in range(max(1, len(sketch) - SHINGLE + 1))})
    exact_fp = hash(tuple(exact))
    return Shape(
        exact=exact_fp,
        literal=hash((exact_fp, tuple(literal))),
        shingles=array("q", shingles),
        statements=statements,
        tokens=len(exact),
    )


def jaccard(a: array, b: array) -> float:
    if not a or not b:
        return 0.0
    sa = set(a)
    inter = len(sa.intersection(b))
    return inter / (len(sa) + len(b) - inter)
