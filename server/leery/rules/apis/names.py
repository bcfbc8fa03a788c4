"""The names a module defines, read from its source (or a `.pyi` beside it) without running it.

`os.path` resolves through `import posixpath as path` in os.py; `requests.get` through
`from .api import get`. A module that can add names at run time (`__getattr__`, `globals()`,
`sys.modules[__name__] = ...`, a star import that cannot be followed) is *dynamic*: rules stay
quiet about it.
"""

from __future__ import annotations

import ast
import importlib
import os
from dataclasses import dataclass, field

from leery.core import astutil
from leery.rules.apis import modules
from leery.rules.apis.modules import Module

_ALWAYS = {
    "__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__path__",
    "__builtins__", "__dict__", "__cached__", "__annotations__", "__all__",
}


@dataclass
class Names:
    module: Module
    names: set[str] = field(default_factory=set)
    submodule_imports: dict[str, list[str]] = field(default_factory=dict)  # name -> absolute modules it may be
    other_bindings: set[str] = field(default_factory=set)  # names also bound to something else
    dynamic: bool = False
    static_kind: str = "source"  # "source", "stub", "runtime" (stdlib C module listed by dir())
    followed: list[tuple[str, float]] = field(default_factory=list)  # star-imported files, with their mtimes

    def has(self, name: str) -> bool:
        return name in self.names or name in _ALWAYS


_CACHE: dict[tuple, Names | None] = {}


def names_of(module: Module, search: tuple[str, ...], depth: int = 0) -> Names | None:
    """The names of a module, or None when they cannot be known statically."""
    key = (module.name, module.origin, modules.mtime(module.origin))
    if key in _CACHE:
        return _CACHE[key]
    _CACHE[key] = None  # cycles (a star import of itself) resolve to "unknown"
    result = _compute(module, search, depth)
    if len(_CACHE) > 4000:
        _CACHE.clear()
    _CACHE[key] = result
    if result is not None and result.static_kind != "runtime" and modules.in_batch_run():
        _LEARNT.append(key)
    return result


def _compute(module: Module, search: tuple[str, ...], depth: int) -> Names | None:
    if module.kind in ("builtin", "extension", "frozen"):
        return _runtime_names(module)
    if module.kind == "namespace":
        return None  # only submodules: anything may be a submodule
    if module.kind != "source" or not module.origin:
        return None
    tree = modules.parse_file(module.origin)
    if tree is None:
        return None
    found = Names(module)
    _collect(tree, found, module, search, depth)
    return found


def _runtime_names(module: Module) -> Names | None:
    """A compiled module: a `.pyi` stub beside it, or dir() for the interpreter's own modules.

    Importing is limited to built-in modules and the standard library's own extension folder,
    which are part of the interpreter leery already runs; third-party compiled modules are
    never imported (their names are unknown unless a stub ships beside them).
    """
    if module.origin:
        folder, file = os.path.split(module.origin)
        stub = os.path.join(folder, file.split(".", 1)[0] + ".pyi")
        if os.path.exists(stub):
            tree = modules.parse_file(stub)
            if tree is not None:
                found = Names(module, static_kind="stub", followed=[(stub, modules.mtime(stub))])
                _collect(tree, found, module, (), 0, stub)
                return found
    if module.kind == "builtin" or (module.kind == "extension" and modules.is_stdlib_file(module.origin) and module.is_stdlib):
        try:
            loaded = importlib.import_module(module.name)
        except Exception:  # noqa: BLE001 - an interpreter module that does not load is simply unknown
            return None
        return Names(module, set(dir(loaded)), static_kind="runtime", dynamic=hasattr(loaded, "__getattr__"))
    return None


def _package_of(module: Module) -> str:
    return module.name if module.is_package else module.name.rpartition(".")[0]


def _absolute(node: ast.ImportFrom, module: Module) -> str | None:
    if not node.level:
        return node.module or ""
    base = _package_of(module).split(".") if _package_of(module) else []
    if node.level - 1 > len(base):
        return None
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _collect(tree: ast.Module, found: Names, module: Module, search: tuple[str, ...], depth: int, path: str | None = None) -> None:
    """`path`: the file `tree` was read from, when it is not the module's (a stub beside it)."""
    path = path or module.origin
    declares_global = modules.declares_global(path) if path else True  # `global` or `globals()`
    makers: set[str] = set()  # functions of the module that write to its globals()
    for node in _module_level(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            _bind(found, node.name)
            if node.name == "__getattr__":
                found.dynamic = True
            if any("global" in ast.unparse(d) for d in node.decorator_list):
                found.dynamic = True  # `@enum.global_enum` copies members into the module (re.I)
            if declares_global and not isinstance(node, ast.ClassDef):
                for inner in astutil.walk(node):
                    if isinstance(inner, ast.Global):
                        for name in inner.names:
                            _bind(found, name)
                    elif isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "globals":
                        makers.add(node.name)  # re._constants' `_makecodes`, turtle's `_make_global_funcs`
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    _bind_module(found, alias.asname, alias.name)
                else:
                    top = alias.name.split(".")[0]
                    _bind_module(found, top, top)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module)
            for alias in node.names:
                if alias.name == "*":
                    _star(found, base, search, depth)
                    continue
                local = alias.asname or alias.name
                if base is not None:
                    _bind_module(found, local, f"{base}.{alias.name}" if base else alias.name)
                else:
                    _bind(found, local)
        else:
            for target in _stored_names(node):
                _bind(found, target)
            if _is_dynamic_statement(node) or (makers and _calls(node, makers)):
                found.dynamic = True


def _calls(node: ast.AST, functions: set[str]) -> bool:
    return any(isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in functions for sub in astutil.walk(node))


def _module_level(tree: ast.Module):
    """Statements that run at import time: the module body and the blocks nested in it."""
    stack = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for attr in ("body", "orelse", "finalbody", "handlers"):
            stack.extend(reversed(getattr(node, attr, []) or []))
        if isinstance(node, ast.Match):
            for case in node.cases:
                stack.extend(reversed(case.body))


def _stored_names(node: ast.AST):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    for sub in astutil.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            yield sub.id
        elif isinstance(sub, ast.ExceptHandler) and sub.name:
            yield sub.name
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            break


# Calls that take the module's name to name something after it (a logger, a web app), not to add
# names to the module: most modules have `log = logging.getLogger(__name__)`.
_NAMED_AFTER_MODULE = frozenset(
    ("getLogger", "get_logger", "getChild", "Logger", "LoggerAdapter", "Flask", "Blueprint", "Quart", "Celery", "Sanic")
)


def _is_dynamic_statement(node: ast.AST) -> bool:
    """`globals()[...] = `, `globals().update(...)`, `sys.modules[__name__] = ...`, `exec(...)`, `setattr(...)`."""
    for sub in astutil.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in ("globals", "vars", "locals", "exec", "setattr", "__import__", "lazy_attach", "attach"):
                return True
            if name not in _NAMED_AFTER_MODULE and any(isinstance(a, ast.Name) and a.id == "__name__" for a in sub.args):
                return True  # `IntEnum._convert_("X", __name__, ...)` adds names to the module (ssl)
        if isinstance(sub, ast.Subscript) and isinstance(sub.ctx, ast.Store) and "modules" in ast.unparse(sub.value):
            return True
    return False


def _bind(found: Names, name: str) -> None:
    found.names.add(name)
    found.other_bindings.add(name)


def _bind_module(found: Names, name: str, target: str) -> None:
    found.names.add(name)
    found.submodule_imports.setdefault(name, []).append(target)


def _star(found: Names, base: str | None, search: tuple[str, ...], depth: int) -> None:
    target = modules.find(base, search) if base and depth < 6 else None
    names = names_of(target, search, depth + 1) if target else None
    if names is None or names.dynamic:
        found.dynamic = True
        return
    exported = names.names
    found.followed += [(target.origin, modules.mtime(target.origin)), *names.followed] if target.origin else names.followed
    tree = modules.parse_file(target.origin) if target.origin and target.kind == "source" else None
    declared_all = _declared_all(tree) if tree is not None else None
    if declared_all is not None:
        exported = declared_all
    else:
        exported = {n for n in exported if not n.startswith("_")}
    for name in exported:
        if name in names.submodule_imports and name not in names.other_bindings:
            for t in names.submodule_imports[name]:
                _bind_module(found, name, t)
        else:
            _bind(found, name)


def _declared_all(tree: ast.Module) -> set[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            try:
                return set(ast.literal_eval(node.value))
            except ValueError:
                return None
    return None


# -- kept between `leery check` runs, in <root>/.leery/cache ------------------------------------
# A table is valid while its file and the files it star-imports keep their modification times.

TABLES_FILE = "module-names-v2.json"  # v2: a call with `__name__` no longer always makes a module dynamic
_LEARNT: list[tuple] = []  # _CACHE keys computed since the last drain


def drain() -> dict:
    """The tables computed since the last call, as JSON rows (a forked worker sends them to the parent)."""
    rows = []
    for key in _LEARNT:
        table = _CACHE.get(key)
        if table is not None:
            m = table.module
            rows.append([m.name, m.origin, key[2], m.kind, m.locations, sorted(table.names), table.submodule_imports,
                         sorted(table.other_bindings), table.dynamic, table.static_kind, [list(f) for f in table.followed]])
    _LEARNT.clear()
    return {"tables": rows}


def load_answers(root) -> None:
    from leery.analyzers.jedi_env import environment
    from leery.workspace.cache import read_stamped

    for row in read_stamped(root, TABLES_FILE, environment()).get("tables", []) or []:
        table = _from_row(row)
        if table is not None:
            _CACHE.setdefault((table.module.name, table.module.origin, row[2]), table)


def save_answers(root, learnt: list[dict]) -> None:
    from leery.analyzers.jedi_env import environment
    from leery.workspace.cache import read_stamped, write_stamped

    new = [row for part in learnt for row in part.get("tables", [])]
    if not new:
        return
    old = read_stamped(root, TABLES_FILE, environment()).get("tables", [])
    rows = {(row[0], row[1]): row for row in [*(old if isinstance(old, list) else []), *new] if _from_row(row) is not None}
    write_stamped(root, TABLES_FILE, environment(), {"tables": list(rows.values())})


def _from_row(row) -> Names | None:
    """A table from a JSON row, or None when the row is malformed or its files have changed."""
    if not isinstance(row, list) or len(row) != 11:
        return None
    name, origin, when, kind, locations, names, submodules, others, dynamic, static_kind, followed = row
    strings = (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v))
    if not (isinstance(name, str) and isinstance(origin, str) and isinstance(when, (int, float)) and isinstance(kind, str)):
        return None
    if not (strings(locations) and strings(names) and strings(others) and isinstance(dynamic, bool) and static_kind in ("source", "stub")):
        return None
    if not (isinstance(submodules, dict) and all(isinstance(k, str) and strings(v) for k, v in submodules.items())):
        return None
    if not (isinstance(followed, list) and all(isinstance(f, list) and len(f) == 2 and isinstance(f[0], str) and isinstance(f[1], (int, float)) for f in followed)):
        return None
    if modules.mtime(origin) != when or any(modules.mtime(path) != at for path, at in followed):
        return None
    module = Module(name, origin, kind, list(locations))
    return Names(module, set(names), {k: list(v) for k, v in submodules.items()}, set(others), dynamic, static_kind, [tuple(f) for f in followed])


# -- resolving dotted names -------------------------------------------------------------------


def resolve_module(dotted: str, search: tuple[str, ...]) -> Module | None:
    """The module a dotted name denotes, following package folders and `import x as name`
    bindings (`os.path` -> posixpath); None when it is not (known to be) a module."""
    found = modules.find(dotted, search)
    if found is not None:
        return found
    parent_name, _, attr = dotted.rpartition(".")
    if not parent_name:
        return None
    parent = resolve_module(parent_name, search)
    if parent is None:
        return None
    sub = modules.find_in(parent, attr)
    if sub is not None:
        return sub
    names = names_of(parent, search)
    if names is None or attr in names.other_bindings or attr not in names.submodule_imports:
        return None
    for target in names.submodule_imports[attr]:
        module = resolve_module(target, search)
        if module is not None:
            return module
    return None


def closest(name: str, candidates: set[str]) -> str | None:
    import difflib

    public = [c for c in candidates if not c.startswith("_") or name.startswith("_")]
    lowered = {c.lower(): c for c in public}
    if name.lower() in lowered:
        return lowered[name.lower()]
    # `capture` -> `capture_output`, `exist` -> `exists`: a prefix is how names get misremembered.
    prefixed = sorted((c for c in public if len(name) >= 4 and c.startswith(name)), key=len)
    if prefixed:
        return prefixed[0]
    match = difflib.get_close_matches(name, public, n=1, cutoff=0.75)
    return match[0] if match else None
