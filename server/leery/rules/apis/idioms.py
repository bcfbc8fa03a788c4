"""LY406 foreign-idiom: methods of other languages called on Python's built-in types."""

from __future__ import annotations

import ast

from leery.core import astutil
from leery.core.findings import Confidence, Severity, Span
from leery.core.registry import rule
from leery.rules.apis.names import closest

_TYPES = {"list": list, "dict": dict, "set": set, "str": str, "tuple": tuple, "bytes": bytes, "frozenset": frozenset}
_CONSTRUCTORS = {"list": "list", "dict": "dict", "set": "set", "str": "str", "tuple": "tuple", "sorted": "list", "frozenset": "frozenset", "bytes": "bytes"}
_ANNOTATIONS = {"list": "list", "List": "list", "dict": "dict", "Dict": "dict", "set": "set", "Set": "set", "str": "str", "tuple": "tuple", "Tuple": "tuple", "bytes": "bytes", "frozenset": "frozenset", "FrozenSet": "frozenset"}

_LEN = "`len(x)`"
_IN = "`in`"
# What Python spells differently: foreign name -> advice, per type ("*" for every type).
IDIOMS: dict[str, dict[str, str]] = {
    "*": {
        "length": _LEN, "size": _LEN, "len": _LEN, "count_": _LEN, "isEmpty": "`not x`", "is_empty": "`not x`",
        "equals": "`==`", "toString": "`str(x)`", "to_string": "`str(x)`", "hashCode": "`hash(x)`",
        "forEach": "a `for` loop", "each": "a `for` loop", "contains": _IN, "includes": _IN, "has": _IN,
        "clone": "`x.copy()`",
    },
    "list": {
        "push": "`append`", "push_back": "`append`", "add": "`append`", "addAll": "`extend`", "concat": "`+` or `extend`",
        "indexOf": "`index`", "lastIndexOf": "a reversed search", "removeAt": "`pop(i)`", "unshift": "`insert(0, x)`",
        "shift": "`pop(0)`", "splice": "slice assignment or `del`", "slice": "`x[a:b]`", "map": "a comprehension",
        "filter": "a comprehension", "join": "`sep.join(x)`", "some": "`any(...)`", "every": "`all(...)`",
        "find": "`next(...)` over a generator", "first": "`x[0]`", "last": "`x[-1]`", "get": "`x[i]`", "length": _LEN,
    },
    "str": {
        "toUpperCase": "`upper`", "toLowerCase": "`lower`", "toUpper": "`upper`", "toLower": "`lower`", "trim": "`strip`",
        "trimStart": "`lstrip`", "trimEnd": "`rstrip`", "substring": "`x[a:b]`", "substr": "`x[a:b]`", "charAt": "`x[i]`",
        "indexOf": "`find` or `index`", "lastIndexOf": "`rfind`", "startsWith": "`startswith`", "endsWith": "`endswith`",
        "equalsIgnoreCase": "`a.casefold() == b.casefold()`", "replaceAll": "`replace`", "padStart": "`rjust`",
        "padEnd": "`ljust`", "toInt": "`int(x)`", "chars": "iteration", "reverse": "`x[::-1]`", "append": "`+` or a list and `join`",
        "push": "`+`",
    },
    "dict": {
        "containsKey": _IN, "hasOwnProperty": _IN, "has_key": _IN, "put": "`x[key] = value`", "getOrDefault": "`get(key, default)`",
        "keySet": "`keys`", "entrySet": "`items`", "remove": "`pop`", "add": "`x[key] = value`", "push": "`x[key] = value`",
        "append": "`x[key] = value`", "containsValue": "`in x.values()`",
    },
    "set": {"push": "`add`", "append": "`add`", "addAll": "`update`", "extend": "`update`"},
    "frozenset": {},
    "tuple": {"push": "a list (tuples are immutable)", "append": "a list (tuples are immutable)", "add": "a list"},
    "bytes": {"toString": "`decode`"},
}


def _type_of_value(value: ast.AST, ctx) -> str | None:
    if isinstance(value, (ast.List, ast.ListComp)):
        return "list"
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return "dict"
    if isinstance(value, (ast.Set, ast.SetComp)):
        return "set"
    if isinstance(value, ast.Tuple):
        return "tuple"
    if isinstance(value, ast.JoinedStr):
        return "str"
    if isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes)):
        return type(value.value).__name__
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in _CONSTRUCTORS:
        if value.func.id not in ctx.assigned_names and value.func.id not in ctx.imports:
            return _CONSTRUCTORS[value.func.id]
    return None


def _type_of_annotation(annotation: ast.AST | None) -> str | None:
    if annotation is None:
        return None
    base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else None
    return _ANNOTATIONS.get(name or "")


def _all_bindings(scope: ast.AST, walrus: bool = True) -> dict[str, list[tuple[str, ast.AST | None]]]:
    """name -> [(kind, node)] for every binding directly in a scope (not in nested scopes).
    `walrus` False: no expression of the file binds a name (no `:=`), so only statements and
    their targets are visited (astutil.binding_children)."""
    out: dict[str, list[tuple[str, ast.AST | None]]] = {}

    def add(name: str, kind: str, node: ast.AST | None = None) -> None:
        out.setdefault(name, []).append((kind, node))

    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        args = scope.args
        for arg in args.posonlyargs + args.args + args.kwonlyargs:
            add(arg.arg, "annotation", arg.annotation)
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                add(arg.arg, "unknown")
    children = astutil.children if walrus else astutil.binding_children
    stack = list(scope.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(node.name, "unknown")
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    add(target.id, "value", node.value)
                else:
                    for sub in astutil.walk(target):
                        if isinstance(sub, ast.Name):
                            add(sub.id, "unknown")
            if walrus:
                stack.append(node.value)
            continue
        if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            if isinstance(node.target, ast.Name) and isinstance(node, ast.AnnAssign):
                add(node.target.id, "annotation", node.annotation)
            # `s += "x"` keeps the type of a str, list or tuple
            if node.value is not None and walrus:
                stack.append(node.value)
            continue
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                add(name, "unknown")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                add(alias.asname or alias.name.split(".")[0], "unknown")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            add(node.id, "unknown")  # for targets, with-as, walrus, match captures
        elif isinstance(node, ast.ExceptHandler) and node.name:
            add(node.name, "unknown")
        stack.extend(children(node))
    return out


def _scope_bindings(scope: ast.AST, name: str, ctx) -> list:
    cache = ctx.__dict__.setdefault("_leery_scope_bindings", {})
    table = cache.get(id(scope))
    if table is None:
        table = cache[id(scope)] = _all_bindings(scope, ctx.source.binds_in_expressions)
    return table.get(name, [])




def known_type(name: str, ctx) -> tuple[str, bool] | None:
    """(built-in type, from a literal) of a local name when every binding in its scope agrees."""
    scope = next((p for p in reversed(ctx.parents) if isinstance(p, _SCOPES)), None)
    if isinstance(scope, (ast.Lambda, ast.ClassDef)):
        return None
    if scope is None:
        scope = ctx.source.tree
    bindings = _scope_bindings(scope, name, ctx)
    if not bindings and scope is not ctx.source.tree:
        scope = ctx.source.tree
        bindings = _scope_bindings(scope, name, ctx)
        if name in ctx.global_names:
            return None
    types = set()
    literal = True
    for kind, node in bindings:
        if kind == "value":
            types.add(_type_of_value(node, ctx))
        elif kind == "annotation":
            types.add(_type_of_annotation(node))
            literal = False
        else:
            return None
    if len(types) != 1 or None in types:
        return None
    # Last, as it is rarely needed: most names are parameters or bound to something else.
    for comp in ctx.parents:
        if isinstance(comp, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)) and any(
            isinstance(n, ast.Name) and n.id == name for g in comp.generators for n in astutil.walk(g.target)
        ):
            return None  # a comprehension variable
    return types.pop(), literal


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@rule(
    "LY406",
    "foreign-idiom",
    summary="A method from another language called on a built-in type: `items.push(x)`, `name.length`, `text.contains(s)`.",
    nodes=(ast.Attribute,),
    severity=Severity.ERROR,
    confidence=Confidence.HIGH,
)
def foreign_idiom(node: ast.Attribute, ctx) -> None:
    """
    ## What it does
    Flags an attribute that Python's built-in `list`, `dict`, `set`, `str`, `tuple` or `bytes`
    does not have, on a value whose type is known in the same scope: a literal, a
    comprehension, a constructor call (`list()`, `sorted()`), or an annotation. The message
    names the Python spelling: `list.push` -> `append`, `.length` -> `len(x)`,
    `str.contains` -> `in`, `dict.containsKey` -> `in`.

    ## Why it matters
    Assistants trained on several languages mix their idioms. `items.push(x)` reads fine and
    raises `AttributeError` the first time it runs.

    ## What to check in review
    Use the Python spelling the message names, and check the code path had a test.

    ## Example
    ```python
    names = []
    names.push("ada")
    if names.length > 0 and title.contains("Dr"):
        ...
    ```

    ## Use instead
    ```python
    names = ["ada"]
    if len(names) > 0 and "Dr" in title:
        ...
    ```

    ## Known limitations
    The type is known only when every binding of the name in its scope (or, for a name the
    function never binds, in the module) is a literal, a comprehension, a built-in constructor
    call or an annotation of a built-in type. For annotated names (a caller may pass a subclass)
    only the listed foreign idioms are reported, at medium confidence; for literals, any name the
    type lacks. Types from function results or attributes are not inferred.
    """
    if not isinstance(node.ctx, ast.Load):
        return
    value = node.value
    literal = True
    if isinstance(value, ast.Name):
        found = known_type(value.id, ctx)
        if found is None:
            return
        type_name, literal = found
    else:
        type_name = _type_of_value(value, ctx) if not isinstance(value, ast.Call) else None
        if type_name is None:
            return
    attr = node.attr
    if hasattr(_TYPES[type_name], attr):
        return
    advice = IDIOMS.get(type_name, {}).get(attr) or IDIOMS["*"].get(attr)
    if advice is None and not literal:
        return
    if advice is None:
        hint = closest(attr, set(dir(_TYPES[type_name])))
        advice = f"`{hint}`" if hint else None
        message = f"`{type_name}` has no `{attr}`" + (f"; did you mean {advice}?" if advice else "")
    else:
        message = f"`{type_name}` has no `{attr}` (an idiom from another language); in Python use {advice}"
    span = ctx.source.span_of(node)
    attr_span = Span(span.end_line, max(span.end_col - len(attr), 0), span.end_line, span.end_col)
    ctx.report(attr_span, message, confidence=None if literal else Confidence.MEDIUM)
