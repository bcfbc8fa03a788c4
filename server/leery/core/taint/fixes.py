"""Edits that take untrusted data out of a command: a query with placeholders, a command as
an argument list, a loader that builds no objects. All change behaviour: `unsafe`."""

from __future__ import annotations

import ast
import json
import re

from leery.core.findings import Applicability, Edit, Fix, Span
from leery.core.source import SourceFile
from leery.core.taint.names import Names

_SHELL_META = re.compile(r"[|&;<>()$`\\\"'*?\[\]#~{}!]")
_PERCENT_FIELD = re.compile(r"%[sdr]")

QMARK = ("sqlite3", "aiosqlite")
FORMAT = ("psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql", "pg8000", "django", "aiomysql", "aiopg")


def placeholder_style(names: Names, call: ast.Call, qual: str | None) -> str | None:
    """`?`, `%s`, `:name` (SQLAlchemy text) or `$1` (asyncpg); None when the driver is unclear."""
    if qual is not None and qual.endswith("text") and "sqlalchemy" in qual:
        return ":name"
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "raw":
        return "%s"
    styles = set()
    if names.uses(*QMARK):
        styles.add("?")
    if names.uses(*FORMAT):
        styles.add("%s")
    if names.uses("asyncpg"):
        styles.add("$1")
    return styles.pop() if len(styles) == 1 else None


def _parts(node: ast.expr) -> list[str | ast.expr] | None:
    """The query as constant text and inserted expressions, or None when it is not plain."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        out: list[str | ast.expr] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                out.append(value.value)
            elif isinstance(value, ast.FormattedValue) and value.conversion == -1 and value.format_spec is None:
                out.append(value.value)
            else:
                return None
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _parts(node.left), _parts(node.right)
        if left is None or right is None:
            if left is not None and right is None and not isinstance(node.right, (ast.JoinedStr, ast.BinOp)):
                return left + [node.right]
            return None
        return left + right
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        pieces = _PERCENT_FIELD.split(node.left.value)
        if len(pieces) != len(values) + 1 or "%" in "".join(pieces).replace("%%", ""):
            return None
        out = [pieces[0].replace("%%", "%")]
        for value, piece in zip(values, pieces[1:]):
            out += [value, piece.replace("%%", "%")]
        return out
    if (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str) and not node.keywords
    ):
        pieces = node.func.value.value.split("{}")
        if len(pieces) != len(node.args) + 1 or "{" in "".join(pieces) or any(isinstance(a, ast.Starred) for a in node.args):
            return None
        out = [pieces[0]]
        for value, piece in zip(node.args, pieces[1:]):
            out += [value, piece]
        return out
    return None


def _param_name(source: SourceFile, expr: ast.expr, taken: set[str]) -> str:
    base = expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else "p"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def _query_with_placeholders(source: SourceFile, parts, style: str):
    text = ""
    params: list[tuple[str, ast.expr]] = []
    taken: set[str] = set()
    pieces = list(parts)
    for i, part in enumerate(pieces):
        if isinstance(part, str):
            continue
        before = pieces[i - 1] if i > 0 and isinstance(pieces[i - 1], str) else ""
        after = pieces[i + 1] if i + 1 < len(pieces) and isinstance(pieces[i + 1], str) else ""
        quoted = before.endswith(("'", '"')) and after.startswith(before[-1:])
        if quoted:
            pieces[i - 1] = before[:-1]
            pieces[i + 1] = after[1:]
    for part in pieces:
        if isinstance(part, str):
            if style == "%s" and "%" in part:
                return None  # a literal % would need doubling; leave the edit to a human
            text += part
        else:
            if text.count("'") % 2 or text.count('"') % 2:
                return None  # an input inside a quoted literal (LIKE '%x%'): no clean placeholder
            if not _value_position(text):
                return None  # a table or column name cannot be a parameter: an allowlist is the fix
            name = _param_name(source, part, taken)
            if style == "?":
                text += "?"
            elif style == "%s":
                text += "%s"
            elif style == "$1":
                text += f"${len(params) + 1}"
            else:
                text += f":{name}"
            params.append((name, part))
    if not params:
        return None
    return text, params


def _value_position(before: str) -> bool:
    """Whether SQL text ending with `before` expects a value next (not an identifier or a clause)."""
    text = before.rstrip().upper()
    if re.search(r"(=|<|>|\bLIKE|\bILIKE|\bLIMIT|\bOFFSET|\bIS)$", text):
        return True
    return bool(re.search(r"[(,]$", text) and re.search(r"\b(VALUES|IN)\s*\([^)]*$", text))


def _assignment(scope: ast.AST, name: str, before: ast.AST) -> ast.Assign | None:
    found = [
        n for n in ast.walk(scope)
        if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        and any(isinstance(t, ast.Name) and t.id == name for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))
    ]
    if len(found) != 1 or not isinstance(found[0], ast.Assign) or len(found[0].targets) != 1:
        return None
    if found[0].lineno > before.lineno:  # type: ignore[attr-defined]
        return None
    return found[0]


def _end(source: SourceFile, node: ast.AST) -> Span:
    span = source.span_of(node)
    return Span(span.end_line, span.end_col, span.end_line, span.end_col)


def parameterize_sql(source: SourceFile, names: Names, call: ast.Call, arg: ast.AST | None, scope: ast.AST | None) -> Fix | None:
    if arg is None or not call.args or arg is not call.args[0]:
        return None
    qual = names.qualname(call.func)
    style = placeholder_style(names, call, qual)
    if style is None:
        return None
    query = arg
    edits: list[Edit] = []
    if isinstance(arg, ast.Name):
        assign = _assignment(scope or source.tree, arg.id, call)  # type: ignore[arg-type]
        if assign is None:
            return None
        query = assign.value
    parts = _parts(query)  # type: ignore[arg-type]
    if parts is None or all(isinstance(p, str) for p in parts):
        return None
    built = _query_with_placeholders(source, parts, style)
    if built is None:
        return None
    text, params = built
    literal = json.dumps(text, ensure_ascii=False)
    edits.append(Edit(source.span_of(query), literal))
    values = [source.text_of(expr) for _, expr in params]
    if style == ":name":
        binds = ", ".join(f"{name}={value}" for (name, _), value in zip(params, values))
        edits.append(Edit(_end(source, call), f".bindparams({binds})"))
    else:
        if len(call.args) != 1 or call.keywords:
            return None
        if style == "%s" and isinstance(call.func, ast.Attribute) and call.func.attr == "raw":
            edits.append(Edit(_end(source, call.args[0]), f", [{', '.join(values)}]"))
        else:
            edits.append(Edit(_end(source, call.args[0]), f", ({', '.join(values)},)"))
    return Fix(f"Pass the input as query parameters ({style.replace('$1', '$n')} placeholders)", Applicability.UNSAFE, tuple(edits))


def shell_to_argv(source: SourceFile, call: ast.Call) -> Fix | None:
    """`subprocess.run(f"ls {d}", shell=True)` -> `subprocess.run(["ls", d])`."""
    shell = next((kw for kw in call.keywords if kw.arg == "shell"), None)
    if shell is None or not call.args:
        return None
    parts = _parts(call.args[0])
    if parts is None:
        return None
    tokens: list[str] = []
    pending = ""  # constant text of the current token
    glued = False  # the current token already holds an expression
    for i, part in enumerate(parts):
        if isinstance(part, str):
            for j, chunk in enumerate(re.split(r"(\s+)", part)):
                if not chunk:
                    continue
                if chunk.isspace():
                    if pending or glued:
                        if glued and pending:
                            return None
                        if pending:
                            tokens.append(json.dumps(pending, ensure_ascii=False))
                        pending, glued = "", False
                    continue
                if glued or _SHELL_META.search(chunk):
                    return None
                pending += chunk
        else:
            if pending or glued:
                return None  # an input glued to other text (`--name={x}`): the shell split it differently
            tokens.append(source.text_of(part))
            glued = True
    if pending:
        tokens.append(json.dumps(pending, ensure_ascii=False))
    if not tokens or tokens[0][:1] != '"':
        return None
    edits = [Edit(source.span_of(call.args[0]), "[" + ", ".join(tokens) + "]")]
    previous = call.args[-1] if call.keywords.index(shell) == 0 else call.keywords[call.keywords.index(shell) - 1]
    start = source.span_of(previous)
    end = source.span_of(shell)
    edits.append(Edit(Span(start.end_line, start.end_col, end.end_line, end.end_col), ""))
    return Fix("Run the command as an argument list, without a shell", Applicability.UNSAFE, tuple(edits))


def safe_loader(source: SourceFile, names: Names, call: ast.Call) -> Fix | None:
    """`yaml.load(x, Loader=yaml.Loader)` -> `yaml.safe_load(x)`; `torch.load(f)` -> `weights_only=True`."""
    qual = names.qualname(call.func)
    func = call.func
    if qual == "yaml.load" and isinstance(func, ast.Attribute) and call.args:
        extra = [kw for kw in call.keywords if kw.arg != "Loader"]
        if extra or len(call.args) > 2:
            return None
        new = f"{source.text_of(func.value)}.safe_load({source.text_of(call.args[0])})"
        return Fix("Use yaml.safe_load (plain data only)", Applicability.UNSAFE, (Edit(source.span_of(call), new),))
    if qual == "torch.load":
        weights = next((kw for kw in call.keywords if kw.arg == "weights_only"), None)
        if weights is not None:
            return Fix("Load tensors only (weights_only=True)", Applicability.UNSAFE, (Edit(source.span_of(weights.value), "True"),))
        last = (call.args + [kw.value for kw in call.keywords])[-1:]
        if not last:
            return None
        return Fix("Load tensors only (weights_only=True)", Applicability.UNSAFE, (Edit(_end(source, last[0]), ", weights_only=True"),))
    return None
