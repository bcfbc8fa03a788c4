"""Only leery.lsp may import pygls or lsprotocol; the core never does."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "server" / "leery"
LSP_ONLY = ("pygls", "lsprotocol")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_only_the_lsp_layer_imports_pygls_or_lsprotocol():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("lsp/"):
            continue
        for module in imported_modules(path):
            if module.split(".")[0] in LSP_ONLY:
                offenders.append(f"{rel} imports {module}")
    assert not offenders


def test_core_imports_no_rule_family_or_server_code():
    offenders = []
    for path in (PACKAGE / "core").rglob("*.py"):
        for module in imported_modules(path):
            if module.startswith(("leery.lsp", "leery.cli", "leery.commands")):
                offenders.append(f"{path.name} imports {module}")
    assert not offenders
