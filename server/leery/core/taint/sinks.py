"""Where untrusted data does harm: one kind per rule. A sink names the argument(s) that matter;
the parameter tuple of a query or the argument list of a command is never the problem."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from leery.core.context import Context
from leery.core.taint.names import Names

keyword = Context.keyword

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")


@dataclass(frozen=True)
class Spec:
    kind: str
    positions: tuple[int, ...] = (0,)
    keywords: tuple[str, ...] = ()


def _spec(kind: str, positions=(0,), keywords=()) -> Spec:
    return Spec(kind, tuple(positions), tuple(keywords))


QUALIFIED: dict[str, Spec] = {
    # shell
    "os.system": _spec("shell", keywords=("command",)),
    "os.popen": _spec("shell", keywords=("cmd",)),
    "subprocess.getoutput": _spec("shell", keywords=("cmd",)),
    "subprocess.getstatusoutput": _spec("shell", keywords=("cmd",)),
    "commands.getoutput": _spec("shell"),
    "asyncio.create_subprocess_shell": _spec("shell", keywords=("cmd",)),
    "pty.spawn": _spec("program"),
    **{f"os.{name}": _spec("program") for name in ("execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe")},
    # code
    "eval": _spec("code", keywords=("source",)),
    "exec": _spec("code", keywords=("source",)),
    "compile": _spec("code", keywords=("source",)),
    "importlib.import_module": _spec("import", keywords=("name",)),
    "__import__": _spec("import", keywords=("name",)),
    "runpy.run_path": _spec("import"),
    "runpy.run_module": _spec("import"),
    # paths
    "open": _spec("path", keywords=("file",)),
    "io.open": _spec("path", keywords=("file",)),
    "codecs.open": _spec("path", keywords=("filename",)),
    "os.open": _spec("path", keywords=("path",)),
    **{f"os.{name}": _spec("path", keywords=("path",)) for name in (
        "remove", "unlink", "rmdir", "removedirs", "mkdir", "makedirs", "listdir", "scandir", "chmod", "chown", "truncate",
    )},
    "os.rename": _spec("path", (0, 1), ("src", "dst")),
    "os.replace": _spec("path", (0, 1), ("src", "dst")),
    **{f"shutil.{name}": _spec("path", (0, 1), ("src", "dst")) for name in ("copy", "copy2", "copyfile", "copytree", "move")},
    "shutil.rmtree": _spec("path", keywords=("path",)),
    "flask.send_file": _spec("path", keywords=("path_or_file",)),
    "starlette.responses.FileResponse": _spec("path", keywords=("path",)),
    "fastapi.responses.FileResponse": _spec("path", keywords=("path",)),
    "shelve.open": _spec("deserialization", keywords=("filename",)),
    # outgoing requests
    **{f"{lib}.{verb}": _spec("ssrf", keywords=("url",)) for lib in ("requests", "httpx") for verb in HTTP_VERBS},
    "requests.request": _spec("ssrf", (1,), ("url",)),
    "httpx.request": _spec("ssrf", (1,), ("url",)),
    "httpx.stream": _spec("ssrf", (1,), ("url",)),
    "urllib.request.urlopen": _spec("ssrf", keywords=("url",)),
    "urllib.request.Request": _spec("ssrf", keywords=("url",)),
    "urllib.request.urlretrieve": _spec("ssrf", keywords=("url",)),
    "aiohttp.request": _spec("ssrf", (1,), ("url",)),
    # deserialization
    **{f"{lib}.{fn}": _spec("deserialization") for lib in ("pickle", "cPickle", "_pickle", "dill", "cloudpickle", "marshal") for fn in ("loads", "load")},
    "pickle.Unpickler": _spec("deserialization"),
    "jsonpickle.decode": _spec("deserialization"),
    "pandas.read_pickle": _spec("deserialization"),
    "joblib.load": _spec("deserialization"),
    "yaml.unsafe_load": _spec("deserialization"),
    "yaml.load": _spec("deserialization", keywords=("stream",)),  # unless a safe Loader: see `yaml_is_safe`
    "yaml.load_all": _spec("deserialization", keywords=("stream",)),
    "torch.load": _spec("deserialization", keywords=("f",)),  # unless weights_only=True
    "numpy.load": _spec("deserialization", keywords=("file",)),  # only with allow_pickle=True
    # redirects
    **{name: _spec("redirect", keywords=("location", "url", "to", "redirect_to")) for name in (
        "flask.redirect", "werkzeug.utils.redirect", "quart.redirect", "django.shortcuts.redirect",
        "django.http.HttpResponseRedirect", "django.http.HttpResponsePermanentRedirect",
        "starlette.responses.RedirectResponse", "fastapi.responses.RedirectResponse",
    )},
    # HTML marked safe or sent as HTML
    **{name: _spec("xss") for name in (
        "markupsafe.Markup", "flask.Markup", "jinja2.Markup", "django.utils.safestring.mark_safe",
        "django.utils.safestring.SafeString",
    )},
    "django.http.HttpResponse": _spec("xss", keywords=("content",)),
    "starlette.responses.HTMLResponse": _spec("xss", keywords=("content",)),
    "fastapi.responses.HTMLResponse": _spec("xss", keywords=("content",)),
    # templates from input
    "flask.render_template_string": _spec("ssti", keywords=("source",)),
    "quart.render_template_string": _spec("ssti", keywords=("source",)),
    "jinja2.Template": _spec("ssti", keywords=("source",)),
    "django.template.Template": _spec("ssti", keywords=("template_string",)),
    "mako.template.Template": _spec("ssti", keywords=("text",)),
    # regular expressions
    **{f"re.{fn}": _spec("redos", keywords=("pattern",)) for fn in ("compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split")},
    # XML with entity resolution (lxml resolves entities unless the parser says otherwise)
    **{f"lxml.etree.{fn}": _spec("xml", keywords=("text", "source")) for fn in ("fromstring", "XML", "parse", "iterparse")},
    "xml.dom.pulldom.parseString": _spec("xml"),
    # SQL
    "sqlalchemy.text": _spec("sql", keywords=("text",)),
    "sqlalchemy.sql.text": _spec("sql", keywords=("text",)),
    "sqlalchemy.sql.expression.text": _spec("sql", keywords=("text",)),
    "django.db.models.expressions.RawSQL": _spec("sql", keywords=("sql",)),
    "django.db.models.RawSQL": _spec("sql", keywords=("sql",)),
    "pandas.read_sql": _spec("sql", keywords=("sql",)),
    "pandas.read_sql_query": _spec("sql", keywords=("sql",)),
    # XPath
    "lxml.etree.XPath": _spec("xpath", keywords=("path",)),
    "lxml.etree.ETXPath": _spec("xpath", keywords=("path",)),
}
SUBPROCESS = frozenset({
    "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen",
    "asyncio.create_subprocess_exec",
})
SQL_METHODS = {"execute": ("sql", "query", "statement", "operation"), "executemany": ("sql", "query", "operation"),
               "executescript": ("sql_script",), "exec_driver_sql": ("statement",), "mogrify": ("query",)}
PATH_METHODS = frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "rmdir", "mkdir", "touch", "iterdir", "rglob", "glob"})
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal"})
HEADER_METHODS = frozenset({"add", "set", "setdefault", "add_header", "__setitem__"})
LDAP_METHODS = {"search_s": 2, "search": 2, "search_st": 2, "search_ext": 2, "search_ext_s": 2}
SESSION_HINTS = ("session", "http", "requests", "httpx")


def _receiver_name(func: ast.Attribute) -> str:
    value = func.value
    if isinstance(value, ast.Attribute):
        return value.attr.lower()
    if isinstance(value, ast.Name):
        return value.id.lower()
    if isinstance(value, ast.Call):
        return _receiver_name(value.func) if isinstance(value.func, ast.Attribute) else getattr(value.func, "id", "").lower()
    return ""


def yaml_is_safe(call: ast.Call, names: Names) -> bool:
    loader = next((kw.value for kw in call.keywords if kw.arg == "Loader"), call.args[1] if len(call.args) > 1 else None)
    if loader is None:
        return False
    name = names.qualname(loader) or ""
    return name.rsplit(".", 1)[-1] in ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _args(call: ast.Call, spec: Spec) -> list[ast.expr]:
    out = [call.args[i] for i in spec.positions if i < len(call.args) and not isinstance(call.args[i], ast.Starred)]
    out += [kw.value for kw in call.keywords if kw.arg in spec.keywords]
    return out


def _looks_like_ldap_filter(node: ast.AST) -> bool:
    return any(isinstance(sub, ast.Constant) and isinstance(sub.value, str) and ('(' in sub.value) and ('=' in sub.value) for sub in ast.walk(node))


def _is_string_command(node: ast.AST) -> bool:
    """A command written as one string (f-string, concatenation, %, .format): split by the OS or a shell."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def sinks_of(call: ast.Call, qual: str | None, names: Names) -> list[tuple[str, list[ast.expr]]]:
    """(kind, the argument expressions that must not carry input) for one call."""
    found: list[tuple[str, list[ast.expr]]] = []
    if qual is not None:
        spec = QUALIFIED.get(qual)
        if spec is not None:
            if qual in ("yaml.load", "yaml.load_all") and yaml_is_safe(call, names):
                spec = None
            elif qual == "torch.load" and _is_true(keyword(call, "weights_only")):
                spec = None
            elif qual == "numpy.load" and not _is_true(keyword(call, "allow_pickle")):
                spec = None
            elif spec.kind == "xml" and keyword(call, "parser") is not None:
                spec = None  # a parser of the caller's making; `resolve_entities=False` is the fix
            elif qual == "django.http.HttpResponse":
                content_type = keyword(call, "content_type")
                if isinstance(content_type, ast.Constant) and "html" not in str(content_type.value):
                    spec = None
            if spec is not None:
                found.append((spec.kind, _args(call, spec)))
        if qual in SUBPROCESS and call.args:
            first = call.args[0]
            if _is_true(keyword(call, "shell")):
                found.append(("shell", [first]))
            elif isinstance(first, (ast.List, ast.Tuple)) and first.elts:
                found.append(("program", [first.elts[0]]))  # the program itself
            elif _is_string_command(first):
                found.append(("shell", [first]))
    func = call.func
    if not isinstance(func, ast.Attribute) or (qual is not None and qual in QUALIFIED):
        return found
    attr = func.attr
    if attr in SQL_METHODS:
        found.append(("sql", _args(call, Spec("sql", (0,), SQL_METHODS[attr]))))
    elif attr == "raw" and "objects" in ast.unparse(func.value):
        found.append(("sql", _args(call, Spec("sql", (0,), ("raw_query",)))))
    elif attr == "extra" and "objects" in ast.unparse(func.value) or attr == "extra" and isinstance(func.value, ast.Call):
        found.append(("sql", [kw.value for kw in call.keywords if kw.arg in ("where", "select", "tables", "order_by")]))
    elif attr in HTTP_VERBS + ("request", "stream") and any(h in _receiver_name(func) for h in SESSION_HINTS):
        position = 1 if attr in ("request", "stream") else 0
        found.append(("ssrf", _args(call, Spec("ssrf", (position,), ("url",)))))
    elif attr == "from_string":
        found.append(("ssti", _args(call, Spec("ssti", (0,), ("source",)))))
    elif attr == "xpath":
        found.append(("xpath", _args(call, Spec("xpath", (0,), ("_path",)))))
    elif attr in LDAP_METHODS:
        position = LDAP_METHODS[attr]
        if attr == "search" and (keyword(call, "search_filter") is not None or (len(call.args) >= 2 and _looks_like_ldap_filter(call.args[1]))):
            found.append(("ldap", _args(call, Spec("ldap", (1,), ("search_filter",)))))
        elif attr != "search":
            found.append(("ldap", _args(call, Spec("ldap", (position,), ("filterstr",)))))
    elif attr in LOG_METHODS and ("log" in _receiver_name(func) or (qual or "").startswith("logging.")):
        found.append(("crlf", _log_args(call)))
    elif attr in HEADER_METHODS and _receiver_name(func) == "headers" and len(call.args) >= 2:
        found.append(("crlf", [call.args[1]]))
    return found


_CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*[\d*]*(?:\.[\d*]+)?[hlL]?([diouxXeEfFgGcrsa%])")


def _log_args(call: ast.Call) -> list[ast.expr]:
    """The message and the `%` arguments that are not logged with `%r` (which escapes line breaks)."""
    args = [a for a in call.args if not isinstance(a, ast.Starred)]
    if not args or not (isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)):
        return args
    conversions = [c for c in _CONVERSION.findall(args[0].value) if c != "%"]
    return [a for i, a in enumerate(args[1:]) if i >= len(conversions) or conversions[i] not in ("r", "a")]


def receiver_sinks(call: ast.Call) -> list[tuple[str, ast.expr]]:
    """Sinks that need a tainted receiver: `Path(user).read_text()` (the receiver is the path),
    `request.files["f"].save(path)` (an uploaded file saved where the client said). Django's
    `FieldFile.save(name, content)` and PIL's `Image.save` have clean receivers and are left out."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return []
    if func.attr in PATH_METHODS:
        return [("path", func.value)]
    if func.attr == "save" and call.args and not isinstance(call.args[0], ast.Starred):
        return [("path", call.args[0])]
    return []
