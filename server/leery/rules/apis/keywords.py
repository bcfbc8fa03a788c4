"""LY405 unknown-keyword: a keyword argument that the called function does not take."""

from __future__ import annotations

import ast
import inspect
import logging
import os
from pathlib import Path

from leery.analyzers import jedi_env
from leery.core.context import dotted_name
from leery.core.findings import Applicability, Confidence, Edit, Fix, Severity, Span
from leery.core.registry import rule
from leery.rules.apis import definitions, modules, names
from leery.rules.apis.guards import guarded, import_bindings, search_for, shadowed, workspace_root

log = logging.getLogger("leery")
_TRANSPARENT_DECORATORS = {"staticmethod", "classmethod", "wraps", "override", "final", "dataclass", "deprecated"}
# (module file, mtime, line) -> accepted keywords, or None for "anything may be accepted".
_ACCEPTED: dict[tuple, frozenset[str] | None] = {}


def _definition_node(path: str, line: int) -> tuple[ast.AST | None, bool]:
    """(the def or class at a line of a source file, whether it sits in a class body)."""
    tree = modules.parse_file(path)
    if tree is None:
        return None, False
    for parent in ast.walk(tree):
        for node in getattr(parent, "body", []):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.lineno == line:
                return node, isinstance(parent, ast.ClassDef)
    return None, False


def _ast_params(func: ast.FunctionDef | ast.AsyncFunctionDef, bound: bool) -> tuple[set[str], bool]:
    """(keywords a def accepts, whether it takes **kwargs), read from the source itself.

    jedi's signatures try to resolve `**kwargs` passed on to another function and sometimes
    drop parameters doing so; the source is exact.
    """
    args = func.args
    positional = [a.arg for a in args.args]
    if bound and positional:
        positional = positional[1:]  # self / cls
    return set(positional) | {a.arg for a in args.kwonlyargs}, args.kwarg is not None


def _decorators(node: ast.AST) -> set[str]:
    out = set()
    for dec in getattr(node, "decorator_list", []):
        target = dec.func if isinstance(dec, ast.Call) else dec
        out.add(ast.unparse(target).rsplit(".", 1)[-1])
    return out


class _Checker:
    """Finds the keywords a callable accepts, following `**kwargs` into the functions they reach."""

    def __init__(self, ctx) -> None:
        self.path = ctx.path  # not ctx: the context keeps this checker, and a cycle outlives the file
        self.root = workspace_root(ctx)
        self.budget = jedi_env.budget(ctx)
        self.search = search_for(ctx)
        self.by_callee: dict[str, frozenset[str] | None] = {}

    def accepted(self, definitions, depth: int = 0) -> frozenset[str] | None:
        """Union over jedi's definitions; None as soon as one of them is open or unknown."""
        if not definitions:
            return None
        out: set[str] = set()
        for definition in definitions:
            one = self._accepted_one(definition, depth)
            if one is None:
                return None
            out |= one
        return frozenset(out)

    def _accepted_one(self, definition, depth: int) -> frozenset[str] | None:
        path = str(definition.module_path) if definition.module_path else None
        if not path or not path.endswith((".py", ".pyi")):
            return None
        # A callable instance is trusted only from a stub (typeshed's `rmtree: _RmtreeType`).
        if definition.type not in ("function", "class") and not (definition.type == "instance" and path.endswith(".pyi")):
            return None
        same_file = os.path.realpath(path) == os.path.realpath(modules.absolute(self.path, self.root))
        key = (path, modules.mtime(path), definition.line)
        if not same_file and key in _ACCEPTED:
            return _ACCEPTED[key]
        result = self._compute(definition, path, depth)
        if not same_file:
            _ACCEPTED[key] = result
        return result

    def _compute(self, definition, path: str, depth: int) -> frozenset[str] | None:
        if path.endswith(".pyi"):
            return self._from_jedi(definition)
        node, in_class = _definition_node(path, definition.line)
        if node is None:
            return None
        return self._signature(
            node, in_class, depth,
            forward=lambda func: self._forwarded(func, path, depth),
            fields=lambda: self._from_jedi(definition),  # fields become parameters: jedi knows dataclasses
        )

    def _signature(self, node, in_class: bool, depth: int, forward, fields, stub: bool = False) -> frozenset[str] | None:
        """The keywords a def or class accepts, from its source; `forward(func)` finds what its
        `**kwargs` reach, `fields()` the parameters of a dataclass."""
        # A stub's decorators describe (`@overload`, `@final`): the signature is as written.
        transparent = _decorators(node) if stub else _TRANSPARENT_DECORATORS
        if _decorators(node) - transparent:
            return None  # a decorator may change the signature
        bound = in_class and "staticmethod" not in _decorators(node)
        if isinstance(node, ast.ClassDef):
            if any(n.name in ("__new__", "__call__") for n in node.body if isinstance(n, ast.FunctionDef)):
                return None
            if "dataclass" in _decorators(node):
                return fields()
            node = next((n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == "__init__"), None)
            if node is None or (_decorators(node) - _TRANSPARENT_DECORATORS and not stub):
                return None  # inherited or generated constructor: leave it to the type checker
            bound = True
        accepted, open_kwargs = _ast_params(node, bound)
        if not open_kwargs:
            return frozenset(accepted)
        if stub or depth >= 2:
            return None
        forwarded = forward(node)
        return None if forwarded is None else frozenset(accepted | forwarded)

    # -- callees read from source (leery.rules.apis.definitions); jedi only where that cannot tell --

    def static(self, defs: list, depth: int = 0) -> frozenset[str] | None:
        """Union over definitions read from source; None as soon as one of them is open."""
        out: set[str] = set()
        for definition in defs:
            key = (definition.path, modules.mtime(definition.path), definition.node.lineno, definition.node.col_offset, "static")
            if key in _ACCEPTED:
                one = _ACCEPTED[key]
            else:
                one = self._signature(
                    definition.node, definition.in_class, depth,
                    forward=lambda func, d=definition: self._forwarded_static(d, func, depth),
                    fields=lambda d=definition: _dataclass_fields(d.node),
                    stub=definition.stub,
                )
                _ACCEPTED[key] = one
            if one is None:
                return None
            out |= one
        return frozenset(out)

    def _forwarded_static(self, definition, func: ast.FunctionDef, depth: int) -> set[str] | None:
        uses = _kwargs_uses(func)
        if uses is None:
            return None
        keys, targets = uses
        if func is not definition.node:  # a class's `__init__`: a method of that class
            definition = definitions.Definition(definition.path, func, definition.module, owner=definition)
        out = set(keys)
        for call in targets:
            found = definitions.called(definition, call.func, self.search)
            if isinstance(found, str):
                return None
            accepted = self.static(found, depth + 1)
            if accepted is None:
                return None
            out |= accepted
        return out

    def _from_jedi(self, definition) -> frozenset[str] | None:
        with self.budget.timed():
            signatures = definition.get_signatures()
        if not signatures:
            return None
        accepted: set[str] = set()
        for signature in signatures:
            for param in signature.params:
                if param.kind == inspect.Parameter.VAR_KEYWORD:
                    return None
                if param.kind != inspect.Parameter.POSITIONAL_ONLY:
                    accepted.add(param.name)
        return frozenset(accepted)

    def _forwarded(self, func: ast.FunctionDef, path: str, depth: int) -> set[str] | None:
        """Keywords that `**kwargs` reaches, the callees found by jedi."""
        uses = _kwargs_uses(func)
        if uses is None:
            return None
        keys, targets = uses
        script = jedi_env.script_for_file(path, self.root)
        if script is None:
            return None
        out = set(keys)
        for call in targets:
            if not self.budget.left():
                return None
            line, col = _name_position(call.func, _lines(path))
            if line is None:
                return None
            with self.budget.timed(), jedi_env.lock():
                found = _definitions(script, line, col)
            accepted = self.accepted(found, depth + 1)
            if accepted is None:
                return None
            out |= accepted
        return out


def _kwargs_uses(func: ast.FunctionDef) -> tuple[set[str], list[ast.Call]] | None:
    """(keys read from `**kwargs`, calls it is passed on to); None when the dict is also used
    some other way: then any key may be accepted."""
    kwname = func.args.kwarg.arg  # type: ignore[union-attr]
    keys: set[str] = set()
    targets: list[ast.Call] = []
    uses = 0
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            if any(kw.arg is None and isinstance(kw.value, ast.Name) and kw.value.id == kwname for kw in node.keywords):
                targets.append(node)
                uses += 1
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == kwname:
                if f.attr in ("pop", "get", "setdefault") and node.args and isinstance(node.args[0], ast.Constant):
                    keys.add(str(node.args[0].value))
                    uses += 1
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == kwname:
            if isinstance(node.slice, ast.Constant):
                keys.add(str(node.slice.value))
                uses += 1
        elif isinstance(node, (ast.UnaryOp, ast.If, ast.BoolOp, ast.While, ast.IfExp)) and _tests_name(node, kwname):
            uses += 1  # `if not kwargs:` only asks whether any were passed
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) and any(
            isinstance(c, ast.Name) and c.id == kwname for c in node.comparators
        ):
            keys.add(str(node.left.value))
            uses += 1
    all_uses = sum(1 for n in ast.walk(func) if isinstance(n, ast.Name) and n.id == kwname)
    if not targets or all_uses != uses:
        return None
    return keys, targets


def _dataclass_fields(node: ast.ClassDef) -> frozenset[str] | None:
    """The `__init__` parameters of a `@dataclass` without base classes: its annotated fields,
    less `ClassVar`s and `field(init=False)`; None when the decorator or a field says otherwise."""
    for dec in node.decorator_list:
        if isinstance(dec, ast.Call) and any(kw.arg == "init" for kw in dec.keywords):
            return None
    if node.bases or node.keywords:
        return None  # inherited fields: leave it to the type checker
    fields: set[str] = set()
    for stmt in node.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        annotation = ast.unparse(stmt.annotation)
        if "ClassVar" in annotation or "KW_ONLY" in annotation:
            continue
        value = stmt.value
        if isinstance(value, ast.Call) and (dotted_name(value.func) or "").rsplit(".", 1)[-1] == "field":
            init = next((kw.value for kw in value.keywords if kw.arg == "init"), None)
            if init is not None and not (isinstance(init, ast.Constant) and init.value is False):
                return None
            if init is not None:
                continue
        fields.add(stmt.target.id)
    return frozenset(fields)


# (root, import folder, qualified name) -> (accepted, [(defining file, mtime)]): the same imported
# callee resolves the same way in every version of every file, so an edit does not pay jedi again.
_SHARED: dict[tuple, tuple[frozenset[str] | None, list[tuple[str, float]]]] = {}


def _shared_hit(key: tuple) -> bool:
    entry = _SHARED.get(key)
    return entry is not None and all(modules.mtime(path) == mtime for path, mtime in entry[1])


def _remember(key: tuple, accepted, definitions, current: str) -> None:
    paths = [str(d.module_path) for d in definitions if d.module_path]
    if not paths or any(os.path.realpath(p) == os.path.realpath(current) for p in paths):
        return  # defined in the file being edited: its text is not on disk
    if len(_SHARED) > 5000:
        _SHARED.clear()
    _SHARED[key] = (accepted, [(p, modules.mtime(p)) for p in paths])
    if modules.in_batch_run():
        _LEARNT.append(key)


# -- kept between `leery check` runs (jedi_env.answers_file), checked by modification time ----
_LEARNT: list[tuple] = []  # _SHARED keys found since the last drain


def drain() -> dict:
    """What this process found since the last call, as JSON (a forked worker sends it to the parent)."""
    callees = []
    for key in _LEARNT:
        if key in _SHARED:
            accepted, paths = _SHARED[key]
            callees.append([*key, None if accepted is None else sorted(accepted), [list(p) for p in paths]])
    _LEARNT.clear()
    return {"origins": jedi_env.drain_origins(), "callees": callees}


ANSWERS_FILE = "jedi-answers-v1.json"


def load_answers(root) -> None:
    """Fill the caches from the answers file of a workspace root (before the workers fork)."""
    data = _read_answers(root)
    jedi_env.load_origins(root, data["origins"])
    for row in data["callees"]:
        if _valid_callee(row) and row[0] == str(root):
            saved_root, first, qualified, accepted, paths = row
            entry = (None if accepted is None else frozenset(accepted), [(p, when) for p, when in paths])
            _SHARED.setdefault((saved_root, first, qualified), entry)


def save_answers(root, learnt: list[dict]) -> None:
    """Write the answers file of a workspace root: what was loaded and still holds, and what the
    run found (`learnt`: the workers' drain() results)."""
    from leery.workspace.cache import write_stamped

    learnt = [part for part in learnt if part.get("origins") or part.get("callees")]
    if not learnt:
        return
    old = _read_answers(root)
    rows = old["origins"] + [r for part in learnt for r in part["origins"]]
    origins = {tuple(row[:3]): row for row in rows if jedi_env.valid_origin(row, root)}
    rows = old["callees"] + [r for part in learnt for r in part["callees"]]
    callees = {tuple(row[:3]): row for row in rows if _valid_callee(row) and row[0] == str(root) and all(modules.mtime(p) == when for p, when in row[4])}
    write_stamped(Path(root), ANSWERS_FILE, jedi_env.environment(), {"origins": list(origins.values()), "callees": list(callees.values())})


def _read_answers(root) -> dict:
    from leery.workspace.cache import read_stamped

    data = read_stamped(Path(root), ANSWERS_FILE, jedi_env.environment())
    return {name: data.get(name) if isinstance(data.get(name), list) else [] for name in ("origins", "callees")}


def _valid_callee(row) -> bool:
    """[root, first folder or null, qualified, keywords or null, [[path, mtime], ...]]"""
    if not (isinstance(row, list) and len(row) == 5 and isinstance(row[0], str) and isinstance(row[2], str)):
        return False
    if not (row[1] is None or isinstance(row[1], str)):
        return False
    if not (row[3] is None or (isinstance(row[3], list) and all(isinstance(k, str) for k in row[3]))):
        return False
    return isinstance(row[4], list) and bool(row[4]) and all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], (int, float)) for p in row[4]
    )


def _one_binding(ctx, local: str) -> bool:
    """Whether the file's imports bind `local` to one thing and jedi reads the imports as written
    (a file that edits `sys.path` changes where jedi looks)."""
    bindings = import_bindings(ctx).get(local, [])
    return len({target for target, _ in bindings}) == 1 and "sys.path" not in ctx.source.text


def _module_origin(ctx, path: str, local: str, qualified: str, root) -> str | None:
    """In `leery check` (files do not change during the run), for a callee whose root name one
    import binds: the file jedi imports the callee's top-level module from, when this file's
    folder sees it ("" for a module without a file), else None. Asked once per folder and module."""
    if getattr(ctx.workspace, "mode", None) != "cli" or not _one_binding(ctx, local):
        return ""
    return jedi_env.module_origin(os.path.dirname(path), qualified.split(".")[0], root)


def _shared_key(ctx, path: str, local: str, qualified: str, root) -> tuple:
    """The key under which a callee's keywords are shared between files: its qualified name and the
    first folder of the import path. jedi looks in the workspace root first, then the
    environment, then the folders above the file: a module found in the environment (not under
    the root) is the same module from every folder, and its callees are shared by all of them."""
    origin = _module_origin(ctx, path, local, qualified, root)
    if origin and not os.path.realpath(origin).startswith(os.path.realpath(root) + os.sep):
        return (str(root), None, qualified)
    return (str(root), search_for(ctx)[0], qualified)


def _where_to_ask(ctx, path: str, local: str, func: ast.expr, qualified: str, root) -> tuple[object, int, int] | None:
    """(jedi Script, line, column) to ask what the callee is; None when jedi would find nothing.

    A Script of the whole file costs a parse of the whole file. When imports at the top of the
    module bind the callee's root name to one thing, a Script of just those imports and the
    callee's dotted name, in the same folder, finds the same definitions: jedi's import path
    depends on the folder (the project, the folders above the file), and on the file only
    through its `sys.path` edits (then the whole file is used)."""
    if _module_origin(ctx, path, local, qualified, root) is None:
        return None
    statements = {id(st): st for _, st in import_bindings(ctx).get(local, [])}
    if not _one_binding(ctx, local) or None in statements.values():
        line, col = _name_position(func, ctx.source.lines)
        return jedi_env.script(path, ctx.source.text, root), line, col
    segments = [_segment(ctx.source, st) for st in statements.values()]
    dotted = dotted_name(func) or ""
    text = "\n".join([*segments, dotted, ""])
    return jedi_env.script(jedi_env.probe_path(os.path.dirname(path)), text, root), text.count("\n"), len(dotted) - 1


def _segment(source, node: ast.AST) -> str:
    """The source text of a node (ast.get_source_segment splits the whole text on every call)."""
    span = source.span_of(node)
    return source.text[source.offset_of(span.start_line, span.start_col) : source.offset_of(span.end_line, span.end_col)]


def _definitions(script, line: int, col: int) -> list:
    """What a callee name refers to: jedi's goto (the definition as written, decorators and
    all, so `_compute` sees `@classmethod` or an unknown decorator), and its inference when the
    name is a variable or parameter (`cls(**kw)` in `json.dumps` is `JSONEncoder`)."""
    found = script.goto(line, col, follow_imports=True)
    if found and all(d.type in ("function", "class") for d in found):
        return found
    return script.infer(line, col)


def _tests_name(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.UnaryOp):
        operands = [node.operand] if isinstance(node.op, ast.Not) else []
    elif isinstance(node, ast.BoolOp):
        operands = node.values
    else:
        operands = [node.test]
    return any(isinstance(o, ast.Name) and o.id == name for o in operands)


def _lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def _name_position(func: ast.expr, lines: list[str]) -> tuple[int | None, int]:
    """(1-based line, code-point column) inside the callee's last name, for jedi."""
    if isinstance(func, ast.Attribute):
        line = func.end_lineno
        byte_col = func.end_col_offset - 1  # type: ignore[operator]
    elif isinstance(func, ast.Name):
        line = func.lineno
        byte_col = func.col_offset
    else:
        return None, 0
    text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    return line, len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _from_source(ctx, checker: _Checker, local: str, func: ast.expr):
    """The keywords the callee accepts, read from source (None: anything may be accepted), or
    ASK when only jedi can tell (a third-party compiled module). Each module an import binds the
    name to counts (`try: import simplejson as js` / `except ImportError: import json as js`);
    one that is not installed is left out. Modules are found as LY401 finds them: a file that
    edits `sys.path` imports from its own folder, the project and the environment (jedi, asked
    for every callee of such files, spent seconds on each and found nothing more on ws131)."""
    rest = (dotted_name(func) or "").partition(".")[2]
    targets = {target for target, _ in import_bindings(ctx).get(local, [])} or {ctx.imports[local]}
    found = []
    for target in sorted(targets):
        target = _absolute_import(ctx, checker.root, target) if target.startswith(".") else target
        if target is None:
            return None
        defs = definitions.resolve(f"{target}.{rest}" if rest else target, checker.search)
        if defs == definitions.MISSING:
            continue
        if isinstance(defs, str):
            return defs if defs == definitions.ASK else None
        found += defs
    return checker.static(found) if found else None


def _absolute_import(ctx, root, target: str) -> str | None:
    """`.console.Console` imported in rich/emoji.py -> `rich.console.Console` (None outside a package)."""
    level = len(target) - len(target.lstrip("."))
    folder = modules.absolute(ctx.path, root).parent
    package: list[str] = []
    while (folder / "__init__.py").exists() and folder.parent != folder:
        package.insert(0, folder.name)
        folder = folder.parent
    if level - 1 >= len(package):
        return None
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, target[level:]]) if target[level:] else ".".join(base)


def _from_jedi(ctx, checker: _Checker, node: ast.Call, local: str, func: ast.expr, qualified: str):
    """The keywords the callee accepts, as jedi finds it (None: anything may be accepted), or
    ASK when jedi's time budget for the file is spent."""
    if qualified.startswith("."):
        return None  # the probes below name absolute modules
    budget = checker.budget
    path = ctx.path if os.path.isabs(ctx.path) else str(modules.absolute(ctx.path, checker.root))
    with jedi_env.lock(), budget.timed():
        shared_key = _shared_key(ctx, path, local, qualified, checker.root)
    if _shared_hit(shared_key):
        return _SHARED[shared_key][0]
    if not budget.left():
        budget.report_partial(ctx, node)
        return definitions.ASK
    with jedi_env.lock(), budget.timed():
        try:
            where = _where_to_ask(ctx, path, local, func, qualified, checker.root)
            # goto, not infer: the definition as written, decorators and all, so that
            # `_compute` sees `@classmethod` or an unknown decorator in the source.
            found = _definitions(*where) if where else []
            accepted = checker.accepted(found)
            _remember(shared_key, accepted, found, ctx.path)
        except Exception as exc:  # noqa: BLE001 - jedi can fail on odd code; that is not a finding
            log.debug("leery: jedi failed on %s:%s: %s", ctx.path, node.lineno, exc)
            accepted = None
    return accepted


@rule(
    "LY405",
    "unknown-keyword",
    summary="A call passes a keyword argument that the called function does not accept.",
    nodes=(ast.Call,),
    severity=Severity.ERROR,
    confidence=Confidence.MEDIUM,
    fixable=True,
    tier="slow",
)
def unknown_keyword(node: ast.Call, ctx) -> None:
    """
    ## What it does
    For calls to imported functions and classes (`json.dumps`, `from .mail import send`), reads
    the callee's definition from its source without running it (the standard library's source,
    or jedi's typeshed stubs for compiled modules such as `os.stat`) and reports a keyword
    argument it does not take. When the function takes `**kwargs`, follows them into the
    functions they are passed to (two levels deep): `json.dumps(x, sort=True)` reaches
    `JSONEncoder(...)`, which has no `sort`. The closest accepted keyword is offered as a fix.
    jedi is asked only where reading the source cannot tell: functions of third-party compiled
    modules.

    ## Why it matters
    Invented keyword arguments (`subprocess.run(cmd, capture=True)`,
    `requests.get(url, timeout_seconds=3)`) raise `TypeError` only when the line runs, and in
    error paths that can be long after review.

    ## What to check in review
    Look the parameter up in the function's documentation; the suggestion is only the closest
    spelling.

    ## Example
    ```python
    subprocess.run(cmd, capture=True)
    ```

    ## Use instead
    ```python
    subprocess.run(cmd, capture_output=True)
    ```

    ## Fix safety
    Renaming the keyword is unsafe: the closest spelling may be a different parameter.

    ## Known limitations
    Silent, by design, when: the callee is not imported (methods of local objects are not
    checked); it is decorated with anything but `staticmethod`, `classmethod`, `wraps` or
    `dataclass`; a class has no `__init__` of its own or defines `__new__`/`__call__`; a
    dataclass has base classes or `init=` arguments; its `**kwargs` are used other than by
    passing them on or reading literal keys; the call passes `**mapping`; the name is bound at
    run time in a way the source does not show (`globals()`, a module `__getattr__`, a value
    computed by a call). Branches on anything but `sys.version_info` and `sys.platform` count
    both ways: a keyword accepted on either side is accepted. Stub files (`.pyi`) are not
    checked. Where jedi is asked, it has a time budget per file (`LEERY_JEDI_BUDGET`, 4 s by
    default); calls past it are reported once as LY004.
    """
    keywords = [kw for kw in node.keywords if kw.arg is not None]
    if not keywords or any(kw.arg is None for kw in node.keywords) or ctx.path.endswith(".pyi"):
        return  # a stub is read by type checkers, never run
    func = node.func
    root_name = func
    while isinstance(root_name, ast.Attribute):
        root_name = root_name.value
    if not isinstance(root_name, ast.Name) or root_name.id not in ctx.imports or shadowed(ctx, root_name.id):
        return
    qualified = ctx.qualname(func)
    if not qualified:
        return
    if guarded(ctx, node, ("TypeError",)):
        return
    checker = getattr(ctx, "_leery_keyword_checker", None)
    if checker is None:
        checker = ctx._leery_keyword_checker = _Checker(ctx)
    if qualified not in checker.by_callee:
        checker.by_callee[qualified] = _from_source(ctx, checker, root_name.id, func)
    accepted = checker.by_callee[qualified]
    if accepted is definitions.ASK:
        accepted = _from_jedi(ctx, checker, node, root_name.id, func, qualified)
        if accepted is definitions.ASK:
            return  # out of jedi's time budget: LY004 says so
        checker.by_callee[qualified] = accepted
    if accepted is None:
        return
    shown = ast.unparse(func)
    for kw in keywords:
        if kw.arg in accepted:
            continue
        hint = names.closest(kw.arg, set(accepted))
        span = ctx.source.span_of(kw)
        name_span = Span(span.start_line, span.start_col, span.start_line, span.start_col + len(kw.arg))
        fix = Fix(f"Use `{hint}=`", Applicability.UNSAFE, (Edit(name_span, hint),)) if hint else None
        tail = f"; did you mean `{hint}`?" if hint else ""
        ctx.report(name_span, f"`{shown}()` takes no keyword `{kw.arg}`{tail}", fix=fix)
