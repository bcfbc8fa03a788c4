"""pyflakes on the shared tree, its messages under flake8's codes (F401, F821, ...)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from pyflakes import checker as pyflakes_checker
from pyflakes import messages as m

from leery.core.findings import Confidence, Finding, Severity, Span
from leery.core.registry import REGISTRY, Rule

TIER = "fast"

# flake8's table (pyflakes/messages -> F codes), kept to the messages generated code trips on.
_TABLE: list[tuple[type, str, str, str, Severity]] = [
    (m.UnusedImport, "F401", "unused-import", "An import that nothing in the module uses.", Severity.WARNING),
    (m.ImportShadowedByLoopVar, "F402", "import-shadowed-by-loop-var", "A loop variable shadows an import.", Severity.WARNING),
    (m.ImportStarUsed, "F403", "import-star-used", "`from module import *` hides where names come from.", Severity.WARNING),
    (m.LateFutureImport, "F404", "late-future-import", "A `__future__` import that is not first.", Severity.ERROR),
    (m.ImportStarUsage, "F405", "import-star-usage", "A name that may come from a star import.", Severity.WARNING),
    (m.ImportStarNotPermitted, "F406", "import-star-not-permitted", "A star import inside a function.", Severity.ERROR),
    (m.FutureFeatureNotDefined, "F407", "future-feature-not-defined", "An unknown `__future__` feature.", Severity.ERROR),
    (m.PercentFormatInvalidFormat, "F501", "percent-format-invalid-format", "An invalid `%` format string.", Severity.ERROR),
    (m.PercentFormatMissingArgument, "F505", "percent-format-missing-argument", "A `%` format missing an argument.", Severity.ERROR),
    (m.PercentFormatPositionalCountMismatch, "F507", "percent-format-positional-count-mismatch", "A `%` format with the wrong number of arguments.", Severity.ERROR),
    (m.StringDotFormatExtraPositionalArguments, "F523", "string-dot-format-extra-positional-arguments", "`.format` with unused positional arguments.", Severity.WARNING),
    (m.StringDotFormatMissingArgument, "F524", "string-dot-format-missing-argument", "`.format` missing an argument.", Severity.ERROR),
    (m.FStringMissingPlaceholders, "F541", "f-string-missing-placeholders", "An f-string with no placeholders.", Severity.INFO),
    (m.MultiValueRepeatedKeyLiteral, "F601", "multi-value-repeated-key-literal", "A dict literal repeats a key with different values.", Severity.WARNING),
    (m.MultiValueRepeatedKeyVariable, "F602", "multi-value-repeated-key-variable", "A dict literal repeats a variable key.", Severity.WARNING),
    (m.TwoStarredExpressions, "F622", "two-starred-expressions", "Two starred expressions in one assignment.", Severity.ERROR),
    (m.AssertTuple, "F631", "assert-tuple", "`assert (x, msg)` is always true.", Severity.ERROR),
    (m.IsLiteral, "F632", "is-literal", "`is` compared with a literal.", Severity.WARNING),
    (m.InvalidPrintSyntax, "F633", "invalid-print-syntax", "`print >>` syntax.", Severity.ERROR),
    (m.IfTuple, "F634", "if-tuple", "`if (a, b):` is always true.", Severity.ERROR),
    (m.BreakOutsideLoop, "F701", "break-outside-loop", "`break` outside a loop.", Severity.ERROR),
    (m.ContinueOutsideLoop, "F702", "continue-outside-loop", "`continue` outside a loop.", Severity.ERROR),
    (m.YieldOutsideFunction, "F704", "yield-outside-function", "`yield` outside a function.", Severity.ERROR),
    (m.ReturnOutsideFunction, "F706", "return-outside-function", "`return` outside a function.", Severity.ERROR),
    (m.DefaultExceptNotLast, "F707", "default-except-not-last", "A bare `except:` before other handlers.", Severity.ERROR),
    (m.DoctestSyntaxError, "F721", "doctest-syntax-error", "A syntax error in a doctest.", Severity.WARNING),
    (m.ForwardAnnotationSyntaxError, "F722", "forward-annotation-syntax-error", "A syntax error in a string annotation.", Severity.ERROR),
    (m.RedefinedWhileUnused, "F811", "redefined-while-unused", "A name redefined before its first definition was used.", Severity.WARNING),
    (m.UndefinedName, "F821", "undefined-name", "A name that is defined nowhere.", Severity.ERROR),
    (m.UndefinedExport, "F822", "undefined-export", "`__all__` names something that does not exist.", Severity.ERROR),
    (m.UndefinedLocal, "F823", "undefined-local", "A local variable used before assignment.", Severity.ERROR),
    (m.DuplicateArgument, "F831", "duplicate-argument", "A function with two parameters of the same name.", Severity.ERROR),
    (m.UnusedVariable, "F841", "unused-variable", "A local variable assigned and never used.", Severity.WARNING),
    (m.UnusedAnnotation, "F842", "unused-annotation", "A local annotation that is never used.", Severity.INFO),
    (m.RaiseNotImplemented, "F901", "raise-not-implemented", "`raise NotImplemented` (a value, not an exception).", Severity.ERROR),
]
_TAGS = {"F401": ("unnecessary",), "F841": ("unnecessary",), "F842": ("unnecessary",)}
CODES = frozenset(code for _, code, _, _, _ in _TABLE)
_BY_CLASS = {cls: (code, name) for cls, code, name, _, _ in _TABLE}

_DOC = """
## What it does
{summary} Reported by pyflakes, run on leery's own syntax tree, under flake8's code {code}.

## Why it matters
Generated code often leaves names it never defines and imports it never uses: signs that the
code was assembled rather than written against the real module.

## What to check in review
Read the message: it names the symbol. Check whether the code does what its author meant.

## Example
See pyflakes' documentation for {code}.

## Use instead
Define or import what is used; remove what is not.

## Known limitations
pyflakes sees one file at a time and does not follow star imports.
"""

for _cls, _code, _name, _summary, _sev in _TABLE:
    REGISTRY.add(
        Rule(
            code=_code,
            name=_name,
            summary=_summary,
            doc=_DOC.format(summary=_summary, code=_code).strip(),
            severity=_sev,
            confidence=Confidence.HIGH,
            external="pyflakes",
            tags=_TAGS.get(_code, ()),
        )
    )


_LINE_ARG = (m.RedefinedWhileUnused, m.ImportShadowedByLoopVar, m.UndefinedLocal)  # args: (name, line)


@dataclass(frozen=True)
class _Message:
    """One pyflakes message, kept between versions (0-based line, byte column)."""

    cls: type
    line: int
    col: int
    args: tuple
    text: str  # the format: some messages choose theirs per instance


def run(source, settings, enabled, ctx) -> list[Finding]:
    plan = getattr(ctx, "plan", None)
    messages = _incremental(source, plan, ctx) if plan is not None else None
    if messages is None:
        checker = pyflakes_checker.Checker(source.tree, filename=source.path)
        messages = [_keep(message) for message in checker.messages]
        _release(checker)
    if plan is not None:
        ctx.records["pyflakes"] = messages
    out: list[Finding] = []
    for message in messages:
        code_name = _BY_CLASS.get(message.cls)
        if code_name is None:
            continue
        code, name = code_name
        if code not in enabled:
            continue
        rule = REGISTRY.rules[code]
        line = message.line
        col = source.col_of_byte(line, message.col)
        span = _message_span(source, line, col)
        span = _name_span(source, line, col, message.args) or span
        text = message.text % message.args
        out.append(Finding(code, name, source.path, span, text, rule.severity, rule.confidence, tags=rule.tags))
    return out


def _keep(message) -> _Message:
    args = message.message_args if isinstance(message.message_args, tuple) else (message.message_args,)
    return _Message(type(message), max(message.lineno - 1, 0), getattr(message, "col", 0) or 0, args, message.message)


def _incremental(source, plan, ctx) -> list[_Message] | None:
    """pyflakes for an edit inside one function body (see leery.core.incremental): the module
    is checked with every other function's body left out, and only the messages inside the
    edited body are taken from that run; the rest are the last version's, moved. Valid when
    the body still reads the same module names and binds none the module imports, and no
    function declares `global` names (their bodies are left out). None: check the whole module.

    Why imports only: a function's bindings reach outside it through pyflakes' module-level
    checks, which are about imports alone (an unused import, one redefined or shadowed by a
    loop variable in a function: reported where the function binds it, and only if no other
    function uses it, which the skeleton cannot know). A body that binds `text` where the
    module assigns `text` is as independent as any other (rich's text.py: every method
    binding `text` or `console` was checked in full, 15 ms a keystroke instead of 4)."""
    old = plan.old
    if old is None or old.extra.get("pyflakes") is None or plan.lines is None or ctx.global_names:
        return None
    lines = plan.lines
    if plan.edited is None:
        return _move(old.extra["pyflakes"], lines, None)
    unit = plan.units[plan.edited]
    if unit.body_start < unit.node.lineno:  # a one-line def: its header's messages are in the body's line
        return None
    before, after = old.records[plan.edited].summary, plan.summaries[plan.edited]
    skeleton = _skeleton(source.tree, plan)
    checker = pyflakes_checker.Checker(skeleton, filename=source.path)
    module_names, imported = _module_names(checker)
    fresh = [_keep(message) for message in checker.messages]
    _release(checker)
    if (before.binds | after.binds) & imported or before.reads & module_names != after.reads & module_names:
        return None
    record = old.records[plan.edited]
    kept = _move(old.extra["pyflakes"], lines, (record.body_start, record.end))
    if kept is None:
        return None
    fresh = [message for message in fresh if unit.body_start <= message.line <= unit.end]
    return sorted(kept + fresh, key=lambda message: message.line)


def _move(messages: list[_Message], lines, dropped: tuple[int, int] | None) -> list[_Message] | None:
    out = []
    for message in messages:
        if dropped is not None and dropped[0] <= message.line <= dropped[1]:
            continue
        line = lines.line(message.line)
        if line is None:
            return None
        args = message.args
        if message.cls in _LINE_ARG and len(args) == 2 and isinstance(args[1], int):
            moved = lines.line(args[1] - 1)
            if moved is None:
                return None
            args = (args[0], moved + 1)
        out.append(replace(message, line=line, args=args))
    return out


def _skeleton(tree: ast.Module, plan) -> ast.Module:
    """The module-level statements, the edited function as it is, and every other function or
    class reduced to its name: the bindings the edited body can see, at a fraction of the cost
    (the headers' annotations and decorators only use names; their messages are the last
    version's)."""
    edited = plan.units[plan.edited].node
    body: list[ast.stmt] = []
    for stmt in tree.body:
        if stmt is edited:
            body.append(stmt)
        elif isinstance(stmt, ast.ClassDef):
            inner = [edited] if any(s is edited for s in stmt.body) else [_pass(stmt)]
            body.append(ast.ClassDef(name=stmt.name, bases=[], keywords=[], body=inner, decorator_list=[], type_params=[], **_position(stmt)))
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
            body.append(type(stmt)(name=stmt.name, args=args, body=[_pass(stmt)], decorator_list=[], returns=None, type_params=[], **_position(stmt)))
        else:
            body.append(stmt)
    return ast.Module(body=body, type_ignores=tree.type_ignores)


def _pass(node) -> ast.Pass:
    return ast.Pass(lineno=node.lineno, col_offset=node.col_offset, end_lineno=node.lineno, end_col_offset=node.col_offset)


def _position(node) -> dict:
    return {a: getattr(node, a) for a in ("lineno", "col_offset", "end_lineno", "end_col_offset")}


def _release(checker) -> None:
    """Empty the checker's tables: a binding's `used` points back to its scope and the checker
    keeps its own bound methods, so without this every run leaves cyclic garbage (holding the
    nodes it saw) that only a full collection frees, and the server collects rarely while the
    user types."""
    for scope in checker.deadScopes:
        scope.clear()
    checker.deadScopes.clear()
    checker.messages = []
    for table in ("_nodeHandlers", "_parents", "_node_depths"):  # its own bound methods; every node
        getattr(checker, table, {}).clear()


def _module_names(checker) -> tuple[set[str], set[str]]:
    """The names the module binds, and those of them it imports."""
    for scope in checker.deadScopes:
        if isinstance(scope, pyflakes_checker.ModuleScope):
            return set(scope), {name for name, binding in scope.items() if isinstance(binding, pyflakes_checker.Importation)}
    return set(), set()


def _name_span(source, line: int, col: int, args) -> Span | None:
    """Where the name a message is about stands on its line (`os.path`, `b` of `a as b`)."""
    if not args or not isinstance(args[0], str) or line >= len(source.lines):
        return None
    name = args[0]
    for word in (name, name.rsplit(" as ", 1)[-1], name.rsplit(".", 1)[-1]):
        found = source.lines[line].find(word, col)
        if word and found >= 0:
            return Span(line, found, line, found + len(word))
    return None


def _message_span(source, line: int, col: int) -> Span:
    """pyflakes gives a point; widen it to the identifier there so editors underline a word."""
    if line >= len(source.lines):
        return Span(line, col, line, col)
    text = source.lines[line]
    end = col
    while end < len(text) and (text[end].isalnum() or text[end] in "_."):
        end += 1
    if end == col:
        end = min(col + 1, len(text))
    return Span(line, col, line, end)
