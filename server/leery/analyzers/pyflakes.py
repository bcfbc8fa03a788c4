"""pyflakes on the shared tree, its messages under flake8's codes (F401, F821, ...)."""

from __future__ import annotations

import ast

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


def run(source, settings, enabled, ctx) -> list[Finding]:
    tree: ast.Module = source.tree
    checker = pyflakes_checker.Checker(tree, filename=source.path)
    out: list[Finding] = []
    for message in checker.messages:
        code_name = _BY_CLASS.get(type(message))
        if code_name is None:
            continue
        code, name = code_name
        if code not in enabled:
            continue
        rule = REGISTRY.rules[code]
        line = max(message.lineno - 1, 0)
        col = source.col_of_byte(line, getattr(message, "col", 0) or 0)
        span = _message_span(source, line, col, message)
        span = _name_span(source, line, col, message.message_args) or span
        text = message.message % message.message_args
        out.append(Finding(code, name, source.path, span, text, rule.severity, rule.confidence, tags=rule.tags))
    return out


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


def _message_span(source, line: int, col: int, message) -> Span:
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
