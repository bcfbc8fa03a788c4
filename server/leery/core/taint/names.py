"""Qualified names for the taint engine, from every import in the file.

The taint engine runs once per module before the engine's walk has met the imports, so it
collects them itself (function-level imports included: generated code often imports inside
the handler).
"""

from __future__ import annotations

import ast

from leery.core.context import qualify


class Names:
    def __init__(self, tree: ast.Module | None = None) -> None:
        self.imports: dict[str, str] = {}
        self.assigned: set[str] = set()
        self.modules: set[str] = set()  # top-level packages imported anywhere
        if tree is not None:
            for node in ast.walk(tree):
                self.add(node)

    def add(self, node: ast.AST) -> None:
        """Take note of one node (the caller walks the tree once for several purposes)."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.modules.add(alias.name.split(".")[0])
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    self.imports[root] = root
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if not node.level and node.module:
                self.modules.add(node.module.split(".")[0])
            for alias in node.names:
                if alias.name != "*":
                    joined = f"{module}{alias.name}" if module.endswith(".") else f"{module}.{alias.name}"
                    self.imports[alias.asname or alias.name] = joined if module else alias.name
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            self.assigned.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.assigned.add(node.name)

    def qualname(self, expr: ast.AST) -> str | None:
        return qualify(expr, self.imports, self.assigned)

    def uses(self, *packages: str) -> bool:
        return any(p in self.modules for p in packages)


WEB_FRAMEWORKS = ("flask", "django", "rest_framework", "fastapi", "starlette", "aiohttp", "quart", "sanic", "bottle", "falcon", "tornado", "pyramid")
