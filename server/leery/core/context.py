"""What a rule sees while the engine walks a file: the source, ancestors, imports, report()."""

from __future__ import annotations

import ast
import builtins
import fnmatch
import functools
import weakref
from typing import TYPE_CHECKING, Any, Iterable

from leery.core import astutil
from leery.core.findings import Confidence, Finding, Fix, Related, Severity, Span

if TYPE_CHECKING:
    from leery.core.config import Settings
    from leery.core.registry import Rule
    from leery.core.source import SourceFile

_BUILTINS = frozenset(dir(builtins))

# Caches keyed by syntax-tree nodes that serve one analysis (a scope's bindings, ...). In the
# CLI a tree dies with its analysis, and the entries with it; the server's fast tier keeps the
# nodes of unchanged functions from one version to the next (leery.core.reparse), so the
# engine empties these after each analysis (kept, they held ~15 MB for a 5.6k-line file).
NODE_CACHES: "list[weakref.WeakKeyDictionary]" = []


def node_cache() -> "weakref.WeakKeyDictionary":
    cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    NODE_CACHES.append(cache)
    return cache


TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "tests.py", "conftest.py")
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class Context:
    def __init__(self, source: "SourceFile", settings: "Settings", workspace: Any = None) -> None:
        self.source = source
        self.settings = settings
        self.workspace = workspace
        self.path = source.path
        self.parents: list[ast.AST] = []  # ancestors of the node being visited, outermost first
        self.imports: dict[str, str] = {}  # local name -> qualified name, filled as the walk meets imports
        self.findings: list[Finding] = []
        self.rule: "Rule | None" = None
        self.node: ast.AST | None = None  # the node the rules are checking (set by the engine's walk)
        self._parent_map: dict[ast.AST, ast.AST] | None = None
        self._assigned_names: set[str] | None = None
        self._global_names: frozenset[str] | None = None
        self._class_bases: frozenset[str] | None = None
        # The last expression qualname() answered for, and its answer: the call rules all ask
        # about the Call being visited, one after the other. Imports change the answer.
        self._qualified: tuple[ast.AST | None, str | None] = (None, None)
        self.plan = None  # leery.core.incremental.Plan when only part of the module is walked
        self.records: dict[str, Any] = {}  # what analyzers keep for the next version (incremental)

    # -- reporting -------------------------------------------------------------------------
    def report(
        self,
        where: ast.AST | Span,
        message: str,
        *,
        fix: Fix | None = None,
        related: Iterable[Related] = (),
        confidence: Confidence | None = None,
        severity: Severity | None = None,
        tags: Iterable[str] = (),
        extra: dict[str, Any] | None = None,
        code: str | None = None,
    ) -> Finding:
        from leery.core.registry import REGISTRY

        rule = REGISTRY.get(code) if code else self.rule
        assert rule is not None, "report() outside a rule needs code="
        span = where if isinstance(where, Span) else self.source.span_of(where)
        finding = Finding(
            code=rule.code,
            name=rule.name,
            path=self.path,
            span=span,
            message=message,
            severity=severity or rule.severity,
            confidence=confidence or rule.confidence,
            fix=fix,
            related=list(related),
            tags=tuple(tags) or rule.tags,
            extra=dict(extra or {}),
        )
        self.findings.append(finding)
        return finding

    # -- tree helpers ----------------------------------------------------------------------
    @property
    def parent(self) -> ast.AST | None:
        return self.parents[-1] if self.parents else None

    def parent_of(self, node: ast.AST) -> ast.AST | None:
        """Parent of any node. The node being visited and its ancestors answer from the walk's
        stack; any other node from a map of the whole tree (built once, on first use)."""
        parents = self.parents
        if node is self.node:
            return parents[-1] if parents else None
        for depth in range(len(parents) - 1, -1, -1):
            if parents[depth] is node:
                return parents[depth - 1] if depth else None
        if self._parent_map is None:
            self._parent_map = {}
            assert self.source.tree is not None
            for parent in astutil.walk(self.source.tree):
                for child in astutil.children(parent):
                    self._parent_map[child] = parent
        return self._parent_map.get(node)

    @property
    def enclosing_function(self) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for node in reversed(self.parents):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None

    @property
    def enclosing_class(self) -> ast.ClassDef | None:
        for node in reversed(self.parents):
            if isinstance(node, ast.ClassDef):
                return node
        return None

    def enclosing_statement(self, node: ast.AST | None = None) -> ast.stmt | None:
        if node is not None and isinstance(node, ast.stmt):
            return node
        for anc in reversed(self.parents):
            if isinstance(anc, ast.stmt):
                return anc
        return None

    @property
    def is_test_file(self) -> bool:
        return _test_file_path(self.path)

    # -- names -----------------------------------------------------------------------------
    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        module = getattr(node, "module", None)
        level = getattr(node, "level", 0)
        for alias in node.names:
            self.add_alias(alias.asname, alias.name, module, level)

    def add_alias(self, asname: str | None, name: str, module: str | None, level: int) -> None:
        """One imported name; `module` None and `level` 0 mean a plain `import name`."""
        self._qualified = (None, None)
        if module is None and not level:
            if asname:
                self.imports[asname] = name
            else:
                root = name.split(".")[0]
                self.imports[root] = root
            return
        if name == "*":
            return
        if level:  # relative import: keep it relative, rules match absolute names
            module = "." * level + (module or "")
        self.imports[asname or name] = f"{module}.{name}" if module else name

    def use_facts(self, facts: dict[str, frozenset[str]]) -> None:
        """Module-wide facts known without walking the module (see leery.core.incremental).
        `assigned_names` then holds only the builtin names the module binds: all that
        qualified names need."""
        self._assigned_names = set(facts["shadowed_builtins"])
        self._global_names = facts["global_names"]
        self._class_bases = facts["class_bases"]

    @property
    def global_names(self) -> frozenset[str]:
        """Names any `global` statement in the module declares."""
        if self._global_names is None:
            self._scan_names()
        assert self._global_names is not None
        return self._global_names

    @property
    def class_bases(self) -> frozenset[str]:
        """The last part of every base class named anywhere in the module (`abc.ABC` -> `ABC`)."""
        if self._class_bases is None:
            from leery.core.units import base_names

            assert self.source.tree is not None
            self._class_bases = frozenset(base_names(self.source.tree))
        return self._class_bases

    @property
    def assigned_names(self) -> set[str]:
        """Names bound anywhere in the module other than by import (shadowing builtins)."""
        if self._assigned_names is None:
            self._scan_names()
        assert self._assigned_names is not None
        return self._assigned_names

    def _scan_names(self) -> None:
        """`assigned_names` and `global_names` in one walk of the module (each is wanted in
        most files; a walk of a large tree costs as much as a rule)."""
        names: set[str] = set()
        declared: set[str] = set()
        assert self.source.tree is not None
        for node in astutil.walk(self.source.tree):
            kind = type(node)
            if kind is ast.Name:
                if type(node.ctx) is ast.Store:
                    names.add(node.id)
            elif kind is ast.arg:
                names.add(node.arg)
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.ClassDef:
                names.add(node.name)
            elif kind is ast.Global:
                declared.update(node.names)
        if self._assigned_names is None:
            self._assigned_names = names
        if self._global_names is None:
            self._global_names = frozenset(declared)

    def qualname(self, expr: ast.AST) -> str | None:
        """`sp.run` -> `subprocess.run` after `import subprocess as sp`; builtins by their name.

        None when the root is neither imported nor an unshadowed builtin.
        """
        last, answer = self._qualified
        if expr is last:
            return answer
        answer = qualify(expr, self.imports, self.assigned_names)
        self._qualified = (expr, answer)
        return answer

    def call_qualname(self, call: ast.Call) -> str | None:
        return self.qualname(call.func)

    @staticmethod
    def keyword(call: ast.Call, name: str) -> ast.expr | None:
        for kw in call.keywords:
            if kw.arg == name:
                return kw.value
        return None

    @staticmethod
    def has_star_kwargs(call: ast.Call) -> bool:
        return any(kw.arg is None for kw in call.keywords)


@functools.lru_cache(maxsize=1024)
def _test_file_path(path: str) -> bool:
    """pytest's file patterns, or a file under a `tests`/`test` folder (rules ask per node: cached)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if any(fnmatch.fnmatch(name, pat) for pat in TEST_FILE_PATTERNS):
        return True
    parts = path.replace("\\", "/").split("/")[:-1]
    return "tests" in parts or "test" in parts


def qualify(expr: ast.AST, imports: dict[str, str], assigned: set[str]) -> str | None:
    """The qualified name of `a.b.c` given the file's imports and the names it assigns."""
    dotted = dotted_name(expr)
    if dotted is None:
        return None
    root, _, rest = dotted.partition(".")
    if root in imports:
        base = imports[root]
        return f"{base}.{rest}" if rest else base
    if root in _BUILTINS and root not in assigned:
        return dotted
    return None


def dotted_name(expr: ast.AST) -> str | None:
    """`a.b.c` for a chain of Attribute over a Name; None for anything else."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        parts.append(expr.id)
        return ".".join(reversed(parts))
    return None


def is_constant(node: ast.AST, *values: Any) -> bool:
    return isinstance(node, ast.Constant) and any(node.value is v or node.value == v for v in values)
