"""Where a dotted name is defined, read from source without running it (LY405's callees).

`json.dumps` -> the `def dumps` in json/__init__.py; `requests.get` -> `from .api import get` ->
the `def get` in requests/api.py; `os.stat`, which os.py star-imports from the compiled `posix`
module -> the stub of `os` in the typeshed copy that jedi ships. Modules are found as LY401 and
LY404 find them (`modules`, `names`), parsed with `ast` (C speed: jedi's parser is pure Python and
made LY405 most of a cold `leery check`), never imported.

Three kinds of answer: the definitions (functions and classes, several when branches or
overloads bind the name more than once); OPEN, known but with nothing to check (a module, a
value computed at run time, a name bound some other way); ASK, static reading cannot tell (a
third-party compiled module): a caller may ask jedi.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import os
import sys
from dataclasses import dataclass

from leery.core import astutil
from leery.rules.apis import modules, names
from leery.rules.apis.modules import Module

OPEN = "open"
ASK = "ask"
MISSING = "missing"  # the module itself is not found (LY401's finding; `try: import x` fallbacks)
_MAX_DEPTH = 12  # re-exports and aliases followed before giving up (cycles end here too)


@dataclass(frozen=True, eq=False)
class Definition:
    path: str
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    module: Module  # where the definition's own names resolve (`**kwargs` passed on)
    owner: "Definition | None" = None  # the class of a method

    @property
    def in_class(self) -> bool:
        return self.owner is not None

    @property
    def stub(self) -> bool:
        return self.path.endswith(".pyi")


def resolve(qualified: str, search: tuple[str, ...]) -> list[Definition] | str:
    """The definitions of an absolute dotted name (`subprocess.run`, `lib.Panel.fit`), or OPEN/ASK."""
    parts = qualified.split(".")
    module = modules.find(parts[0], search)
    if module is None:
        return MISSING
    # The module part as LY404 reads it (`os.path` is posixpath: the first of os.py's branches).
    taken = 1
    while taken < len(parts):
        deeper = names.resolve_module(".".join(parts[: taken + 1]), search)
        if deeper is None:
            break
        module, taken = deeper, taken + 1
    found: object = module
    for attr in parts[taken:]:
        found = attribute(found, attr, search, 0)
        if isinstance(found, str):
            return found
    return found if isinstance(found, list) else OPEN


def attribute(found: object, attr: str, search: tuple[str, ...], depth: int):
    """`found.attr` where `found` is a module or class definitions."""
    if depth > _MAX_DEPTH:
        return OPEN
    if isinstance(found, Module):
        return lookup(found, attr, search, depth + 1)
    if isinstance(found, list) and all(isinstance(d.node, ast.ClassDef) for d in found):
        return _merge([member(d, attr, search, depth + 1) for d in found])
    return OPEN


def lookup(module: Module, name: str, search: tuple[str, ...], depth: int = 0):
    """What `name` is at the top level of `module` (or a submodule of that name)."""
    if depth > _MAX_DEPTH:
        return OPEN
    table = _table_of(module)
    if table is None and module.kind == "extension":
        beside = _source_beside(module)
        table = _table_of(beside) if beside is not None else None
        module = beside or module
    if table is None:
        stub = _stub_for(module)
        if stub is not None:
            return lookup(stub, name, search, depth + 1)
        # A third-party compiled module: jedi may inspect it (the standard library's have stubs).
        return ASK if module.kind in ("builtin", "extension") and not module.is_stdlib else OPEN
    bindings = table.bindings.get(name)
    if bindings:
        found = _merge([_binding(module, table, b, search, depth + 1) for b in bindings])
        if isinstance(found, str) and module.kind != "stub":
            # Bound at run time (`getattr` tricks, a compiled module's function): the standard
            # library's stub says what it is, as jedi would read it.
            stub = _stub_for(module)
            if stub is not None:
                from_stub = lookup(stub, name, search, depth + 1)
                if not isinstance(from_stub, str):
                    return from_stub
        return found
    sub = _stub_module(f"{module.name}.{name}") if module.kind == "stub" else modules.find_in(module, name)
    if sub is not None:
        return sub
    for base in table.stars:
        target = _module(base, search, module)
        if target is None:
            continue
        found = lookup(target, name, search, depth + 1)
        if found != OPEN:
            return found
    if table.open_ended:
        stub = _stub_for(module) if module.kind != "stub" else None
        if stub is not None:
            return lookup(stub, name, search, depth + 1)
    return OPEN


def member(cls: Definition, name: str, search: tuple[str, ...], depth: int):
    """A method of a class, from its body or, failing that, its bases' bodies."""
    if depth > _MAX_DEPTH:
        return OPEN
    node = cls.node
    assert isinstance(node, ast.ClassDef)
    found: list[ast.stmt] = []
    for stmt, sure in _statements(node.body):
        if name in _own_names(stmt):
            found = [stmt] if sure and not cls.stub else found + [stmt]
    if found:
        if all(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in found):
            return [Definition(cls.path, n, cls.module, owner=cls) for n in found]
        return OPEN
    for base in node.bases:
        parent = expression(base, cls.module, search, depth + 1)
        if isinstance(parent, list) and all(isinstance(d.node, ast.ClassDef) for d in parent):
            result = _merge([member(d, name, search, depth + 1) for d in parent])
            if result != OPEN:
                return result
        else:
            return OPEN  # a base that cannot be read may define it
    return OPEN


def expression(expr: ast.expr, module: Module, search: tuple[str, ...], depth: int = 0):
    """A `name` or `name.attr...` expression at the top level of `module`."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return OPEN
    found = lookup(module, expr.id, search, depth + 1)
    for attr in reversed(parts):
        if isinstance(found, str):
            return found
        found = attribute(found, attr, search, depth + 1)
    return found


def called(defn: Definition, func: ast.expr, search: tuple[str, ...]) -> list[Definition] | str:
    """What a call in the body of a function definition calls: a name the function assigns
    (`cls = JSONEncoder` in `json.dumps`), `self.method`, `super().method`, or a name of its module."""
    node = defn.node
    if isinstance(func, ast.Name):
        if defn.owner is not None and func.id == _first_param(node) and "classmethod" in {_dotted(d) for d in node.decorator_list}:
            return [defn.owner]  # `cls(...)` in a classmethod
        values = _local_values(node, func.id)
        if values is None:
            return _definitions_only(lookup(defn.module, func.id, search))
        if values == OPEN:
            return OPEN
        return _definitions_only(_merge([expression(v, defn.module, search) for v in values]))
    if not isinstance(func, ast.Attribute):
        return OPEN
    value = func.value
    owner = defn.owner
    if owner is not None and isinstance(value, ast.Call) and _dotted(value.func) == "super" and not value.args:
        assert isinstance(owner.node, ast.ClassDef)
        bases = [expression(b, owner.module, search) for b in owner.node.bases]
        if not bases or any(not (isinstance(b, list) and all(isinstance(d.node, ast.ClassDef) for d in b)) for b in bases):
            return OPEN
        return _definitions_only(_merge([member(d, func.attr, search, 1) for b in bases for d in b]))
    if owner is not None and isinstance(value, ast.Name) and value.id == _first_param(node):
        return _definitions_only(member(owner, func.attr, search, 1))
    root = value
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name) or _local_values(node, root.id) is not None:
        return OPEN
    return _definitions_only(expression(func, defn.module, search))


def _definitions_only(found: object) -> list[Definition] | str:
    return found if isinstance(found, (list, str)) else OPEN


def _first_param(func: ast.AST) -> str | None:
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    if any(_dotted(d) == "staticmethod" for d in func.decorator_list):
        return None
    params = func.args.posonlyargs + func.args.args
    return params[0].arg if params else None


def _local_values(func: ast.AST, name: str) -> list[ast.expr] | str | None:
    """The values a function assigns to a local name: None when it binds no such name, OPEN when
    it binds it other than by `name = value` (a parameter counts only with a default of None:
    `def dumps(..., cls=None)` then `cls = JSONEncoder`)."""
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    args = func.args
    params = {a.arg: None for a in args.posonlyargs + args.args + args.kwonlyargs}
    for arg, default in zip(reversed(args.posonlyargs + args.args), reversed(args.defaults)):
        params[arg.arg] = default
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params[arg.arg] = default
    if name in {a.arg for a in (args.vararg, args.kwarg) if a}:
        return OPEN
    values: list[ast.expr] = []
    stack = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return OPEN
            continue
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name:
            values.append(node.value)
            stack.append(node.value)
            continue
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return OPEN
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return OPEN
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any((a.asname or a.name.split(".")[0]) == name for a in node.names):
            return OPEN
        if isinstance(node, ast.ExceptHandler) and node.name == name:
            return OPEN
        stack.extend(ast.iter_child_nodes(node))
    if name in params:
        default = params[name]
        if not values or not (isinstance(default, ast.Constant) and default.value is None):
            return OPEN
    return values or None


def _merge(results: list) -> object:
    """Several bindings of one name: every one must be known, and all of one kind."""
    if ASK in results:
        return ASK
    if not results or OPEN in results:
        return OPEN
    if all(isinstance(r, list) for r in results):
        return [d for r in results for d in r]
    distinct = {(r.name, r.origin) for r in results if isinstance(r, Module)}
    if len(distinct) == 1 and all(isinstance(r, Module) for r in results):
        return results[0]
    return OPEN


def _binding(module: Module, table: "_Table", binding: tuple, search: tuple[str, ...], depth: int):
    kind = binding[0]
    if kind == "def":
        return [Definition(table.path, binding[1], module)]
    if kind == "module":
        found = _module(binding[1], search, module)
        return found if found is not None else OPEN
    if kind == "from":
        base, name = binding[1], binding[2]
        sub = _module(f"{base}.{name}" if base else name, search, module)
        if sub is not None:
            return sub
        parent = _module(base, search, module) if base else None
        return lookup(parent, name, search, depth + 1) if parent is not None else OPEN
    if kind == "value":
        return expression(binding[1], module, search, depth + 1)
    if kind == "instance" and table.path.endswith(".pyi"):
        # typeshed's `rmtree: _RmtreeType`: an instance whose class's `__call__` is the signature.
        cls = expression(binding[1], module, search, depth + 1)
        if isinstance(cls, list) and all(isinstance(d.node, ast.ClassDef) for d in cls):
            return _merge([member(d, "__call__", search, depth + 1) for d in cls])
    return OPEN


def _module(name: str, search: tuple[str, ...], importer: Module) -> Module | None:
    """A module imported by `importer`: from typeshed first when the importer is a stub."""
    if importer.kind == "stub":
        stub = _stub_module(name)
        if stub is not None:
            return stub
    return names.resolve_module(name, search)


# -- the top-level bindings of one file ---------------------------------------------------------


@dataclass
class _Table:
    path: str
    bindings: dict[str, list[tuple]]  # name -> ("def", node) | ("module", name) | ("from", base, name) | ("value", expr) | ("instance", annotation) | ("other",)
    stars: list[str]  # modules star-imported
    open_ended: bool  # names may come from where this file cannot show (dynamic, unreadable star)


_TABLES: dict[str, tuple[float, _Table | None]] = {}


def _table_of(module: Module) -> _Table | None:
    if module.kind not in ("source", "stub") or not module.origin:
        return None
    when = modules.mtime(module.origin)
    cached = _TABLES.get(module.origin)
    if cached is not None and cached[0] == when:
        return cached[1]
    tree = modules.parse_file(module.origin)
    table = None if tree is None else _collect(tree, module)
    if len(_TABLES) > 2000:
        _TABLES.clear()
    _TABLES[module.origin] = (when, table)
    return table


def _collect(tree: ast.Module, module: Module) -> _Table:
    table = _Table(module.origin or "", {}, [], False)
    stub = module.kind == "stub"
    declares_global = modules.declares_global(table.path)

    def bind(name: str, binding: tuple, sure: bool) -> None:
        # In a source file the last binding that surely runs replaces the ones before it
        # (`@overload`s, then the implementation); a stub's bindings are all alternatives.
        if sure and not stub:
            table.bindings[name] = [binding]
        else:
            table.bindings.setdefault(name, []).append(binding)

    for node, sure in _statements(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bind(node.name, ("def", node), sure)
            if node.name == "__getattr__":
                table.open_ended = True
            if declares_global and not isinstance(node, ast.ClassDef):
                for inner in astutil.walk(node):
                    if isinstance(inner, ast.Global):
                        for name in inner.names:
                            bind(name, ("other",), False)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bind(alias.asname, ("module", alias.name), sure)
                else:
                    top = alias.name.split(".")[0]
                    bind(top, ("module", top), sure)
        elif isinstance(node, ast.ImportFrom):
            base = names._absolute(node, module)
            for alias in node.names:
                if alias.name == "*":
                    if base:
                        table.stars.append(base)
                    else:
                        table.open_ended = True
                elif base is None:
                    bind(alias.asname or alias.name, ("other",), sure)
                else:
                    bind(alias.asname or alias.name, ("from", base, alias.name), sure)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            bind(node.targets[0].id, ("value", node.value), sure)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            bind(node.target.id, ("value", node.value) if node.value is not None else ("instance", node.annotation), sure)
        else:
            for name in _own_names(node):
                bind(name, ("other",), sure)
        if isinstance(node, (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign)) and names._is_dynamic_statement(node):
            table.open_ended = True  # `globals().update(...)`, `sys.modules[__name__] = ...`
    return table


def _statements(body: list[ast.stmt]):
    """(statement, whether it surely runs) for the statements that run at import time, in order:
    `if` branches as the running interpreter would take them (`sys.version_info`,
    `sys.platform`; both when the test is anything else), every part of `try`, `with`, `for`
    and `while` (those may not run, or not to the end)."""
    stack = [(node, True) for node in reversed(body)]
    while stack:
        node, sure = stack.pop()
        if isinstance(node, ast.If):
            taken = condition(node.test)
            if taken is None:
                branches = [(node.body, False), (node.orelse, False)]
            else:
                branches = [(node.body if taken else node.orelse, sure)]
            for branch, certain in reversed(branches):
                stack.extend((n, certain) for n in reversed(branch))
            continue
        yield node, sure
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for attr in ("finalbody", "orelse", "handlers", "body"):
            stack.extend((n, False) for n in reversed(getattr(node, attr, []) or []))
        if isinstance(node, ast.Match):
            for case in reversed(node.cases):
                stack.extend((n, False) for n in reversed(case.body))


def _own_names(node: ast.AST) -> list[str]:
    """Names a statement binds itself, not through the statements nested in it."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [a.asname or a.name.split(".")[0] for a in node.names if a.name != "*"]
    if isinstance(node, ast.ExceptHandler):
        return [node.name] if node.name else []
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return list(names._stored_names(node.target))
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [n for item in node.items if item.optional_vars for n in names._stored_names(item.optional_vars)]
    if isinstance(node, (ast.Try, ast.While, ast.Match)) or type(node).__name__ == "TryStar":
        return []
    return list(names._stored_names(node))


def condition(test: ast.expr) -> bool | None:
    """The value of a version or platform test for the running interpreter; None if unknown."""
    if isinstance(test, ast.BoolOp):
        values = [condition(v) for v in test.values]
        if isinstance(test.op, ast.And):
            return False if False in values else None if None in values else True
        return True if True in values else None if None in values else False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        value = condition(test.operand)
        return None if value is None else not value
    name = _dotted(test)
    if name in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
        return False  # annotations only: these imports never run
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "startswith":
        if _dotted(test.func.value) == "sys.platform" and len(test.args) == 1 and isinstance(test.args[0], ast.Constant):
            prefix = test.args[0].value
            return sys.platform.startswith(prefix) if isinstance(prefix, str) else None
        return None
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, op, right = _dotted(test.left), test.ops[0], test.comparators[0]
    if left == "sys.version_info" and isinstance(right, ast.Tuple) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, int) for e in right.elts
    ):
        return _compare(tuple(sys.version_info), op, tuple(e.value for e in right.elts))  # type: ignore[union-attr]
    if left == "sys.platform" and isinstance(right, ast.Constant) and isinstance(right.value, str):
        return _compare(sys.platform, op, right.value)
    return None


def _compare(left, op: ast.cmpop, right) -> bool | None:
    ops = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
           ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b}
    fn = ops.get(type(op))
    return fn(left, right) if fn else None


def _dotted(expr: ast.AST) -> str | None:
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        return ".".join([expr.id, *reversed(parts)])
    return None


# -- typeshed, as jedi ships it -----------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _typeshed() -> str | None:
    """jedi's copy of typeshed's standard library stubs (found without importing jedi)."""
    spec = importlib.util.find_spec("jedi")
    if spec is None or not spec.origin:
        return None
    folder = os.path.join(os.path.dirname(spec.origin), "third_party", "typeshed", "stdlib")
    return folder if os.path.isdir(folder) else None


@functools.lru_cache(maxsize=1024)
def _stub_module(name: str) -> Module | None:
    """The typeshed stub of a standard library module, as a Module of kind "stub"."""
    root = _typeshed()
    if root is None or name.split(".")[0] not in sys.stdlib_module_names | {"_typeshed"}:
        return None
    base = os.path.join(root, *name.split("."))
    package = os.path.join(base, "__init__.pyi")
    if os.path.isfile(package):
        return Module(name, package, "stub", [base])
    if os.path.isfile(base + ".pyi"):
        return Module(name, base + ".pyi", "stub")
    return None


def _source_beside(module: Module) -> Module | None:
    """A compiled module's `.pyi` stub, or the `.py` it was compiled from (mypyc ships both:
    tomli, black), in its folder."""
    folder, file = os.path.split(module.origin or "")
    stem = file.split(".", 1)[0]
    for suffix, kind in ((".pyi", "stub"), (".py", "source")):
        path = os.path.join(folder, stem + suffix)
        if folder and os.path.isfile(path):
            return Module(module.name, path, kind, module.locations)
    return None


def _stub_for(module: Module) -> Module | None:
    """For a standard library module whose names the source cannot show (compiled, or filled by a
    star import from a compiled module: `os.stat` comes from `posix`): its typeshed stub."""
    if module.kind == "stub" or not module.is_stdlib:
        return None
    return _stub_module(module.name)
