"""bandit's node visitor and tester (bandit 1.9.4: core/node_visitor.py, core/tester.py), redone
to cost less on leery's shared tree while giving the same issues in the same order.

What bandit does that is left out, and why that changes no result:
- Its per-test `copy.copy` of the context and a new `Context` per test: no test of the pinned
  bandit writes into the context, so one dict and one `Context` per node serve every test.
- The per-node work for node types no selected test checks (a context dict, a line range).
- Parent/sibling links on nodes no check can reach: tests climb `_bandit_parent` only from the
  node they check (a call, a string) through its ancestors, and read `_bandit_sibling` only on
  those (`utils.linerange` of a node without a line number). Leaves (names, operators, aliases,
  non-string constants...) are never an ancestor of a call or a string, so they get no links and
  are not descended into.
- Line ranges are built only when an issue or a `# nosec` lookup needs them (no test reads one).
- Tests that cannot report on a node (bandit_gates.py: the call's name is not theirs...).
- Rescanning all imports for `is_module_imported_like` while they are unchanged (`_Context`).
- Scores, metrics and debug logging: leery reads only the issues.
`tests/test_bandit_adapter.py` compares the results with bandit's own visitor on real files.
"""

from __future__ import annotations

import ast

from bandit.core import context as b_context
from bandit.core import tester as b_tester
from bandit.core import utils as b_utils

# Node types that never have a call or a string below them (their children, if any, are
# operator and context singletons) and that no test climbs from.
_LEAVES = frozenset({
    ast.Name, ast.alias, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal, ast.TypeIgnore,
    *(cls for base in (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop) for cls in base.__subclasses__()),
})
# Fields that only ever hold those singletons, or plain values.
_SKIPPED_FIELDS = frozenset({"ctx", "op", "ops"})
_SCALAR_FIELDS = {
    ast.Constant: ("value", "kind"),
    ast.Attribute: ("attr",),
    ast.FunctionDef: ("name", "type_comment"),
    ast.AsyncFunctionDef: ("name", "type_comment"),
    ast.ClassDef: ("name",),
    ast.ImportFrom: ("module", "level"),
    ast.keyword: ("arg",),
    ast.arg: ("arg", "type_comment"),
    ast.ExceptHandler: ("name",),
    ast.FormattedValue: ("conversion",),
    ast.comprehension: ("is_async",),
    ast.AnnAssign: ("simple",),
}
_NO_CONFIG = object()


def _node_classes() -> list[type]:
    out, todo = [], [ast.AST]
    while todo:
        cls = todo.pop()
        out.append(cls)
        todo.extend(cls.__subclasses__())
    return out


_CLASSES = _node_classes()
# The fields to walk per node type, without the skipped ones.
_FIELDS = {
    cls: tuple(name for name in cls._fields if name not in _SKIPPED_FIELDS and name not in _SCALAR_FIELDS.get(cls, ()))
    for cls in _CLASSES
}
_HANDLERS: dict[frozenset[str], tuple] = {}


def _handlers(names: frozenset[str]) -> tuple[dict, frozenset, bool]:
    """For the node types these names select: node type -> the Walker function for it, the
    leaf types, and whether the operator and context fields can be skipped. The functions are
    unbound: a walker holding bound methods of itself would be a reference cycle, and the
    tree (in `linked`) would wait for the cyclic collector, which the server holds off while
    the user types."""
    found = _HANDLERS.get(names)
    if found is None:
        handlers = {cls: getattr(Walker, "_visit_" + cls.__name__, Walker._visit_other) for cls in _CLASSES if cls.__name__ in names}
        if names & {"Str", "Bytes"}:
            handlers[ast.Constant] = Walker._visit_Constant
        # A string no test checks is a leaf too: tests climb only from the node they check.
        leaves = frozenset(cls for cls in _LEAVES | {ast.Constant} if cls not in handlers)
        found = _HANDLERS[names] = (handlers, leaves, not any(cls in handlers for cls in _LEAVES))
    return found


class Walker:
    """One file's walk: `results` holds bandit's `Issue`s in bandit's order; `imports` and
    `import_aliases` are bandit's (the incremental units replay them)."""

    def __init__(self, path: str, fdata, testset, nosec_lines: dict, tester: b_tester.BanditTester, units=None) -> None:
        self.fname = path
        self.fdata = fdata
        self.nosec_lines = nosec_lines
        self.tester = tester  # bandit's, for its `# nosec` lookup and error report
        self.results = tester.results
        self.imports: set[str] = set()
        self.import_aliases: dict[str, str] = {}
        self.units = units
        self.imported_like: dict[str, tuple[int, bool]] = {}  # see _Context
        self.linked: list[ast.AST] = []  # nodes given links, to strip afterwards
        self.measured: list[ast.AST] = []  # nodes without a line number bandit measured (it caches on their subtrees)
        try:
            self.namespace = b_utils.get_module_qualname_from_path(path)
        except b_utils.InvalidModulePath:
            self.namespace = ""
        self.tests, self.gates = prepared(testset)
        names = frozenset(self.tests) | {"Import", "ImportFrom", "FunctionDef", "ClassDef"}  # aliases and namespaces
        self.handlers, self.leaves, self.skip_fields = _handlers(names)
        self._range_node: ast.AST | None = None  # whose line range an issue of the current node gets

    # -- the walk ---------------------------------------------------------------------------
    def walk(self, node: ast.AST) -> None:
        """bandit's `generic_visit` of `node`'s children."""
        handlers, leaves, units, link = self.handlers, self.leaves, self.units, self.linked.append
        for name in _FIELDS[node.__class__] if self.skip_fields else node._fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                items = value
            elif isinstance(value, ast.AST):
                items = (value,)  # a single child: no sibling, as in bandit's generic_visit
            else:
                continue
            last = len(items) - 1
            for idx in range(last + 1):
                item = items[idx]
                cls = item.__class__
                if cls in leaves or not isinstance(item, ast.AST):
                    continue
                if cls is ast.Constant and not isinstance(item.value, (str, bytes)):
                    continue
                item._bandit_sibling = items[idx + 1] if idx < last else None
                item._bandit_parent = node
                link(item)
                if units is not None and id(item) in units.plan.by_node:
                    self._unit(item, handlers.get(cls))
                    continue
                handler = handlers.get(cls)
                if handler is None:
                    self.walk(item)
                else:
                    handler(self, item)

    def _unit(self, item: ast.AST, handler) -> None:
        """A function unit of the incremental plan: its issues moved over, or visited."""
        units = self.units
        if units.enter(item, self):
            return  # unchanged since the last version
        mark = len(self.results)
        before = (set(self.imports), dict(self.import_aliases)) if units.has_imports(item) else None
        if handler is None:
            self.walk(item)
        else:
            handler(self, item)
        units.leave(item, self, mark, before)

    def strip(self) -> None:
        """Take bandit's attributes off the tree again, and let go of its nodes."""
        for node in self.linked:
            attrs = node.__dict__
            attrs.pop("_bandit_parent", None)
            attrs.pop("_bandit_sibling", None)
        self.linked = []
        # bandit's line range cache: only `utils.linerange` of a node without a line number sets
        # it, on that node and below (no test of this version calls it, only `_linerange`).
        for top in self.measured:
            for node in ast.walk(top):
                attrs = node.__dict__
                attrs.pop("_bandit_linerange", None)
                attrs.pop("_bandit_linerange_stripped", None)
        self.measured = []

    # -- bandit's visit_* methods -------------------------------------------------------------
    def _context(self, node: ast.AST) -> dict:
        """bandit's `pre_visit`, without the line range (built on demand, see `_issue`)."""
        context = {"imports": self.imports, "import_aliases": self.import_aliases}
        if hasattr(node, "lineno"):
            context["lineno"] = node.lineno
        if hasattr(node, "col_offset"):
            context["col_offset"] = node.col_offset
        if hasattr(node, "end_col_offset"):
            context["end_col_offset"] = node.end_col_offset
        context["node"] = node
        context["filename"] = self.fname
        context["file_data"] = self.fdata
        self._range_node = node
        return context

    def _visit_other(self, node: ast.AST) -> None:
        tests = self.tests.get(type(node).__name__)
        if tests:
            self.run_tests(self._context(node), tests)
        self.walk(node)

    def _visit_ClassDef(self, node: ast.ClassDef) -> None:
        # bandit's visit_ClassDef runs no tests, it only names the namespace.
        self.namespace = b_utils.namespace_path_join(self.namespace, node.name)
        self.walk(node)
        self.namespace = b_utils.namespace_path_split(self.namespace)[0]

    def _visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        context = self._context(node)
        context["function"] = node
        qualname = self.namespace + "." + b_utils.get_func_name(node)
        name = qualname.split(".")[-1]
        context["qualname"] = qualname
        context["name"] = name
        self.namespace = b_utils.namespace_path_join(self.namespace, name)
        tests = self.tests.get("FunctionDef")
        if tests:
            self.run_tests(context, tests)
        self.walk(node)
        self.namespace = b_utils.namespace_path_split(self.namespace)[0]

    def _visit_Call(self, node: ast.Call) -> None:
        tests = self.tests.get("Call")
        if tests:
            qualname = b_utils.get_call_name(node, self.import_aliases)
            name = qualname.split(".")[-1]
            gates = self.gates.get("Call")
            if gates is not None:
                tests = gates.choose(node, qualname, name)
            if tests:
                context = self._context(node)
                context["call"] = node
                context["qualname"] = qualname
                context["name"] = name
                self.run_tests(context, tests)
        self.walk(node)

    def _visit_Import(self, node) -> None:
        context = self._context(node)
        for nodename in node.names:
            if nodename.asname:
                self.import_aliases[nodename.asname] = nodename.name
            self.imports.add(nodename.name)
            context["module"] = nodename.name
        tests = self.tests.get("Import")
        if tests:
            self.run_tests(context, tests)
        self.walk(node)

    def _visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module
        if module is None:
            return self._visit_Import(node)
        context = self._context(node)
        for nodename in node.names:
            if nodename.asname:
                self.import_aliases[nodename.asname] = module + "." + nodename.name
            else:
                self.import_aliases[nodename.name] = module + "." + nodename.name
            self.imports.add(module + "." + nodename.name)
            context["module"] = module
            context["name"] = nodename.name
        tests = self.tests.get("ImportFrom")
        if tests:
            self.run_tests(context, tests)
        self.walk(node)

    def _visit_Constant(self, node: ast.Constant) -> None:
        # Only str and bytes constants get here (see `walk`); bandit's visit_Str/visit_Bytes.
        parent = node._bandit_parent
        if isinstance(parent, ast.Expr):
            return  # a docstring or a bare string statement
        kind = "Str" if isinstance(node.value, str) else "Bytes"
        tests = self.tests.get(kind)
        gates = self.gates.get(kind)
        if tests and gates is not None:
            tests = gates.choose(node)
        if tests:
            context = self._context(node)
            context["str" if kind == "Str" else "bytes"] = node.value
            self._range_node = parent
            self.run_tests(context, tests)

    # -- bandit's BanditTester.run_tests -----------------------------------------------------
    def run_tests(self, context: dict, tests: list) -> None:
        ctx = _Context(context, self.imported_like)
        for test, name, config, test_id in tests:
            try:
                result = test(ctx) if config is _NO_CONFIG else test(ctx, config)
                if result is not None:
                    self._issue(context, result, name, test_id)
            except Exception as e:
                b_tester.BanditTester.report_error(name, ctx, e)

    def _issue(self, context: dict, result, name: str, test_id: str) -> None:
        if "linerange" not in context:
            context["linerange"] = self._linerange(self._range_node)
        skip = self.tester._get_nosecs_from_contexts(context, test_result=result) if self.nosec_lines else None
        filename = context["filename"]
        result.fname = filename.decode("utf-8") if isinstance(filename, bytes) else filename
        result.fdata = context["file_data"]
        if result.lineno is None:
            result.lineno = context["lineno"]
        if result.linerange == []:
            result.linerange = context["linerange"]
        if result.col_offset == -1:
            result.col_offset = context["col_offset"]
        result.end_col_offset = context.get("end_col_offset", 0)
        result.test = name
        if result.test_id == "":
            result.test_id = test_id
        if skip is not None and (not skip or result.test_id in skip):
            return  # `# nosec`, for every test or for this one
        self.results.append(result)

    def _linerange(self, node) -> list[int]:
        if node is None:
            return [0, 1]  # the whole-file tests' context
        if not hasattr(node, "lineno"):
            self.measured.append(node)
        return b_utils.linerange(node)

    def run_file_tests(self) -> None:
        """bandit's tests that read the whole file (its `process` after the walk)."""
        tests = self.tests.get("File")
        if tests:
            self._range_node = None
            context = {"file_data": self.fdata, "filename": self.fname, "lineno": 0, "linerange": [0, 1], "col_offset": 0}
            self.run_tests(context, tests)


class _Context(b_context.Context):
    """bandit's test context, with `is_module_imported_like` (a scan of every import, asked by
    several tests on every call) answered again from a cache while the imports are the same.
    They only ever grow, so an unchanged count means unchanged imports."""

    def __init__(self, context: dict, cache: dict[str, tuple[int, bool]]) -> None:
        self._context = context
        self._cache = cache

    def is_module_imported_like(self, module):
        imports = self._context.get("imports")
        if imports is None:
            return super().is_module_imported_like(module)
        known = self._cache.get(module)
        if known is not None and known[0] == len(imports):
            return known[1]
        found = super().is_module_imported_like(module)
        self._cache[module] = (len(imports), found)
        return found


_PREPARED: dict[int, tuple] = {}


def prepared(testset) -> tuple[dict, dict]:
    """The tests per node type as the walker calls them (with their configuration as it is now:
    bandit keeps the blacklist's on the one shared function, and the last test set built sets
    it), and their gates (bandit_gates)."""
    found = _PREPARED.get(id(testset))
    if found is None or found[0] is not testset:
        from leery.analyzers.bandit_gates import gates_for

        entries = {
            kind: [(test, test.__name__, getattr(test, "_config", _NO_CONFIG), test._test_id) for test in tests]
            for kind, tests in testset.tests.items()
        }
        found = _PREPARED[id(testset)] = (testset, entries, gates_for(testset.tests, entries))
    return found[1], found[2]
