"""The taint interpreter: one pass over each function, statements in order, branches merged,
loops to a fixpoint, functions of the module summarised (which parameters reach the return
value or a sink) and applied at their call sites; workspace functions likewise when a
resolver finds their file."""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Callable

from leery.core import astutil, trees
from leery.core.context import dotted_name
from leery.core.findings import Span
from leery.core.source import SourceFile
from leery.core.taint import sanitizers as san
from leery.core.taint import sources as src
from leery.core.taint.model import CLEAN, Step, Taint, Trace, add_step, clear, first_reaching, mark_html, union
from leery.core.taint.names import Names, module_parts, statements
from leery.core.taint.sinks import receiver_sinks, sinks_of

Env = dict  # name or dotted name -> Taint
# resolve(importer_path, module, level) -> path of the workspace file, or None
Resolver = Callable[[str, str, int], "str | None"]

_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s>/]|/[a-zA-Z]|!)")  # a tag, a closing tag, a doctype
_LABEL_MAX = 48

PROPAGATORS = frozenset({
    "str", "bytes", "bytearray", "list", "tuple", "set", "frozenset", "dict", "sorted", "reversed", "iter", "next",
    "min", "max", "format", "memoryview", "enumerate", "zip", "filter", "map",
    "json.loads", "json.load", "ujson.loads", "orjson.loads", "simplejson.loads",
    "urllib.parse.unquote", "urllib.parse.unquote_plus", "urllib.parse.urljoin", "urllib.parse.parse_qs",
    "urllib.parse.parse_qsl", "urllib.parse.urlunparse", "urllib.parse.urlunsplit", "urllib.parse.urlparse",
    "urllib.parse.urlsplit", "urllib.parse.unquote_to_bytes",
    "base64.b64decode", "base64.b64encode", "base64.urlsafe_b64decode", "base64.urlsafe_b64encode", "base64.b32decode",
    "base64.b16decode", "binascii.unhexlify", "binascii.a2b_base64", "codecs.decode", "codecs.encode",
    "os.path.join", "os.path.normpath", "os.path.abspath", "os.path.realpath", "os.path.expanduser", "os.path.dirname",
    "os.path.splitext", "os.path.split", "posixpath.join", "ntpath.join", "os.fsencode", "os.fsdecode",
    "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath", "pathlib.WindowsPath",
    "textwrap.dedent", "textwrap.indent", "html.unescape", "copy.copy", "copy.deepcopy", "io.StringIO", "io.BytesIO",
    "zlib.decompress", "gzip.decompress", "bz2.decompress", "lzma.decompress", "string.Template",
})
COMBINERS = frozenset({"format", "join", "replace", "format_map", "ljust", "rjust", "center", "zfill", "encode", "decode"})
MUTATORS = frozenset({"append", "extend", "add", "insert", "update", "setdefault", "appendleft", "extendleft"})
TERMINATORS = frozenset({"flask.abort", "werkzeug.exceptions.abort", "sys.exit", "exit", "quit", "os._exit", "fastapi.HTTPException", "pytest.fail", "pytest.skip"})
RESPONSE_HTML = frozenset({"flask.make_response", "flask.Response", "werkzeug.Response", "werkzeug.wrappers.Response"})


@dataclass(frozen=True)
class SummarySink:
    param: str
    kind: str
    sink: Step  # the sink, in the callee's file
    label: str  # `cursor.execute()`
    steps: tuple[Step, ...]  # from the parameter to the sink
    cleared: frozenset[str]
    call: ast.Call | None
    arg: ast.AST | None


@dataclass
class Summary:
    params: list[str]
    returns: Taint = CLEAN
    sinks: list[SummarySink] = field(default_factory=list)


EMPTY = Summary([])


@dataclass
class Hit:
    """Untrusted data reaching a sink: what the LY2xx rules report."""

    kind: str
    path: str
    span: Span
    sink: str  # `cursor.execute()`
    trace: Trace
    call: ast.AST | None = None  # the sink call in this file (for fixes)
    arg: ast.AST | None = None  # the argument that carries the data
    via: str | None = None  # "in app/db.py (line 12) through `run_query()`" for a sink in another file

    @property
    def steps(self) -> list[Step]:
        return [self.trace.origin, *self.trace.steps]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LABEL_MAX else text[: _LABEL_MAX - 3] + "..."


def _has_html(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(_HTML.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_has_html(v) for v in node.values if isinstance(v, ast.Constant))
    return False


class Analysis:
    def __init__(self, source: SourceFile, resolver: Resolver | None = None, cache: dict | None = None, depth: int = 0) -> None:
        assert source.tree is not None
        self.source = source
        self.path = source.path
        self.tree = source.tree
        self.names = Names()
        self.constants = san.module_constants(source.tree)
        self.resolver = resolver
        self.cache = cache if cache is not None else {}
        self.depth = depth
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.class_of: dict[ast.AST, ast.ClassDef] = {}
        self.methods: dict[ast.ClassDef, dict[str, ast.AST]] = {}
        self.summaries: dict[ast.AST, Summary] = {}
        self.in_progress: set[ast.AST] = set()
        self.hits: dict[tuple[str, Span], Hit] = {}
        # For the incremental fast tier (taint/reuse.py): which function's analysis recorded
        # each hit, and which function's analysis asked for which summary (None: module code).
        self.owners: list[ast.AST] = []
        self.hit_owners: dict[tuple[str, Span], ast.AST | None] = {}
        self.calls: set[tuple[ast.AST | None, ast.AST]] = set()
        self.contested = False  # two functions' analyses recorded the same hit
        self.module_env: Env = {}
        for stmt in self.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[stmt.name] = stmt
        self.all_functions: list[ast.AST] = []
        # The one walk of the statements (names, functions, classes), by parts cached per
        # statement: the server's next version walks only the function the edit changed.
        for stmt, notes in module_parts(self.tree):
            self.names.merge(notes.names)
            for node in (stmt, *notes.functions, *notes.classes):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.all_functions.append(node)
                elif isinstance(node, ast.ClassDef):
                    table = self.methods.setdefault(node, {})
                    for member in node.body:
                        if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                            table[member.name] = member
                            self.class_of[member] = node
        # After the walk: these read the imports it collected.
        self.web = self.names.uses(*src.WEB_FRAMEWORKS)
        self.flask_like = self.names.uses("flask", "quart", "bottle") or not self.names.uses("fastapi", "starlette")

    # -- driving -----------------------------------------------------------------------------
    def run(self, only: "Callable[[ast.AST], bool] | None" = None) -> "Analysis":
        """The module's code, then every function (`only`: those it accepts; others are
        analysed when a call needs their summary)."""
        Frame(self, None).block(self.tree.body, self.module_env)
        for node in self.all_functions:
            if only is None or only(node):
                self.summary(node)
        return self

    def summary(self, func: ast.AST) -> Summary:
        self.calls.add((self.owners[-1] if self.owners else None, func))
        done = self.summaries.get(func)
        if done is not None:
            return done
        if func in self.in_progress:  # recursion: what is known so far is nothing
            return EMPTY
        self.in_progress.add(func)
        self.owners.append(func)
        try:
            frame = Frame(self, func)  # type: ignore[arg-type]
            env = frame.seed()
            frame.block(func.body, env)  # type: ignore[attr-defined]
            result = Summary(frame.params, frame.returns, frame.summary_sinks)
        finally:
            self.in_progress.discard(func)
            self.owners.pop()
        self.summaries[func] = result
        return result

    # -- positions ---------------------------------------------------------------------------
    def span(self, node: ast.AST) -> Span:
        return self.source.span_of(node)

    def step(self, node: ast.AST, message: str) -> Step:
        return Step(self.path, self.span(node), message)

    def label(self, node: ast.AST) -> str:
        return _short(self.source.text_of(node))

    def record(self, hit: Hit) -> None:
        key = (hit.kind, hit.span)
        old = self.hits.get(key)
        owner = self.owners[-1] if self.owners else None
        if old is not None and self.hit_owners[key] is not owner:
            self.contested = True
        if old is None or (not old.trace.remote and hit.trace.remote):
            self.hits[key] = hit
            self.hit_owners[key] = owner

    # -- other modules -----------------------------------------------------------------------
    def external(self, qualified: str) -> "tuple[Analysis, ast.AST] | None":
        """A function of another workspace module, by its qualified name (`app.db.run_query`)."""
        if self.resolver is None or self.depth >= 2 or "." not in qualified:
            return None
        module, _, name = qualified.rpartition(".")
        level = len(module) - len(module.lstrip("."))
        path = self.resolver(self.path, module.lstrip("."), level)
        if path is None or path == self.path:
            return None
        analysis = self.cache.get(path)
        if analysis is None:
            text = self.cache.get(("text", path))
            if text is None:
                return None
            key = (path, self.depth + 1, hash(text))
            analysis = _OTHER_FILES.get(key)
            if analysis is None:
                other = SourceFile(text, path, tree=trees.tree_for_text(path, text, parse=True))
                if other.tree is None:
                    return None
                analysis = Analysis(other, self.resolver, self.cache, self.depth + 1)
                if len(_OTHER_FILES) >= 64:
                    _OTHER_FILES.pop(next(iter(_OTHER_FILES)))
                _OTHER_FILES[key] = analysis
            self.cache[path] = analysis
        func = analysis.functions.get(name)
        return (analysis, func) if func is not None else None


# Analyses of imported workspace files by (path, depth, text): an editor re-analyses the open
# file on every keystroke, the files it imports rarely change. Summaries are computed lazily
# and stay valid while the text does (a change two imports away can leave one stale).
_OTHER_FILES: dict[tuple, Analysis] = {}


class Frame:
    """One function's (or the module body's) run."""

    def __init__(self, analysis: Analysis, func: ast.FunctionDef | ast.AsyncFunctionDef | None) -> None:
        self.a = analysis
        self.func = func
        self.cls = analysis.class_of.get(func) if func is not None else None
        self.returns: Taint = CLEAN
        self.summary_sinks: list[SummarySink] = []
        self.params: list[str] = []
        self.requests: set[str] = set()
        self.route = func is not None and src.route_of(func) is not None
        self.handler = self.cls is not None and src.is_http_handler(self.cls)
        self.guards: dict[str, tuple[str, frozenset[str]]] = {}  # m = re.fullmatch(P, x): m true -> x clean
        self.parsed: dict[str, str] = {}  # u = urlparse(x): u.hostname checked -> x checked
        self.patterns: dict[str, bool] = {}  # p = re.compile(...): anchored?

    def seed(self) -> Env:
        func = self.func
        assert func is not None
        env: Env = {}
        in_class = self.cls is not None and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in func.decorator_list
        )
        entry = src.entry_point(func, self.a.names, in_class)
        if entry is not None:
            self.requests = set(entry.requests)
        args = func.args
        positional = args.posonlyargs + args.args
        if in_class and positional and positional[0].arg in ("self", "cls"):
            positional = positional[1:]
        for arg in positional + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a is not None]:
            if arg in positional:
                self.params.append(arg.arg)
            if entry is not None and arg.arg in entry.tainted:
                origin = self.a.step(arg, f"`{arg.arg}`: {entry.tainted[arg.arg]}")
                env[arg.arg] = (Trace(origin, arg.arg, True),)
            elif arg.arg in self.requests:
                env[arg.arg] = CLEAN
            else:
                origin = self.a.step(arg, f"parameter `{arg.arg}`")
                env[arg.arg] = (Trace(origin, arg.arg, False, param=arg.arg),)
        for arg in args.kwonlyargs:
            if arg.arg not in self.params:
                self.params.append(arg.arg)
        return env

    # -- statements --------------------------------------------------------------------------
    def block(self, stmts: list[ast.stmt], env: Env | None) -> Env | None:
        for stmt in stmts:
            if env is None:
                return None
            env = self.stmt(stmt, env)
        return env

    def stmt(self, node: ast.stmt, env: Env) -> Env | None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            env[node.name] = CLEAN
            return env
        if isinstance(node, ast.Assign):
            taint = self.ev(node.value, env)
            for target in node.targets:
                self.bind(target, taint, env, node.value)
            return env
        if isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.bind(node.target, self.ev(node.value, env), env, node.value)
            return env
        if isinstance(node, ast.AugAssign):
            taint = union(self.ev(node.target, env), self.ev(node.value, env))
            if taint and _has_html(node.value):
                taint = mark_html(taint)
            self.bind(node.target, taint, env, node.value)
            return env
        if isinstance(node, ast.Return):
            if node.value is not None:
                taint = self.ev(node.value, env)
                self.returns = union(self.returns, taint)
                if self.route and self.a.flask_like:
                    value = node.value.elts[0] if isinstance(node.value, ast.Tuple) and node.value.elts else node.value
                    self.html_response(value, self.ev(value, env) if value is not node.value else taint, "the response")
            return None
        if isinstance(node, ast.Raise):
            if node.exc is not None:
                self.ev(node.exc, env)
            return None
        if isinstance(node, (ast.Continue, ast.Break)):
            return None
        if isinstance(node, ast.Expr):
            self.ev(node.value, env)
            value = node.value.value if isinstance(node.value, ast.Await) else node.value
            if isinstance(value, ast.Call) and self.a.names.qualname(value.func) in TERMINATORS:
                return None
            return env
        if isinstance(node, ast.If):
            self.ev(node.test, env)
            body = self.block(node.body, self.refine(node.test, True, dict(env)))
            orelse = self.block(node.orelse, self.refine(node.test, False, dict(env)))
            return merge(body, orelse)
        if isinstance(node, (ast.For, ast.AsyncFor)):
            items = self.ev(node.iter, env)
            return self.loop(node, env, lambda e: self.bind(node.target, items, e, node.iter))
        if isinstance(node, ast.While):
            self.ev(node.test, env)
            return self.loop(node, env, lambda e: None, test=node.test)
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                taint = self.ev(item.context_expr, env)
                if item.optional_vars is not None:
                    # `with open(p) as f`: f is the file, not the path; keep taint only for plain values
                    kept = CLEAN if isinstance(item.context_expr, ast.Call) else taint
                    self.bind(item.optional_vars, kept, env, item.context_expr)
            return self.block(node.body, env)
        if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            body = self.block(node.body, dict(env))
            start = merge(env, body) or env
            outs = [self.block(node.orelse, dict(body)) if body is not None else None]
            for handler in node.handlers:
                henv = dict(start)
                if handler.name:
                    henv[handler.name] = CLEAN
                outs.append(self.block(handler.body, henv))
            out = None
            for o in outs:
                out = merge(out, o)
            if node.finalbody:
                final = self.block(node.finalbody, dict(out if out is not None else start))
                return final if out is not None else None
            return out
        if isinstance(node, ast.Match):
            subject = self.ev(node.subject, env)
            out: Env | None = dict(env)
            for case in node.cases:
                cenv = dict(env)
                for sub in ast.walk(case.pattern):
                    name = getattr(sub, "name", None)
                    if isinstance(name, str):
                        cenv[name] = subject
                if case.guard is not None:
                    cenv = self.refine(case.guard, True, cenv)
                out = merge(out, self.block(case.body, cenv))
            return out
        if isinstance(node, ast.Assert):
            self.ev(node.test, env)
            return self.refine(node.test, True, env)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                env[(alias.asname or alias.name).split(".")[0]] = CLEAN
            return env
        if isinstance(node, ast.Delete):
            return env
        for child in astutil.children(node):  # Global, Nonlocal, Pass, ...: evaluate expressions for sinks
            if isinstance(child, ast.expr):
                self.ev(child, env)
        return env

    def loop(self, node, env: Env, bind: Callable[[Env], None], test: ast.expr | None = None) -> Env | None:
        entry = env
        for _ in range(3):
            body_env = dict(entry)
            bind(body_env)
            if test is not None:
                body_env = self.refine(test, True, body_env)
            out = self.block(node.body, body_env)
            new = merge(entry, out) or entry
            if new == entry:
                break
            entry = new
        if node.orelse:
            return merge(entry, self.block(node.orelse, dict(entry)))
        return entry

    def bind(self, target: ast.expr, taint: Taint, env: Env, value: ast.expr | None = None) -> None:
        if isinstance(target, ast.Name):
            if taint:
                taint = add_step(taint, self.a.step(target, f"assigned to `{target.id}`"))
            env[target.id] = taint
            self.note_value(target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            parts = value.elts if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts) else None
            for i, elt in enumerate(target.elts):
                if isinstance(elt, ast.Starred):
                    elt = elt.value
                if parts is not None and not any(isinstance(p, ast.Starred) for p in parts):
                    self.bind(elt, self.ev(parts[i], env), env, parts[i])
                else:
                    self.bind(elt, taint, env)
        elif isinstance(target, ast.Attribute):
            key = dotted_name(target)
            if key is not None:
                env[key] = add_step(taint, self.a.step(target, f"assigned to `{key}`")) if taint else taint
        elif isinstance(target, ast.Subscript):
            self.ev(target.slice, env)
            if self.is_headers(target.value):
                self.check("crlf", target, taint, target, f"{self.a.label(target)} =")
            key = dotted_name(target.value)
            if key is not None and taint:
                env[key] = union(self.lookup(key, env), add_step(taint, self.a.step(target, f"stored in `{key}`")))
        elif isinstance(target, ast.Starred):
            self.bind(target.value, taint, env)

    def note_value(self, name: str, value: ast.expr | None) -> None:
        """Remember what a name holds when a later check about it cleans something else."""
        self.guards.pop(name, None)
        self.parsed.pop(name, None)
        self.patterns.pop(name, None)
        if not isinstance(value, ast.Call):
            return
        qual = self.a.names.qualname(value.func)
        if qual in san.REGEX_MATCH and len(value.args) >= 2:
            subject = dotted_name(value.args[1])
            if subject and san.anchored(value.args[0], qual.rsplit(".", 1)[-1]):
                self.guards[name] = (subject, san.ALL)
        elif isinstance(value.func, ast.Attribute) and value.func.attr in ("fullmatch", "match") and value.args:
            pattern = dotted_name(value.func.value)
            subject = dotted_name(value.args[0])
            if subject and (value.func.attr == "fullmatch" or self.patterns.get(pattern or "", False)):
                self.guards[name] = (subject, san.ALL)
        elif qual in san.URLPARSE and value.args:
            subject = dotted_name(value.args[0])
            if subject:
                self.parsed[name] = subject
        elif qual == "re.compile" and value.args:
            self.patterns[name] = san.anchored(value.args[0], "search")

    def is_headers(self, node: ast.AST) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "headers") or (isinstance(node, ast.Name) and node.id == "headers")

    # -- conditions --------------------------------------------------------------------------
    def refine(self, test: ast.expr, truth: bool, env: Env) -> Env:
        """The environment on the branch where `test` is `truth`: what the check proved clean."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.refine(test.operand, not truth, env)
        if isinstance(test, ast.BoolOp):
            if isinstance(test.op, ast.And) == truth:  # `a and b` true / `a or b` false: every part
                for value in test.values:
                    env = self.refine(value, truth, env)
                return env
            # `a and b` false / `a or b` true: one part decided it, after the earlier ones did not
            out: Env | None = None
            before = env
            for value in test.values:
                out = merge(out, self.refine(value, truth, dict(before)))
                before = self.refine(value, not truth, before)
            return out if out is not None else env
        if isinstance(test, ast.Name) and not truth and test.id not in self.guards:
            return self.clean_key(test.id, san.ALL, env)  # an empty value carries nothing
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            holds = truth if isinstance(op, (ast.In, ast.Eq, ast.Is)) else (not truth if isinstance(op, (ast.NotIn, ast.NotEq, ast.IsNot)) else None)
            if holds and isinstance(op, (ast.In, ast.NotIn)) and san.is_constant_collection(right, self.a.constants):
                return self.clean_subject(test.left, san.ALL, env)
            if holds and isinstance(op, (ast.Eq, ast.NotEq)) and isinstance(right, ast.Constant):
                return self.clean_subject(test.left, san.ALL, env)
            return env
        if isinstance(test, ast.Name) and truth and test.id in self.guards:
            key, kinds = self.guards[test.id]
            return self.clean_key(key, kinds, env)
        if isinstance(test, ast.Call) and truth:
            func = test.func
            qual = self.a.names.qualname(func)
            if qual in san.REGEX_MATCH and len(test.args) >= 2 and san.anchored(test.args[0], qual.rsplit(".", 1)[-1]):
                return self.clean_subject(test.args[1], san.ALL, env)
            if qual == "isinstance" and len(test.args) == 2:
                kinds = dotted_name(test.args[1])
                if kinds in ("int", "float", "bool", "uuid.UUID", "UUID"):
                    return self.clean_subject(test.args[0], san.ALL, env)
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if (qual in san.SAFE_URL_CHECKS or name in san.SAFE_URL_NAMES) and (test.args or test.keywords):
                subject = test.args[0] if test.args else next((k.value for k in test.keywords if k.arg == "url"), test.keywords[0].value)
                return self.clean_subject(subject, frozenset({"redirect", "ssrf"}), env)
            if isinstance(func, ast.Attribute):
                if func.attr in san.GUARD_METHODS:
                    return self.clean_subject(func.value, san.ALL, env)
                if func.attr in ("fullmatch", "match") and test.args:
                    pattern = dotted_name(func.value)
                    if func.attr == "fullmatch" or self.patterns.get(pattern or "", False):
                        return self.clean_subject(test.args[0], san.ALL, env)
                if func.attr in san.CONTAINMENT_METHODS and test.args:
                    return self.clean_subject(func.value, frozenset({"path"}), env)
        return env

    def clean_subject(self, node: ast.AST, kinds: frozenset[str], env: Env) -> Env:
        """Clean the variable a check is about: `x`, `x.lower()`, `urlparse(x).hostname`, `str(x)`."""
        while True:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr not in ("hostname", "netloc"):
                qual = self.a.names.qualname(node.func)
                if qual in san.URLPARSE and node.args:
                    node, kinds = node.args[0], frozenset({"redirect", "ssrf"})
                    continue
                if qual in ("os.path.realpath", "os.path.abspath", "os.path.normpath") and node.args:
                    node = node.args[0]
                    continue
                node = node.func.value  # x.lower().strip() in ALLOWED
                continue
            if isinstance(node, ast.Call) and node.args and self.a.names.qualname(node.func) in (
                "str", "urllib.parse.urlparse", "urllib.parse.urlsplit", "pathlib.Path", "os.path.realpath", "os.path.abspath", "os.path.normpath",
            ):
                if self.a.names.qualname(node.func) in san.URLPARSE:
                    kinds = frozenset({"redirect", "ssrf"})
                node = node.args[0]
                continue
            if isinstance(node, ast.Attribute) and node.attr in ("hostname", "netloc", "scheme"):
                base = dotted_name(node.value)
                if base in self.parsed:
                    env = self.clean_key(self.parsed[base], frozenset({"redirect", "ssrf"}), env)
                if node.attr == "scheme":
                    return env  # a scheme check alone does not pin the host
                kinds = frozenset({"redirect", "ssrf"})
                node = node.value
                continue
            break
        key = dotted_name(node)
        if key is None:
            return env
        env = self.clean_key(key, kinds, env)
        if key in self.parsed:
            env = self.clean_key(self.parsed[key], kinds, env)
        return env

    def clean_key(self, key: str, kinds: frozenset[str], env: Env) -> Env:
        taint = self.lookup(key, env)
        if taint:
            env = dict(env)
            env[key] = CLEAN if kinds == san.ALL else clear(taint, kinds)
        return env

    # -- expressions -------------------------------------------------------------------------
    def lookup(self, key: str, env: Env) -> Taint:
        if key in env:
            return env[key]
        if self.func is not None and key in self.a.module_env:
            return self.a.module_env[key]
        return CLEAN

    def fresh(self, taint: Taint, inner: ast.AST, outer: ast.AST, env: Env | None = None) -> Taint:
        """`request.args` -> `request.args['id']`: name the source as written."""
        if len(taint) != 1:
            return taint
        trace = taint[0]
        if trace.steps or trace.param is not None or trace.origin.span != self.a.span(inner):
            return taint
        description = trace.origin.message.split(": ", 1)[-1]
        label = self.a.label(outer)
        return (replace(trace, origin=self.a.step(outer, f"`{label}`: {description}"), label=label),)

    def source_here(self, node: ast.AST, description: str, remote: bool) -> Taint:
        label = self.a.label(node)
        return (Trace(self.a.step(node, f"`{label}`: {description}"), label, remote),)

    def attr_source(self, node: ast.Attribute) -> Taint:
        value = node.value
        names = self.a.names
        if node.attr in src.FLASK_ATTRS and names.qualname(value) in src.FLASK_REQUESTS:
            return self.source_here(node, "request data", True)
        if node.attr in src.REQUEST_ATTRS:
            key = dotted_name(value)
            if key in self.requests or (key == "self.request" and self.a.web):
                return self.source_here(node, "request data", True)
        if self.handler and node.attr in src.HANDLER_ATTRS and isinstance(value, ast.Name) and value.id == "self":
            return self.source_here(node, "request data", True)
        qual = names.qualname(node)
        if qual in src.LOCAL_QUALIFIED:
            return self.source_here(node, src.LOCAL_QUALIFIED[qual], False)
        return CLEAN

    def ev(self, node: ast.AST, env: Env) -> Taint:
        kind = type(node)
        method = _EVALUATORS.get(kind, _UNKNOWN)
        if method is _UNKNOWN:  # by type, once: a name built and looked up per node costs
            method = _EVALUATORS[kind] = getattr(Frame, "ev_" + kind.__name__, None)
        if method is not None:
            return method(self, node, env)
        for child in astutil.children(node):  # Compare, UnaryOp, Slice, ...: sinks inside, a clean result
            if isinstance(child, ast.expr):
                self.ev(child, env)
        return CLEAN

    def ev_Constant(self, node, env) -> Taint:
        return CLEAN

    def ev_Name(self, node: ast.Name, env: Env) -> Taint:
        return self.lookup(node.id, env)

    def ev_Attribute(self, node: ast.Attribute, env: Env) -> Taint:
        key = dotted_name(node)
        if key is not None and (key in env or (self.func is not None and key in self.a.module_env)):
            return self.lookup(key, env)
        found = self.attr_source(node)
        if found:
            return found
        return self.fresh(self.ev(node.value, env), node.value, node)

    def ev_Subscript(self, node: ast.Subscript, env: Env) -> Taint:
        self.ev(node.slice, env)
        return self.fresh(self.ev(node.value, env), node.value, node)

    def ev_Starred(self, node: ast.Starred, env: Env) -> Taint:
        return self.ev(node.value, env)

    def ev_Await(self, node: ast.Await, env: Env) -> Taint:
        return self.ev(node.value, env)

    def ev_FormattedValue(self, node: ast.FormattedValue, env: Env) -> Taint:
        taint = self.ev(node.value, env)
        if node.format_spec is not None:
            self.ev(node.format_spec, env)
        if node.conversion in (ord("r"), ord("a")):
            taint = clear(taint, frozenset({"crlf"}))
        return taint

    def ev_JoinedStr(self, node: ast.JoinedStr, env: Env) -> Taint:
        taint = self.pieces(node.values, env)
        return mark_html(taint) if taint and _has_html(node) else taint

    def pieces(self, parts: list[ast.expr], env: Env) -> Taint:
        """The taint of text assembled from parts. Input that follows a fixed host or path
        (`f"/items/{x}"`, `"https://api.example.com/" + x`, `f"{url}?{query}"`) cannot choose
        where a redirect or request goes."""
        out: list[Taint] = []
        fixed = False
        for i, part in enumerate(parts):
            if isinstance(part, ast.Constant):
                text = part.value if isinstance(part.value, str) else ""
                if (i == 0 and _FIXED_START.match(text)) or "?" in text or "#" in text:
                    fixed = True
                continue
            taint = self.ev(part, env)
            out.append(clear(taint, _WHERE) if fixed else taint)
        return union(*out)

    def ev_BinOp(self, node: ast.BinOp, env: Env) -> Taint:
        parts: list[ast.expr] = [node.left, node.right]
        if isinstance(node.op, ast.Add):
            parts = _flatten_add(node)
            taint = self.pieces(parts, env)
        elif isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            taint = self.pieces(_percent_parts(node), env)
        else:
            left, right = self.ev(node.left, env), self.ev(node.right, env)
            if not isinstance(node.op, (ast.Mod, ast.Mult, ast.Div)):
                return CLEAN  # arithmetic and set algebra: no text of the input survives
            taint = union(left, right)  # "-" * n, Path(base) / name
        if taint and any(_has_html(p) for p in parts):
            taint = mark_html(taint)
        return taint

    def ev_BoolOp(self, node: ast.BoolOp, env: Env) -> Taint:
        return union(*(self.ev(v, env) for v in node.values))

    def ev_IfExp(self, node: ast.IfExp, env: Env) -> Taint:
        self.ev(node.test, env)
        return union(self.ev(node.body, self.refine(node.test, True, env)), self.ev(node.orelse, self.refine(node.test, False, env)))

    def ev_List(self, node, env: Env) -> Taint:
        return union(*(self.ev(e, env) for e in node.elts))

    ev_Tuple = ev_List
    ev_Set = ev_List

    def ev_Dict(self, node: ast.Dict, env: Env) -> Taint:
        return union(*(self.ev(k, env) for k in node.keys if k is not None), *(self.ev(v, env) for v in node.values))

    def ev_NamedExpr(self, node: ast.NamedExpr, env: Env) -> Taint:
        taint = self.ev(node.value, env)
        self.bind(node.target, taint, env, node.value)
        return taint

    def ev_Lambda(self, node, env) -> Taint:
        return CLEAN

    def _comprehension(self, node, env: Env, parts: list[ast.expr]) -> Taint:
        inner = dict(env)
        for gen in node.generators:
            self.bind(gen.target, self.ev(gen.iter, inner), inner, gen.iter)
            for cond in gen.ifs:
                self.ev(cond, inner)
                inner = self.refine(cond, True, inner)
        return union(*(self.ev(p, inner) for p in parts))

    def ev_ListComp(self, node, env: Env) -> Taint:
        return self._comprehension(node, env, [node.elt])

    ev_SetComp = ev_ListComp
    ev_GeneratorExp = ev_ListComp

    def ev_DictComp(self, node, env: Env) -> Taint:
        return self._comprehension(node, env, [node.key, node.value])

    # -- calls -------------------------------------------------------------------------------
    def ev_Call(self, node: ast.Call, env: Env) -> Taint:
        names = self.a.names
        func = node.func
        qual = names.qualname(func)
        receiver = CLEAN
        if isinstance(func, ast.Attribute):
            source = self.attr_source(func)
            receiver = source if source else self.ev(func.value, env)
            if source:
                for arg in node.args:
                    self.ev(arg, env)
                return self.fresh(source, func, node)
        else:
            self.ev(func, env)
        args = [self.ev(a, env) for a in node.args]
        kwargs = {kw.arg: self.ev(kw.value, env) for kw in node.keywords}
        by_node = {id(a): t for a, t in zip(node.args, args)}
        by_node.update({id(kw.value): kwargs[kw.arg] for kw in node.keywords})
        everything = union(*args, *kwargs.values())

        # sinks
        for kind, exprs in sinks_of(node, qual, names):
            for expr in exprs:
                taint = by_node.get(id(expr))
                if taint is None:
                    taint = self.ev(expr, env)
                self.check(kind, node, taint, expr, self.sink_label(node))
        if receiver:
            for kind, expr in receiver_sinks(node):
                taint = receiver if expr is func.value else by_node.get(id(expr), CLEAN)  # type: ignore[union-attr]
                self.check(kind, node, taint, expr, self.sink_label(node))
        if qual in RESPONSE_HTML and args:
            self.html_response(node.args[0], args[0], f"`{self.sink_label(node)}`")

        # the value of the call
        if qual in san.CALLS:
            kinds = san.CALLS[qual]
            return CLEAN if kinds == san.ALL else clear(everything, kinds)
        if qual in src.LOCAL_CALLS:
            return self.source_here(node, src.LOCAL_CALLS[qual], False)
        if isinstance(func, ast.Attribute):
            if func.attr in src.LOCAL_METHODS and not args:
                return self.source_here(node, src.LOCAL_METHODS[func.attr], False)
            if func.attr in src.REMOTE_METHODS and qual is None:
                return self.source_here(node, src.REMOTE_METHODS[func.attr], True)
        if qual in PROPAGATORS:
            return everything
        summary = self.call_summary(node, qual, env, args, kwargs)
        if summary is not None:
            return summary
        if isinstance(func, ast.Attribute):
            attr = func.attr
            if receiver:
                if attr in san.CLEAN_METHODS:
                    return CLEAN
                if attr == "get" and _converts(node):
                    return CLEAN
                taint = self.fresh(union(receiver, everything), func.value, node) if not everything else union(receiver, everything)
                if san.crlf_replace(node):
                    taint = clear(taint, frozenset({"crlf"}))
                return taint
            if attr in COMBINERS and everything:
                return mark_html(everything) if _has_html(func.value) else everything
            if attr in MUTATORS and everything:
                key = dotted_name(func.value)
                if key is not None:
                    env[key] = union(self.lookup(key, env), add_step(everything, self.a.step(node, f"added to `{key}`")))
                return CLEAN
        return CLEAN

    def sink_label(self, node: ast.Call) -> str:
        func = node.func
        text = self.a.source.text_of(func)
        if len(text) > 40 or "\n" in text:
            text = func.attr if isinstance(func, ast.Attribute) else "call"
        return f"{text}()"

    def check(self, kind: str, sink: ast.AST, taint: Taint, arg: ast.AST | None, label: str) -> None:
        trace = first_reaching(taint, kind)
        if trace is None:
            return
        if trace.param is not None:
            self.summary_sinks.append(
                SummarySink(trace.param, kind, self.a.step(sink, f"reaches `{label}`"), label, trace.steps, trace.cleared,
                            sink if isinstance(sink, ast.Call) else None, arg)
            )
            return
        self.a.record(Hit(kind, self.a.path, self.a.span(sink), label, trace, sink, arg))

    def html_response(self, value: ast.AST, taint: Taint, label: str) -> None:
        html = tuple(t for t in taint if t.html)
        if html:
            self.check("xss", value, html, value, label.strip("`").rstrip("()") if label.startswith("`") else label)

    # -- summaries ---------------------------------------------------------------------------
    def callee(self, node: ast.Call, qual: str | None) -> "tuple[Analysis, ast.AST] | None":
        func = node.func
        a = self.a
        if isinstance(func, ast.Name):
            if func.id in a.functions and func.id not in a.names.imports:
                return a, a.functions[func.id]
            if func.id in a.names.imports:
                return a.external(a.names.imports[func.id])
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in ("self", "cls") and self.cls is not None:
                method = a.methods.get(self.cls, {}).get(func.attr)
                return (a, method) if method is not None else None
            if qual is not None and func.value.id in a.names.imports:
                return a.external(qual)
        return None

    def call_summary(self, node: ast.Call, qual: str | None, env: Env, args: list[Taint], kwargs: dict) -> Taint | None:
        found = self.callee(node, qual)
        if found is None:
            return None
        analysis, func = found
        summary = analysis.summary(func)
        by_param: dict[str, Taint] = {}
        for i, taint in enumerate(args):
            if isinstance(node.args[i], ast.Starred):
                break
            if i < len(summary.params):
                by_param[summary.params[i]] = taint
        for name, taint in kwargs.items():
            if name is not None:
                by_param[name] = taint
        name = self.sink_label(node)
        same_file = analysis is self.a
        call_step = self.a.step(node, f"passed to `{name}`")
        for sink in summary.sinks:
            for trace in by_param.get(sink.param, CLEAN):
                if not trace.reaches(sink.kind) or sink.kind in sink.cleared:
                    continue
                moved = replace(trace.step(call_step), steps=trace.step(call_step).steps + sink.steps, cleared=trace.cleared | sink.cleared)
                if trace.param is not None:
                    self.summary_sinks.append(replace(sink, param=trace.param, steps=moved.steps))
                elif same_file:
                    self.a.record(Hit(sink.kind, analysis.path, sink.sink.span, sink.label, moved, sink.call, sink.arg))
                else:
                    via = f"in {analysis.path} (line {sink.sink.span.start_line + 1}) through `{name}`"
                    self.a.record(Hit(sink.kind, self.a.path, self.a.span(node), sink.label, moved.step(sink.sink), node, None, via))
        out: list[Trace] = []
        returned = self.a.step(node, f"returned by `{name}`")
        for trace in summary.returns:
            if trace.param is None:
                out.append(trace.step(returned))
                continue
            for outer in by_param.get(trace.param, CLEAN):
                out.append(replace(outer.step(returned), cleared=outer.cleared | trace.cleared, html=outer.html or trace.html))
        return union(tuple(out))


_EVALUATORS: dict[type, Callable | None] = {}  # node type -> Frame.ev_<type>, or None
_UNKNOWN = object()

_FIXED_START = re.compile(r"^(/(?![/\\])|[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]+[/?#])")
_WHERE = frozenset({"redirect", "ssrf"})
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*[\d*]*(?:\.[\d*]+)?[hlL]?[diouxXeEfFgGcrsa]")


def _flatten_add(node: ast.BinOp) -> list[ast.expr]:
    parts: list[ast.expr] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts.append(node.right)
        node = node.left  # type: ignore[assignment]
    parts.append(node)
    return parts[::-1]


def _percent_parts(node: ast.BinOp) -> list[ast.expr]:
    """`"%s?%s" % (a, b)` -> [a, Constant("?"), b]: the constants between the conversions."""
    template = node.left.value  # type: ignore[attr-defined]
    values = list(node.right.elts) if isinstance(node.right, ast.Tuple) else [node.right]
    pieces = _PERCENT.split(template)
    if len(pieces) != len(values) + 1 or any(isinstance(v, ast.Starred) for v in values):
        return [node.left, node.right]
    parts: list[ast.expr] = [ast.Constant(pieces[0])]
    for value, piece in zip(values, pieces[1:]):
        parts += [value, ast.Constant(piece)]
    return parts


def _converts(call: ast.Call) -> bool:
    """`request.args.get("n", type=int)`: Werkzeug converts (and drops what does not convert)."""
    return any(kw.arg == 'type' and isinstance(kw.value, ast.Name) and (kw.value.id in ('int', 'float', 'bool')) for kw in call.keywords)


def merge(a: Env | None, b: Env | None) -> Env | None:
    if a is None:
        return b
    if b is None:
        return a
    if a is b:
        return a
    out = dict(a)
    for key, value in b.items():
        old = out.get(key)
        if old is None:
            out[key] = value
        elif old != value:
            out[key] = union(old, value)
    return out


# Text one piece of which every source needs somewhere in the file (or an import from the
# workspace, whose functions may return input). A file with none of them has nothing to follow.
# Plain substring tests: a regular expression with many branches costs ~20 ms on a 7k-line file.
_SOURCE_HINTS = (
    "request", "Request", "(req", "argv", "environ", "getenv", "input(", "stdin", ".recv", "parse_args",
    "parse_known_args", ".route(", "(\"/", "('/", "HTTPRequestHandler",
)


def _may_have_sources(text: str) -> bool:
    return any(hint in text for hint in _SOURCE_HINTS)


def analyze_source(
    source: SourceFile, resolver: Resolver | None = None, texts: Callable[[str], "str | None"] | None = None, plan=None, records=None,
    stamps: Callable[[str], object] | None = None,
) -> list[Hit]:
    """Every hit in one file, in position order.

    `plan` and `records` (the language server's fast tier, see leery.core.incremental): the
    last version's hits are reused for every function the edit cannot have changed. `stamps`:
    what tells cheaply whether another file reads differently now (Workspace.stamp)."""
    if source.tree is None:
        return []
    if not _may_have_sources(source.text) and (resolver is None or not _imports_local(source.tree)):
        return []
    cache: dict = {}
    if resolver is not None and texts is not None:
        cache = _TextCache(texts, stamps)
    if resolver is not None:
        resolver = functools.lru_cache(maxsize=None)(resolver)  # one file system lookup per module and call
    if plan is None:
        analysis = Analysis(source, resolver, cache).run()
        return sorted(analysis.hits.values(), key=lambda h: (h.span, h.kind))
    from leery.core.taint import reuse

    return reuse.analyze(lambda: Analysis(source, resolver, cache), plan, records, texts, stamps)


class _TextCache(dict):
    """Analyses of other files by path; their text read on demand through the workspace."""

    def __init__(self, texts: Callable[[str], "str | None"], stamps: Callable[[str], object] | None = None) -> None:
        super().__init__()
        self.texts = texts
        self.stamps = stamps
        self.read: dict[str, str | None] = {}  # what other files the analysis read, as it read them
        self.stamped: dict[str, object] = {}  # their stamps, taken just before the read

    def get(self, key, default=None):  # type: ignore[override]
        if isinstance(key, tuple) and key[0] == "text":
            if self.stamps is not None:
                self.stamped[key[1]] = self.stamps(key[1])
            text = self.texts(key[1])
            self.read[key[1]] = text
            return text
        return super().get(key, default)


def _imports_local(tree: ast.Module) -> bool:
    """Relative imports, or any `from x import y` (x may be a workspace module)."""
    return any(isinstance(node, ast.ImportFrom) for node in tree.body)
