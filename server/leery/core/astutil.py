"""Small facts about syntax trees that several rule families need."""

from __future__ import annotations

import ast


def body_without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    """A function's, class's or module's statements after its docstring, if it has one."""
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        return body[1:]
    return body


# Node types that are always leaves and carry nothing a rule reads but their type.
LEAVES = frozenset(
    sub for base in (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop) for sub in base.__subclasses__()
)


# Fields that never hold a node (names, constants, flags), by node type, and fields that hold
# only LEAVES: a walk that reads neither skips two of every three fields it would read.
_SCALAR_FIELDS: dict[type, frozenset[str]] = {
    kind: frozenset(names) for kind, names in (
        (ast.Name, ("id",)), (ast.Attribute, ("attr",)), (ast.Constant, ("value", "kind")),
        (ast.arg, ("arg", "type_comment")), (ast.keyword, ("arg",)), (ast.alias, ("name", "asname")),
        (ast.FunctionDef, ("name", "type_comment")), (ast.AsyncFunctionDef, ("name", "type_comment")),
        (ast.ClassDef, ("name",)), (ast.ImportFrom, ("module", "level")), (ast.Global, ("names",)),
        (ast.Nonlocal, ("names",)), (ast.ExceptHandler, ("name",)), (ast.FormattedValue, ("conversion",)),
        (ast.comprehension, ("is_async",)), (ast.AnnAssign, ("simple",)), (ast.Assign, ("type_comment",)),
        (ast.For, ("type_comment",)), (ast.AsyncFor, ("type_comment",)), (ast.With, ("type_comment",)),
        (ast.AsyncWith, ("type_comment",)), (ast.MatchAs, ("name",)), (ast.MatchStar, ("name",)),
        (ast.MatchMapping, ("rest",)), (ast.MatchClass, ("kwd_attrs",)), (ast.MatchSingleton, ("value",)),
        (ast.TypeIgnore, ("lineno", "tag")),
    )
}
_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
_FIELDS: dict[frozenset, dict[type, tuple[str, ...]]] = {}


def node_fields(skip: frozenset) -> dict[type, tuple[str, ...]]:
    """Node type -> `fields_with_nodes(type, skip)`, filled as a walk meets types (kept: every
    file of a run has the same `skip`)."""
    return _FIELDS.setdefault(skip, {})


def fields_with_nodes(kind: type, skip: frozenset) -> tuple[str, ...]:
    """The fields of a node type that may hold a node a walk visits (one not in `skip`, a set
    of LEAVES), last first: a stack pops them in source order."""
    scalar = _SCALAR_FIELDS.get(kind, frozenset())
    if LEAVES <= skip:
        scalar = scalar | _LEAF_FIELDS
    return tuple(name for name in reversed(kind._fields) if name not in scalar)


def first_line(node: ast.AST) -> int:
    """0-based line where a definition starts: its first decorator, else its `def`/`class`."""
    return min([d.lineno for d in getattr(node, "decorator_list", ())] + [node.lineno]) - 1  # type: ignore[attr-defined]


def walk(node: ast.AST) -> list[ast.AST]:
    """Every node under `node` (itself included), like `ast.walk` but in a list built without
    generators, and without the leaves that carry nothing (`Load`, `Add`, `Eq`, ...): about
    half the time, for passes over a whole module. (`children` inlined: a call per node costs.)"""
    out = [node]
    leaves = LEAVES
    AST = ast.AST
    fields_of = _CHILD_FIELDS
    for current in out:  # the list grows while it is read: breadth first, as ast.walk
        kind = type(current)
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = tuple(reversed(fields_with_nodes(kind, LEAVES)))
        for name in fields:
            value = getattr(current, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, AST) and type(item) not in leaves:
                        out.append(item)
            elif isinstance(value, AST) and type(value) not in leaves:
                out.append(value)
    return out


def children(node: ast.AST) -> list[ast.AST]:
    """`ast.iter_child_nodes(node)` as a list, without the leaves that carry nothing."""
    out = []
    leaves = LEAVES
    AST = ast.AST
    kind = type(node)
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(reversed(fields_with_nodes(kind, LEAVES)))
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            for item in value:
                if isinstance(item, AST) and type(item) not in leaves:
                    out.append(item)
        elif isinstance(value, AST) and type(value) not in leaves:
            out.append(value)
    return out


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}  # fields_with_nodes in source order


# What a statement holds that can bind a name in its scope, when no expression binds one: its
# statements and its targets (`x` of `for x in`, `with ... as x`, `x = ...`). A walk through these
# alone meets every binding statement and every `Name` stored to, and skips the expressions
# (most of the nodes). Only `:=` binds inside an expression (comprehension and lambda variables
# are their own scope's): see `SourceFile.binds_in_expressions`.
_BINDING_FIELDS: dict[type, tuple[str, ...]] = {
    ast.Assign: ("targets",), ast.AugAssign: ("target",), ast.AnnAssign: ("target",),
    ast.For: ("target", "body", "orelse"), ast.AsyncFor: ("target", "body", "orelse"),
    ast.While: ("body", "orelse"), ast.If: ("body", "orelse"),
    ast.With: ("items", "body"), ast.AsyncWith: ("items", "body"), ast.withitem: ("optional_vars",),
    ast.Try: ("body", "handlers", "orelse", "finalbody"), ast.ExceptHandler: ("body",),
    ast.Match: ("cases",), ast.match_case: ("body",),
    ast.FunctionDef: ("body",), ast.AsyncFunctionDef: ("body",), ast.ClassDef: ("body",),
    ast.Expr: (), ast.Return: (), ast.Delete: (), ast.Raise: (), ast.Assert: (), ast.Import: (), ast.ImportFrom: (),
    ast.Global: (), ast.Nonlocal: (), ast.Pass: (), ast.Break: (), ast.Continue: (),
}
if hasattr(ast, "TryStar"):
    _BINDING_FIELDS[ast.TryStar] = _BINDING_FIELDS[ast.Try]


def binding_children(node: ast.AST) -> list[ast.AST]:
    """`children(node)` less what cannot bind a name when no `:=` does: of a statement, its
    statements and targets; of anything else (a target), all its children."""
    fields = _BINDING_FIELDS.get(type(node))
    if fields is None:
        return children(node)
    out: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name)
        if type(value) is list:
            out.extend(value)
        elif value is not None:
            out.append(value)
    return out
