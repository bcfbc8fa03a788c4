"""LY401 unresolved-import, LY402 undeclared-dependency, LY403 unknown-dependency."""

from __future__ import annotations

import ast
import sys

from leery.core.findings import Confidence, Related, Severity, Span
from leery.core.registry import rule
from leery.rules.apis import modules, names
from leery.rules.apis.guards import guarded, search_for, workspace_root
from leery.workspace import dependencies

# Import names that differ from their distribution's name, for declared-but-not-installed lookups.
IMPORT_ALIASES = {
    "yaml": "pyyaml", "PIL": "pillow", "cv2": "opencv-python", "sklearn": "scikit-learn",
    "bs4": "beautifulsoup4", "dateutil": "python-dateutil", "jwt": "pyjwt", "dotenv": "python-dotenv",
    "magic": "python-magic", "serial": "pyserial", "Crypto": "pycryptodome", "OpenSSL": "pyopenssl",
    "git": "gitpython", "attr": "attrs", "google.protobuf": "protobuf", "docx": "python-docx",
    "multipart": "python-multipart", "slugify": "python-slugify", "telegram": "python-telegram-bot",
}


def _targets(node: ast.Import | ast.ImportFrom):
    """(dotted module name, node to report on) for each module the statement needs."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name, alias
    elif not node.level and node.module:
        yield node.module, node


def _span(ctx, where: ast.AST) -> Span:
    return ctx.source.head_span(where)


def lookup(ctx, dotted: str):
    """(module or None, search path) for an absolute module name seen from this file."""
    search = search_for(ctx)
    return names.resolve_module(dotted, search), search


def _missing_part(dotted: str, search: tuple[str, ...]) -> tuple[str, str | None] | None:
    """For an unresolved `a.b.c`: (the first missing dotted prefix, its parent), or None when a
    parent is dynamic or binds the name (`six.moves`): then the import may well work."""
    parts = dotted.split(".")
    for i in range(1, len(parts) + 1):
        prefix = ".".join(parts[:i])
        if names.resolve_module(prefix, search) is not None:
            continue
        if i == 1:
            return prefix, None
        parent = names.resolve_module(".".join(parts[: i - 1]), search)
        table = names.names_of(parent, search) if parent else None
        if table is None or table.dynamic or parts[i - 1] in table.names:
            return None
        return prefix, ".".join(parts[: i - 1])
    return None


def _declared_not_installed(top: str, declared) -> str | None:
    """The declared distribution an unresolved top-level module probably stands for."""
    if declared is None:
        return None
    for candidate in (top, IMPORT_ALIASES.get(top, ""), f"python-{top}", f"py{top}"):
        name = dependencies.normalize(candidate) if candidate else ""
        if name and name in declared.names and not dependencies.is_installed(name):
            return name
    return None


def _suggest_module(top: str) -> str | None:
    try:  # the cached map: packages_distributions() costs ~100 ms a call
        candidates = set(sys.stdlib_module_names) | set(dependencies._installed()[0])
    except Exception:  # noqa: BLE001 - broken metadata must not stop the check
        candidates = set(sys.stdlib_module_names)
    return names.closest(top, candidates)


@rule(
    "LY401",
    "unresolved-import",
    summary="An import of a module that cannot be found in the environment or the workspace.",
    nodes=(ast.Import, ast.ImportFrom),
    severity=Severity.ERROR,
    confidence=Confidence.HIGH,
    tier="slow",
)
def unresolved_import(node: ast.Import | ast.ImportFrom, ctx) -> None:
    """
    ## What it does
    Looks up every imported module on disk, the way the import system would, without importing
    anything: in the file's folder and the folders above it up to the workspace root, the root and
    its `src/`, then the `sys.path` of the interpreter leery runs in. Relative imports are
    resolved against the file's package folder. A module found nowhere is reported, with the
    closest real module name when there is one.

    ## Why it matters
    Assistants invent plausible modules (`from flask_superauth import login_required`,
    `import pandas_utils`) and misremember where a name lives. The file reads well and fails on
    its first import, or, worse, someone installs whatever package has that name.

    ## What to check in review
    Whether the module exists: install it (and declare it), fix the name, or use the module the
    code actually meant.

    ## Example
    ```python
    import reqeusts
    from flask_superauth import login_required
    ```

    ## Use instead
    ```python
    import requests
    from flask_login import login_required
    ```

    ## Known limitations
    leery looks in the environment it runs in: install leery in the project's virtual
    environment, or run it with that interpreter, or every third-party import is unresolved.
    Quiet for imports inside `try: ... except ImportError` (and its handlers and `else`), under
    `if` tests on the Python version, the platform, `TYPE_CHECKING` or a `HAS_X` flag, for
    standard-library modules of other platforms (`msvcrt`, `winreg`), for imports inside test
    functions and in files that change `sys.path` (the path is set up at run time). Import hooks that create modules at run time
    (`six.moves`) are trusted when the parent module binds the name or is dynamic. A module
    that a declared dependency should provide is reported as LY403 instead.
    """
    if guarded(ctx, node) or _path_is_dynamic(ctx, node):
        return
    root = workspace_root(ctx)
    if isinstance(node, ast.ImportFrom) and node.level:
        _check_relative(node, ctx, root)
        return
    for dotted, where in _targets(node):
        if dotted == "__future__":
            continue
        found, search = lookup(ctx, dotted)
        if found is not None:
            continue
        missing = _missing_part(dotted, search)
        if missing is None:
            continue
        prefix, parent = missing
        top = dotted.split(".")[0]
        if parent is None and top in sys.stdlib_module_names:
            continue  # a standard module of another platform (`msvcrt`, `winreg`) or build
        if parent is None:
            declared = dependencies.nearest(modules.absolute(ctx.path, root))
            if _declared_not_installed(top, declared) and "LY403" in ctx.settings.enabled_codes(ctx.path):
                continue  # LY403 reports it, with the declaration
            hint = _suggest_module(top)
            tail = f"; did you mean `{hint}`?" if hint and hint != top else ""
            ctx.report(_span(ctx, where), f"`{top}` is neither installed in this environment nor a module of the workspace{tail}")
        else:
            ctx.report(_span(ctx, where), f"`{parent}` has no submodule `{prefix.rsplit('.', 1)[1]}`")


def _path_is_dynamic(ctx, node: ast.AST) -> bool:
    """Imports that depend on a sys.path set up at run time: the file changes sys.path, or the
    import sits in a test function (fixtures such as `monkeypatch.syspath_prepend` run first)."""
    if ctx.is_test_file and ctx.enclosing_function is not None:
        return True
    cached = ctx.__dict__.get("_leery_changes_sys_path")
    if cached is None:
        text = ctx.source.text
        cached = ctx._leery_changes_sys_path = any(s in text for s in ("sys.path.insert", "sys.path.append", "sys.path[", "syspath_prepend", "site.addsitedir", "sys.path.extend", "sys.path +="))
    return cached


def _check_relative(node: ast.ImportFrom, ctx, root) -> None:
    if not node.module:
        return  # `from . import x`: x may be a name in __init__.py as well as a module
    rel = modules.relative_module(ctx.path, root, node.level, node.module)
    if rel is None:
        return
    if modules.find(rel[0], rel[1]) is None and modules.find(rel[0].split(".")[0], rel[1]) is None:
        ctx.report(_span(ctx, node), f"`{'.' * node.level}{node.module}` is not a module next to this file")


@rule(
    "LY402",
    "undeclared-dependency",
    summary="A third-party import whose distribution the project does not declare.",
    nodes=(ast.Import, ast.ImportFrom),
    severity=Severity.WARNING,
    confidence=Confidence.MEDIUM,
    tier="slow",
)
def undeclared_dependency(node: ast.Import | ast.ImportFrom, ctx) -> None:
    """
    ## What it does
    For each import of an installed third-party module, finds the distribution that provides
    it (`yaml` comes from `PyYAML`, through `importlib.metadata`) and checks that the nearest
    project file declares it: pyproject.toml (dependencies, extras, dependency groups, build
    requirements, Poetry/PDM/Hatch tables), requirements*.txt, setup.cfg, Pipfile, or literal
    lists in setup.py (read, never run).

    ## Why it matters
    Code that imports a package that happens to be installed (a dependency of a dependency, a
    leftover in the developer's environment) works on one machine and fails on the next one.
    Generated code imports whatever its training data imported.

    ## What to check in review
    Declare the distribution in the project file, or import something the project does declare.

    ## Example
    ```python
    import yaml  # pyproject.toml declares only "requests"
    ```

    ## Use instead
    ```toml
    dependencies = ["requests", "PyYAML"]
    ```

    ## Known limitations
    Quiet when no project file is found, when the dependencies are computed (a setup.py that is
    not a literal list, `dynamic` without files), for imports guarded by `try/except
    ImportError` (optional dependencies), and for modules no installed distribution claims.
    A package that is both declared and imported under another project's file in a monorepo
    counts as declared only in the nearest one.
    """
    if guarded(ctx, node) or (isinstance(node, ast.ImportFrom) and node.level):
        return
    root = workspace_root(ctx)
    declared = None
    for dotted, where in _targets(node):
        top = dotted.split(".")[0]
        if top in sys.stdlib_module_names or top == "__future__":
            continue
        found, _ = lookup(ctx, top)
        if found is None or modules.is_workspace_file(found.origin or (found.locations or [None])[0], root):
            continue
        dists = dependencies.distributions_of(top)
        if not dists:
            continue
        if declared is None:
            declared = dependencies.nearest(modules.absolute(ctx.path, root))
            if declared is None or not declared.complete:
                return
        if any(declared.declares(d) for d in dists):
            continue
        files = ", ".join(sorted({f.name for f in declared.files})) or "the project file"
        parents = dependencies.required_by(dists[0], declared)
        why = f" (it is installed only as a dependency of `{'`, `'.join(parents)}`)" if parents else ""
        ctx.report(
            _span(ctx, where),
            f"`{top}` comes from the distribution `{dists[0]}`, which {files} does not declare{why}",
        )


@rule(
    "LY403",
    "unknown-dependency",
    summary="An import of a declared dependency that no installed distribution provides: a typo or an invented package.",
    nodes=(ast.Import, ast.ImportFrom),
    severity=Severity.ERROR,
    confidence=Confidence.MEDIUM,
    tier="slow",
)
def unknown_dependency(node: ast.Import | ast.ImportFrom, ctx) -> None:
    """
    ## What it does
    Reports an import that cannot be resolved when the nearest project file declares a
    dependency of that name (`import flask_superauth` with `flask-superauth` in
    pyproject.toml) that no installed distribution provides. The finding sits on the import
    line and points at the declaration.

    ## Why it matters
    Assistants invent package names, and attackers register them on PyPI ("slopsquatting").
    A declared name that nothing provides is either not installed yet, misspelled, or does not
    exist: check which before anyone runs `pip install`.

    ## What to check in review
    Look the package up on PyPI: its owner, its history, its download count. Fix the name, or
    install the real package.

    ## Example
    ```toml
    dependencies = ["flask-superauth"]
    ```
    ```python
    from flask_superauth import login_required
    ```

    ## Use instead
    A dependency that exists and that the environment provides.

    ## Known limitations
    Findings belong to Python files, so a declared dependency that no file imports is not
    reported. Module and distribution names are matched after PEP 503 normalisation, with a
    small table of well-known differences (`yaml`/`PyYAML`, `PIL`/`Pillow`). leery never asks
    PyPI; it cannot tell a package that is merely not installed from one that does not exist.
    """
    if guarded(ctx, node) or (isinstance(node, ast.ImportFrom) and node.level):
        return
    root = workspace_root(ctx)
    for dotted, where in _targets(node):
        top = dotted.split(".")[0]
        if top in sys.stdlib_module_names:
            continue
        found, _ = lookup(ctx, top)
        if found is not None:
            continue
        declared = dependencies.nearest(modules.absolute(ctx.path, root))
        name = _declared_not_installed(top, declared)
        if name is None:
            continue
        file, line = declared.names[name]
        related = [Related(str(file), Span(line, 0, line, 0), f"`{name}` is declared here")]
        what = f"`{top}` is declared" if dependencies.normalize(top) == name else f"`{top}` stands for `{name}`, declared"
        ctx.report(
            _span(ctx, where),
            f"{what} in {file.name} (line {line + 1}), but no installed distribution provides it: a typo, "
            "a package not installed yet, or one that does not exist (check it on PyPI before installing)",
            related=related,
        )
