"""LY3xx: duplicated helpers. LY301/LY302 ask the workspace index (silent without one);
LY303 matches the function body against a catalogue of standard-library behaviours."""

from __future__ import annotations

import ast
from leery.core import astutil
from leery.core.findings import Applicability, Confidence, Edit, Fix, Related, Severity, Span
from leery.core.registry import rule
from leery.rules import _stdlib_catalogue as catalogue
from leery.core.context import Context
from leery.rules._stdlib_catalogue import import_line
from leery.workspace.pairs import SECTION


assert SECTION == "duplicates"  # importing pairs declares [tool.leery.duplicates] for config validation


def _where(workspace, record) -> str:
    return f"{workspace.relative(record.path)}:{record.line + 1}"


def _related(workspace, matches, what: str) -> list[Related]:
    return [Related(m.other.path, Span(*m.other.head), f"{what} `{m.other.dotted}` ({m.similarity:.0%} similar)") for m in matches[:5]]


def _defs_by_line(tree: ast.Module) -> dict[int, ast.FunctionDef | ast.AsyncFunctionDef]:
    out = {}
    for node in astutil.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[node.lineno - 1] = node
    return out


def _replace_fix(ctx, func: ast.FunctionDef | ast.AsyncFunctionDef, record, match) -> Fix | None:
    """Make the copy call the existing helper, so every caller keeps working.

    A copy with the helper's own name is replaced by an import of it (signatures must be the
    same); any other copy keeps its `def` and signature and its body becomes a call that
    passes every parameter on. Only for module-level functions without decorators."""
    other = match.other
    if record.cls is not None or other.cls is not None or func.decorator_list or other.decorators:
        return None
    if ctx.parent_of(func) is not ctx.source.tree or other.signature is None:
        return None
    same_file = other.path == record.path
    module = None if same_file else other.module
    if not same_file and module is None:
        return None
    if other.name == record.name:
        if same_file or record.signature != other.signature:
            return None
        edit = Edit(ctx.source.span_of(func), f"from {module} import {other.name}")
        return Fix(f"Replace with a call to `{module}.{other.name}`", Applicability.UNSAFE, (edit,))
    call = _forwarding_call(func, other)
    if call is None:
        return None
    edits = []
    callee = other.name
    imports = _module_imports(ctx)
    if same_file:
        if other.line >= record.line:
            return None  # a later definition: the call would still work, but reads backwards
    elif imports.get(other.name) == f"{module}.{other.name}":
        pass
    elif other.name in ctx.assigned_names or other.name in imports:
        return None  # the name means something else in this module
    else:
        line = import_line(ctx.source.tree)
        edits.append(Edit(Span(line, 0, line, 0), f"from {module} import {other.name}\n"))
    body = [s for s in func.body if not (s is func.body[0] and isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str))]
    if not body:
        return None
    first, last = ctx.source.span_of(body[0]), ctx.source.span_of(body[-1])
    prefix = "await " if isinstance(func, ast.AsyncFunctionDef) else ""
    edits.append(Edit(Span(first.start_line, first.start_col, last.end_line, last.end_col), f"return {prefix}{callee}({call})"))
    where = f"`{module}.{other.name}`" if module else f"`{other.name}`"
    return Fix(f"Replace with a call to {where}", Applicability.UNSAFE, tuple(edits))


def _module_imports(ctx) -> dict[str, str]:
    """Every import in the file (the walk is still at the module node when this rule runs)."""
    scratch = Context(ctx.source, ctx.settings)
    for node in astutil.walk(ctx.source.tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            scratch.add_import(node)
    return scratch.imports


def _forwarding_call(func: ast.FunctionDef | ast.AsyncFunctionDef, other) -> str | None:
    """Arguments that pass the copy's parameters to the helper, or None if the shapes differ."""
    is_async = isinstance(func, ast.AsyncFunctionDef)
    if other.signature.startswith("async ") != is_async:
        return None  # a call would return a coroutine where a value was expected, or the reverse
    try:
        theirs = ast.parse(f"def f({other.signature.removeprefix('async ')}): pass").body[0].args  # type: ignore[attr-defined]
    except SyntaxError:
        return None
    mine = func.args
    positional = [*mine.posonlyargs, *mine.args]
    if len(positional) != len([*theirs.posonlyargs, *theirs.args]):
        return None
    if {a.arg for a in mine.kwonlyargs} != {a.arg for a in theirs.kwonlyargs}:
        return None
    if (mine.vararg is None) != (theirs.vararg is None) or (mine.kwarg is None) != (theirs.kwarg is None):
        return None
    parts = [a.arg for a in positional]
    if mine.vararg:
        parts.append("*" + mine.vararg.arg)
    parts += [f"{a.arg}={a.arg}" for a in mine.kwonlyargs]
    if mine.kwarg:
        parts.append("**" + mine.kwarg.arg)
    return ", ".join(parts)


@rule(
    "LY301",
    "duplicate-helper",
    summary="A function that is the same, or nearly the same, as one elsewhere in the workspace.",
    nodes=(ast.Module,),
    severity=Severity.WARNING,
    confidence=Confidence.HIGH,
    fixable=True,
    tier="slow",
)
def duplicate_helper(node: ast.Module, ctx) -> None:
    """
    ## What it does
    Compares every function and method with the rest of the workspace and flags one whose
    body is the same as another's up to local names and literal values, or nearly the same
    (similarity at or above `[tool.leery.duplicates] threshold`, 0.75 by default, measured on
    AST shingles). The message names the existing helper and the similarity; the related
    location points at it. In the CLI each pair is reported once, on the copy that came later
    (by git history, else by path); in the editor, on the function being edited.

    ## Why it matters
    AI assistants write a fresh `slugify`, `parse_date` or `chunked` in every module they touch.
    Each copy gets its own bugs and its own fixes: the bug fixed in one copy stays in the
    others, and readers cannot tell whether the differences are deliberate.

    ## What to check in review
    Whether the two functions should behave the same. If so, keep one and import it. If the
    difference is deliberate, rename one so the names say how they differ.

    ## Example
    ```python
    # core/text.py has slugify(); web/views.py gets its own:
    def make_slug(title):
        title = title.lower().strip()
        title = re.sub(r"[^a-z0-9]+", "-", title)
        return title.strip("-")
    ```

    ## Use instead
    ```python
    from core.text import slugify as make_slug
    ```

    ## Fix safety
    "Replace with a call to `pkg.mod.helper`" is unsafe: it replaces the copy's definition with
    an import of the existing helper under the copy's name, so callers keep working, but the
    two bodies may differ (near copies) and the import may create an import cycle. It is offered
    only for module-level functions without decorators whose signatures are the same. Otherwise
    the finding carries the display-only "Go to the existing helper".

    ## Known limitations
    Left out on purpose, because mature code repeats them for good reasons: functions nested in
    other functions, dunder methods, properties, abstract methods, overloads, stubs, functions in
    tests, examples, docs, tools and scripts folders, methods whose name other classes define
    too (an interface or an override: they exist to be polymorphic),
    and siblings in one class or module that differ only in literals or a few statements
    (`get`/`post` shortcuts); in one file only copies identical up to names are reported. Files
    that cannot be imported by name (`manage-app.py`) are not offered as the helper to reuse.
    Two functions that do the same thing with different code are not found: this compares
    structure, not behaviour.

    Settings, in `[tool.leery.duplicates]`: `threshold` (0.75: the similarity of AST shingles
    from which a near copy is reported), `min-statements` (2) and `min-tokens` (20: smaller
    bodies are not compared), `include-tests` (false), `cache` (true: a content-keyed index
    cache in `.leery/cache/`, never followed out of the workspace through a symlink).
    """
    workspace = ctx.workspace
    if workspace is None or not hasattr(workspace, "reports"):
        return
    defs = None
    for report in workspace.reports(ctx.path, ctx.source):
        if not report.duplicates:
            continue
        record, best = report.record, report.duplicates[0]
        if best.identical:
            how = "the same code up to local names"
        elif best.other.exact == record.exact:
            how = "the same code up to local names and literal values"
        elif best.similarity >= 0.995:
            how = "the same body with a different signature"
        else:
            how = f"{best.similarity:.0%} similar"
        more = f" (and {len(report.duplicates) - 1} more)" if len(report.duplicates) > 1 else ""
        message = f"`{record.name}` duplicates `{best.other.dotted}` ({_where(workspace, best.other)}): {how}{more}; reuse the existing helper"
        defs = defs if defs is not None else _defs_by_line(node)
        func = defs.get(record.line)
        fix = _replace_fix(ctx, func, record, best) if func is not None else None
        if fix is None:
            fix = Fix(f"Go to the existing helper `{best.other.dotted}` ({_where(workspace, best.other)})", Applicability.DISPLAY_ONLY)
        ctx.report(
            Span(*record.head),
            message,
            fix=fix,
            related=_related(workspace, report.duplicates, "existing helper"),
            confidence=Confidence.HIGH if best.similarity >= 1.0 else Confidence.MEDIUM,
            extra={
                "similarity": round(best.similarity, 3),
                "existing": {"path": best.other.path, "span": Span(*best.other.head).to_dict(), "name": best.other.dotted},
            },
        )


@rule(
    "LY302",
    "divergent-namesake",
    summary="One helper name defined in several modules with different behaviour.",
    nodes=(ast.Module,),
    severity=Severity.WARNING,
    confidence=Confidence.MEDIUM,
    tier="slow",
)
def divergent_namesake(node: ast.Module, ctx) -> None:
    """
    ## What it does
    Flags a module-level function whose name is also defined in another module of the
    workspace, with code that differs but still looks related (similar structure, or the same
    structure with different literal values). It is reported on the definition that came later.

    ## Why it matters
    Two `normalize_email` or `parse_date` helpers that disagree mean the same data is handled
    differently depending on which module a caller happened to import: one strips spaces and
    the other does not, one reads day-first dates and the other month-first. Such bugs surface
    far from either definition.

    ## What to check in review
    Whether the two should agree. If so, keep one and import it everywhere; if not, rename
    them so the difference is visible at every call.

    ## Example
    ```python
    # core/text.py
    def normalize_email(address):
        return address.strip().lower()

    # web/forms.py
    def normalize_email(address):
        return address.lower()
    ```

    ## Use instead
    ```python
    from core.text import normalize_email
    ```

    ## Known limitations
    Methods, private names (`_helper`: local to their module by convention), functions with a
    decorator that may register them (`@app.route`, `@hookimpl`: per-module variants on purpose),
    conventional per-module names (`main`, `setup`, `register`, ...), tests, examples, tools and
    namesakes that share nothing but the name (under 30% similar) are not reported. A name that
    three or more modules define is taken for a module-level protocol (`add_arguments` in every
    command module) and reported only when the definitions are at least 60% similar. Copies
    identical up to local names are LY301's.
    """
    workspace = ctx.workspace
    if workspace is None or not hasattr(workspace, "reports"):
        return
    for report in workspace.reports(ctx.path, ctx.source):
        if not report.namesakes:
            continue
        record, first = report.record, report.namesakes[0]
        how = "the same structure with different literal values" if first.similarity >= 1.0 else f"{first.similarity:.0%} similar"
        others = ", ".join(f"`{m.other.module or m.other.path}`" for m in report.namesakes[:3])
        ctx.report(
            Span(*record.head),
            f"`{record.name}` is also defined in {others} with different code ({how} to {_where(workspace, first.other)}): "
            "the same data is handled differently depending on the import",
            related=_related(workspace, report.namesakes, "other definition"),
        )


@rule(
    "LY303",
    "reimplemented-stdlib",
    summary="A function whose body re-implements a standard-library function or a builtin.",
    nodes=(ast.FunctionDef, ast.AsyncFunctionDef),
    severity=Severity.INFO,
    confidence=Confidence.MEDIUM,
    fixable=True,
)
def reimplemented_stdlib(node: ast.FunctionDef | ast.AsyncFunctionDef, ctx) -> None:
    """
    ## What it does
    Matches the whole body of a function against a catalogue of behaviours the standard library
    or the builtins already provide: batching (`itertools.batched`), flattening
    (`itertools.chain`), counting (`collections.Counter`), grouping (`defaultdict`),
    `os.makedirs(..., exist_ok=True)`, `shutil.copytree`, `Path.read_text`, `str.removeprefix`,
    `math.isclose`, `statistics.mean`, a hand-made `functools.lru_cache`, `shlex.quote`,
    `html.escape`, `urllib.parse.urlencode`, `secrets.token_hex`, `datetime.fromisoformat`,
    `ipaddress` validation, `textwrap.dedent`, `any`/`all`/`max`/`min`/`sum` loops and more
    (`leery explain LY303` lists them). Matching is on structure, not on names: a function called
    `helper` that builds a dict of counts is found, one called `count_words` that does something
    else is not.

    ## Why it matters
    Hand-written versions of library functions are where edge cases go missing: the hand-made
    `urlencode` does not escape `&`, the hand-made `shell_quote` breaks on a single quote, the
    hand-made token uses `random` instead of `secrets`. The library version is tested, documented
    and known to every reader.

    ## What to check in review
    Whether the hand-written version differs on purpose (the message says how the library one
    behaves). If not, use the library.

    ## Example
    ```python
    def flatten(lists):
        out = []
        for items in lists:
            for item in items:
                out.append(item)
        return out
    ```

    ## Use instead
    ```python
    def flatten(lists):
        return list(itertools.chain.from_iterable(lists))
    ```

    ## Fix safety
    Where the library call behaves exactly like the body for every input (`any`, `all`,
    counting with `sum(1 for ...)`, `math.prod`, `dict.fromkeys`
    de-duplication, `itertools.chain.from_iterable`, counting into a plain dict with `Counter`)
    the fix replaces the body and adds the import; it is marked safe. Where the behaviour
    differs in edge cases (an empty input, float rounding in `sum` since Python 3.12, a race,
    the Python version), the edit is unsafe, and where no drop-in call exists the fix is
    display-only guidance.

    ## Known limitations
    Only whole function bodies of at most 30 lines are matched, not loops inside larger
    functions, nor functions nested in others; the catalogue covers common shapes, and a
    re-implementation written in an unusual way is not found. A loop that returns the first
    match is not reported: `next(...)` would be no clearer.
    """
    if ctx.enclosing_function is not None or catalogue.too_long(node):
        return  # nested helpers are closures over their context, not free-standing utilities
    match = catalogue.match(node, "\n".join(ctx.source.lines[node.lineno - 1 : node.end_lineno]))
    if match is None:
        return
    ctx.report(ctx.source.head_span(node), f"`{node.name}` re-implements {match.what}: {match.advice}", fix=catalogue.fix_for(ctx, node, match))
