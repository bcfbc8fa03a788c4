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
    nodes, _ = _preorder(func.body)
    return _bound_names(func, nodes)


def _bound_names(func: ast.FunctionDef | ast.AsyncFunctionDef, body_nodes: list[ast.AST]) -> set[str]:
    """`local_names` from the nodes of the body, already walked."""
    names = {a.arg for a in (*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs)}
    if func.args.vararg:
        names.add(func.args.vararg.arg)
    if func.args.kwarg:
        names.add(func.args.kwarg.arg)
    declared_global: set[str] = set()
    for node in body_nodes:
        role = (_KINDS.get(node.__class__) or _kind_of(node.__class__))[0]
        if role is _OTHER or role is _CONSTANT or role is _ATTRIBUTE or role is _KEYWORD:
            continue
        if role is _NAME:
            if isinstance(node.ctx, ast.Store):
                names.add(node.id)
        elif role is _ARG:
            names.add(node.arg)
        elif role is _DEF or (role is _HANDLER and node.name):
            names.add(node.name)
        elif role is _IMPORT:
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif role is _GLOBAL:
            declared_global.update(node.names)
    return names - declared_global


# What a node type is to the fingerprint, worked out once per type (isinstance on every node
# was a third of the time): (role, counts as a statement, token id when the type is the token).
_NAME, _ARG, _CONSTANT, _ATTRIBUTE, _KEYWORD = "name", "arg", "constant", "attribute", "keyword"
_DEF, _HANDLER, _IMPORT, _GLOBAL, _OTHER = "def", "handler", "import", "global", "other"
_ROLES = (
    (ast.Name, _NAME), (ast.arg, _ARG), (ast.Constant, _CONSTANT), (ast.Attribute, _ATTRIBUTE), (ast.keyword, _KEYWORD),
    ((ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef), _DEF), (ast.ExceptHandler, _HANDLER),
    ((ast.Import, ast.ImportFrom), _IMPORT), ((ast.Global, ast.Nonlocal), _GLOBAL),
)
_KINDS: dict[type, tuple[str, bool, int]] = {}


def _kind_of(cls: type) -> tuple[str, bool, int]:
    role = next((role for base, role in _ROLES if issubclass(cls, base)), _OTHER)
    kind = _KINDS[cls] = (role, issubclass(cls, ast.stmt), token_id(cls.__name__))
    return kind


# Fields that never hold a node (the grammar's identifiers, strings and ints), and `ctx`,
# whose Load/Store/Del the fingerprint skips: the walk does not look into them.
_PLAIN_FIELDS = frozenset({"ctx", "id", "attr", "arg", "type_comment", "simple", "conversion", "is_async", "level", "module", "kind", "asname", "rest", "kwd_attrs"})
_PLAIN_BY_TYPE = {ast.Constant: ("value",), ast.MatchSingleton: ("value",), ast.Global: ("names",), ast.Nonlocal: ("names",),
                  ast.FunctionDef: ("name",), ast.AsyncFunctionDef: ("name",), ast.ClassDef: ("name",), ast.ExceptHandler: ("name",),
                  ast.alias: ("name",), ast.MatchAs: ("name",), ast.MatchStar: ("name",)}
_FIELDS_REVERSED: dict[type, tuple[str, ...]] = {}  # node type -> the fields to walk, last first


def _fields_of(cls: type) -> tuple[str, ...]:
    skip = _PLAIN_BY_TYPE.get(cls, ())
    fields = _FIELDS_REVERSED[cls] = tuple(f for f in reversed(cls._fields) if f not in _PLAIN_FIELDS and f not in skip)
    return fields


def _preorder(roots: list[ast.AST]) -> tuple[list[ast.AST], list[int]]:
    """The nodes under `roots` in `ast.iter_child_nodes` pre-order, with their depth (roots 0),
    context singletons left out. (ast.iter_child_nodes cost half the time of the fingerprint.)"""
    nodes: list[ast.AST] = []
    depths: list[int] = []
    stack: list[tuple[ast.AST, int]] = [(node, 0) for node in reversed(roots)]
    fields_by_type = _FIELDS_REVERSED
    AST = ast.AST
    while stack:
        node, depth = stack.pop()
        nodes.append(node)
        depths.append(depth)
        fields = fields_by_type.get(node.__class__)
        if fields is None:
            fields = _fields_of(node.__class__)
        if not fields:
            continue
        depth += 1
        # Children pushed last first, so they pop in field order.
        for name in fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                stack.extend([(item, depth) for item in reversed(value) if isinstance(item, AST)])
            elif isinstance(value, AST):
                stack.append((value, depth))
    return nodes, depths


def shape_of(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Shape:
    # The signature's shape counts (arity, defaults' types), not its names.
    # The sketch covers the body only: a copy that gained a parameter is still a copy.
    nodes, depths = _preorder([func.args])
    signature_end = len(nodes)
    body_nodes, body_depths = _preorder(function_body(func))
    locals_ = _bound_names(func, body_nodes)
    nodes += body_nodes
    depths += body_depths
    numbering: dict[str, int] = {}
    tokens: list[int] = []
    literal: list[int] = []
    sketch: list[int] = []
    statements = 0
    kinds = _KINDS
    sketch_token = token_id("L")
    for node in nodes:
        role, is_statement, tok = kinds.get(node.__class__) or _kind_of(node.__class__)
        statements += is_statement
        lit = 0
        sk = tok  # the node's type, for every role but these:
        if role is _NAME:
            if node.id in locals_:
                index = numbering.setdefault(node.id, len(numbering))
                tok, sk = token_id(f"L{index}"), sketch_token
            else:
                tok = sk = token_id("G:" + node.id)
        elif role is _ARG:
            numbering.setdefault(node.arg, len(numbering))
            tok = sk = token_id("arg")
        elif role is _CONSTANT:
            tok = sk = token_id("C:" + type(node.value).__name__)
            lit = zlib.crc32(repr(node.value).encode("utf-8", "replace"))
        elif role is _ATTRIBUTE:
            tok = sk = token_id("A:" + node.attr)
        elif role is _KEYWORD:
            tok = sk = token_id(f"K:{node.arg}")
        tokens.append(tok)
        literal.append(lit)
        sketch.append(sk)
    del sketch[:signature_end]
    # Operators are shared singletons: one that the signature uses (`int | None`) is left out
    # of the body's sketch too. Kept so that records stay what the disk cache holds.
    shared = {id(n) for n in nodes[:signature_end]}.intersection(map(id, body_nodes))
    if shared:
        sketch = [sk for node, sk in zip(body_nodes, sketch) if id(node) not in shared]
    exact = list(map(hash, zip(tokens, depths)))  # hash((tok, depth)) per node
    if len(sketch) >= SHINGLE:
        shingles = sorted(set(map(hash, zip(*(sketch[i:] for i in range(SHINGLE))))))
    else:
        shingles = [hash(tuple(sketch))]
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
