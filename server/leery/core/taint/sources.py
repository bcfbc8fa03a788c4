"""Where untrusted data enters: request objects, route parameters, the command line, the
environment, the console, sockets."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from leery.core.taint.names import WEB_FRAMEWORKS, Names

# Attributes of a request object that carry what the client sent (Flask, Django, DRF,
# Starlette/FastAPI, aiohttp). `request.user`, `request.method` and the like are not here.
FLASK_ATTRS = frozenset({
    "args", "form", "values", "json", "get_json", "data", "get_data", "files", "headers", "cookies",
    "query_string", "view_args", "stream",
})
REQUEST_ATTRS = FLASK_ATTRS | frozenset({
    "GET", "POST", "body", "COOKIES", "META", "FILES", "query_params", "path_params", "query",
    "match_info", "text", "post", "content", "read", "rel_url",
})
FLASK_REQUESTS = frozenset({"flask.request", "quart.request", "bottle.request", "werkzeug.local.request"})
# http.server handlers: what the client sent lives on `self`.
HANDLER_BASES = frozenset({"BaseHTTPRequestHandler", "SimpleHTTPRequestHandler", "CGIHTTPRequestHandler", "StreamRequestHandler"})
HANDLER_ATTRS = frozenset({"path", "headers", "rfile", "requestline"})

LOCAL_QUALIFIED = {
    "sys.argv": "command-line argument",
    "os.environ": "environment variable",
    "os.environb": "environment variable",
    "sys.stdin": "standard input",
}
LOCAL_CALLS = {"input": "console input", "os.getenv": "environment variable", "os.getenvb": "environment variable"}
LOCAL_METHODS = {"parse_args": "command-line argument", "parse_known_args": "command-line argument"}
REMOTE_METHODS = {"recv": "socket data", "recvfrom": "socket data", "recvmsg": "socket data"}

ROUTE_METHODS = frozenset({"route", "get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket", "view"})
REQUEST_TYPES = frozenset({"Request", "HttpRequest", "WSGIRequest", "ASGIRequest", "BaseRequest", "HTTPConnection", "WebSocket"})
# Annotations under which a framework has already converted (validated) the value.
CLEAN_TYPES = frozenset({
    "int", "float", "bool", "complex", "UUID", "UUID1", "UUID4", "datetime", "date", "time", "timedelta", "Decimal",
    "PositiveInt", "NegativeInt", "NonNegativeInt", "conint", "confloat", "IPv4Address", "IPv6Address", "EmailStr",
    "HttpUrl", "AnyHttpUrl", "Session", "AsyncSession", "BackgroundTasks", "Response", "SecurityScopes",
})
TAINTED_TYPES = frozenset({"str", "bytes", "Any", "UploadFile", "Form", "Query", "Path", "Body", "Header", "Cookie", "File", "Json", "dict", "Dict", "Mapping", "Request"})
_ROUTE_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_CLEAN_CONVERTERS = frozenset({"int", "float", "uuid"})


@dataclass
class EntryPoint:
    """What a function receives from outside: tainted parameters and request objects."""

    tainted: dict[str, str]  # parameter -> description
    requests: set[str]  # parameters that are request objects (only some attributes are data)


def _unwrap(annotation: ast.AST | None) -> ast.AST | None:
    """`Optional[X]`, `X | None`, `Annotated[X, ...]` -> X."""
    while annotation is not None:
        if isinstance(annotation, ast.Subscript):
            head = annotation.value
            name = head.attr if isinstance(head, ast.Attribute) else getattr(head, "id", "")
            inner = annotation.slice
            if isinstance(inner, ast.Tuple) and not inner.elts:
                return None  # Tuple[()]
            if name in ("Optional", "Annotated", "list", "List", "set", "Set", "tuple", "Tuple", "Sequence", "Iterable"):
                annotation = inner.elts[0] if isinstance(inner, ast.Tuple) else inner
                continue
            if name == "Union" and isinstance(inner, ast.Tuple):
                kept = [e for e in inner.elts if not (isinstance(e, ast.Constant) and e.value is None)]
                annotation = kept[0] if len(kept) == 1 else None
                if annotation is None:
                    return None
                continue
            return annotation
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            if isinstance(annotation.right, ast.Constant) and annotation.right.value is None:
                annotation = annotation.left
                continue
            if isinstance(annotation.left, ast.Constant) and annotation.left.value is None:
                annotation = annotation.right
                continue
            return annotation
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
            continue
        return annotation
    return None


def _type_name(annotation: ast.AST | None) -> str | None:
    annotation = _unwrap(annotation)
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute):
        return annotation.attr
    if isinstance(annotation, ast.Subscript):
        return _type_name(annotation.value)
    return None


def _all_args(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[ast.arg, ast.expr | None]]:
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    pairs = list(zip(positional, defaults)) + list(zip(args.kwonlyargs, args.kw_defaults))
    return pairs


def route_of(func: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.Call | None:
    """The `@app.route("/x")` / `@router.get("/x")` decorator, if any."""
    for dec in func.decorator_list:
        if (
            isinstance(dec, ast.Call)
            and isinstance(dec.func, ast.Attribute)
            and dec.func.attr in ROUTE_METHODS
            and dec.args
            and isinstance(dec.args[0], ast.Constant)
            and isinstance(dec.args[0].value, str)
            and dec.args[0].value.startswith("/")
        ):
            return dec
    return None


def entry_point(func: ast.FunctionDef | ast.AsyncFunctionDef, names: Names, in_class: bool) -> EntryPoint | None:
    """The parameters of a route function or a view that carry client data."""
    web = names.uses(*WEB_FRAMEWORKS)
    route = route_of(func)
    pairs = _all_args(func)
    if in_class and pairs and pairs[0][0].arg in ("self", "cls"):
        pairs = pairs[1:]
    requests = {a.arg for a, _ in pairs if _type_name(a.annotation) in REQUEST_TYPES}
    if web and pairs and pairs[0][0].arg in ("request", "req") and _type_name(pairs[0][0].annotation) in (None, *REQUEST_TYPES):
        requests.add(pairs[0][0].arg)
    # Django's URL kwargs are not sources: without urls.py a view cannot be told from any
    # function that takes `request` first (middleware, helpers), and `<int:pk>` is the norm.
    if route is None:
        return EntryPoint({}, requests) if requests else None
    converters: dict[str, str] = {}
    if route is not None:
        for conv, name in _ROUTE_PARAM.findall(route.args[0].value):
            converters[name] = conv
    tainted: dict[str, str] = {}
    for arg, default in pairs:
        if arg.arg in requests:
            continue
        if converters.get(arg.arg) in _CLEAN_CONVERTERS:
            continue
        if isinstance(default, ast.Call) and _type_name(default.func) in ("Depends", "Security"):
            continue
        type_name = _type_name(arg.annotation)
        if type_name is not None and type_name not in TAINTED_TYPES:
            if type_name in CLEAN_TYPES or type_name[:1].isupper():
                continue  # converted by the framework or validated by a model
        tainted[arg.arg] = "route parameter"
    if func.args.vararg is None and func.args.kwarg is not None:
        tainted[func.args.kwarg.arg] = "route parameters"
    return EntryPoint(tainted, requests)


def is_http_handler(cls: ast.ClassDef) -> bool:
    for base in cls.bases:
        name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
        if name in HANDLER_BASES:
            return True
    return False
