"""LY2xx: untrusted input that reaches a dangerous sink unvalidated.

The taint engine (leery.core.taint) runs once per file; each rule here reports the hits of one
sink kind, with the path from source to sink as related locations and as `extra["flow"]`.
"""

from __future__ import annotations

import ast
import functools

from leery.core.findings import Applicability, Confidence, Fix, Related, Severity
from leery.core.registry import rule
from leery.core.taint import engine as taint_engine
from leery.core.taint import fixes as taint_fixes

GUIDANCE = {
    "sql": "Pass the input as a query parameter instead of building the SQL text",
    "shell": "Pass an argument list without a shell, or check the input against an allowlist",
    "code": "Never evaluate input; map it to allowed values (a dict of functions) instead",
    "path": "Reduce the input to a file name (secure_filename) and check the result stays in the base folder",
    "ssrf": "Check the URL's host against an allowlist before requesting it",
    "deserialization": "Load input with a data-only format (json, yaml.safe_load, weights_only=True)",
    "redirect": "Redirect only to relative paths or allowlisted hosts (url_has_allowed_host_and_scheme)",
    "xss": "Escape the input (html.escape / markupsafe.escape) or render it through an auto-escaping template",
    "ssti": "Use a fixed template and pass the input as a template variable",
    "crlf": "Strip CR and LF from the input (or log it with %r) before it goes into a header or log line",
    "ldap": "Escape the input with escape_filter_chars before building the filter",
    "xpath": "Pass the input as an XPath variable ($name) instead of building the expression",
    "redos": "Escape the input with re.escape, or match it literally (`in`, str.find)",
    "xml": "Parse input with defusedxml, or an lxml parser with resolve_entities=False",
}
WHAT = {
    "sql": "as SQL text", "shell": "as a command", "program": "as the program to run", "code": "as code",
    "import": "as the module to import", "path": "as a file path", "ssrf": "as the URL",
    "deserialization": "as data to unpickle", "redirect": "as the redirect target", "xss": "as HTML",
    "ssti": "as template text", "crlf": "into a header or log line", "ldap": "as an LDAP filter",
    "xpath": "as an XPath expression", "redos": "as a regular expression", "xml": "as XML with entities",
}


def hits(ctx) -> list[taint_engine.Hit]:
    """The taint engine's hits for this file, computed once and shared by every LY2xx rule."""
    cached = getattr(ctx, "_taint_hits", None)
    if isinstance(cached, BaseException):
        return []  # the first LY2xx rule already reported the failure (LY004)
    if cached is None:
        resolver = texts = stamps = None
        workspace = ctx.workspace
        if workspace is not None and getattr(workspace, "root", None) is not None:
            from leery.workspace import modules

            resolver = functools.partial(modules.resolve, workspace.root)
            texts = workspace.read
            stamps = getattr(workspace, "stamp", None)
        try:
            cached = taint_engine.analyze_source(ctx.source, resolver, texts, ctx.plan, ctx.records, stamps)
        except Exception as exc:
            ctx._taint_hits = exc
            raise
        ctx._taint_hits = cached
    return cached


def _scope(ctx, node: ast.AST) -> ast.AST | None:
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        node = ctx.parent_of(node)
    return node


def _fix(kind: str, hit: taint_engine.Hit, ctx) -> Fix:
    call = hit.call if isinstance(hit.call, ast.Call) and hit.path == ctx.path and hit.via is None else None
    fix = None
    if call is not None:
        from leery.core.taint.names import Names

        names = getattr(ctx, "_taint_names", None) or Names(ctx.source.tree)
        ctx._taint_names = names
        if kind == "sql":
            fix = taint_fixes.parameterize_sql(ctx.source, names, call, hit.arg, _scope(ctx, call))
        elif kind == "shell":
            fix = taint_fixes.shell_to_argv(ctx.source, call)
        elif kind == "deserialization":
            fix = taint_fixes.safe_loader(ctx.source, names, call)
    return fix or Fix(GUIDANCE[SAME_RULE.get(kind, kind)], Applicability.DISPLAY_ONLY)


SAME_RULE = {"program": "shell", "import": "code"}


def report(ctx, kind: str) -> None:
    if ctx.is_test_file:
        return  # test views echo input on purpose, and tests are not deployed
    for hit in hits(ctx):
        if SAME_RULE.get(hit.kind, hit.kind) != kind or hit.path != ctx.path:
            continue
        trace = hit.trace
        line = trace.origin.span.start_line + 1
        where = f"`{hit.sink}` {hit.via}" if hit.via else f"`{hit.sink}` here"
        where_origin = "" if trace.origin.path == ctx.path else f" in {trace.origin.path}"
        message = f"`{trace.label}` (line {line}{where_origin}) reaches {where} unvalidated, {WHAT[hit.kind]}"
        steps = hit.steps
        related = [Related(s.path, s.span, s.message) for s in steps]
        flow = [s.to_dict() for s in steps]
        last = f"this call leads to `{hit.sink}` {hit.via}" if hit.via else f"reaches `{hit.sink}`"
        flow.append({"path": ctx.path, "span": hit.span.to_dict(), "message": last})
        confidence = None if trace.remote else Confidence.MEDIUM
        ctx.report(hit.span, message, fix=_fix(hit.kind, hit, ctx), related=related, confidence=confidence,
                   extra={"flow": flow, "source": trace.label, "sink": hit.sink})


_MODULE = (ast.Module,)


@rule("LY201", "sql-built-from-input", summary="Input reaches the text of an SQL query.", nodes=_MODULE,
      severity=Severity.ERROR, fixable=True)
def sql_built_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows request data (and, with medium confidence, command-line and environment values) into
    the SQL text given to DB-API `execute`/`executemany`, SQLAlchemy `text()`, Django
    `raw()`/`extra()`/`RawSQL` and `pandas.read_sql`. The parameter tuple is never the problem;
    only the query text is checked.

    ## Why it matters
    A query assembled with an f-string, `%`, `+` or `.format` runs whatever SQL the input spells:
    `' OR '1'='1` reads every row, `'; DROP TABLE users; --` does worse. Generated handlers do this
    often because it reads naturally and works on every test that uses polite input.

    ## What to check in review
    Follow the related locations from the source to the query. If the value was converted to a
    number or checked against a fixed set before this line, the finding is a false positive;
    say so with a suppression reason.

    ## Example
    ```python
    uid = request.args["id"]
    cursor.execute(f"SELECT * FROM users WHERE id = '{uid}'")
    ```

    ## Use instead
    ```python
    uid = request.args["id"]
    cursor.execute("SELECT * FROM users WHERE id = ?", (uid,))
    ```

    ## Fix safety
    The fix rewrites an f-string, `%`, `+` or `.format` query into placeholders for the driver the
    module imports (sqlite3 `?`, psycopg/MySQL/Django `%s`, asyncpg `$n`, SQLAlchemy `text()`
    `:name` with `.bindparams`) and passes the values separately. It is unsafe: quoting and
    types now come from the driver (a value that was meant to be pasted in as SQL, such as a
    column name, stops working). No edit is offered when the driver is unclear or the input sits
    inside a quoted literal such as `LIKE '%{x}%'`.

    ## Known limitations
    Values pass through calls of the same module and of workspace modules that can be found by
    path; other libraries' functions are assumed to return clean values. Identifiers (table and
    column names) cannot be parameterized: use an allowlist.
    """
    report(ctx, "sql")


@rule("LY202", "shell-command-from-input", summary="Input reaches a shell command or the program that is run.",
      nodes=_MODULE, severity=Severity.ERROR, fixable=True)
def shell_command_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows input into `os.system`, `os.popen`, `subprocess.*` with `shell=True`, a command
    written as one string, or the program (first element) of an argument list.

    ## Why it matters
    A shell reads `;`, `|`, `$(...)` and backquotes in the input as commands: `file.txt; rm -rf ~`.
    Even without a shell, input that chooses the program runs whatever it names.

    ## What to check in review
    Check whether the value was quoted with `shlex.quote` or checked against a fixed set on every
    path to this call.

    ## Example
    ```python
    subprocess.run(f"ping -c 1 {host}", shell=True)
    ```

    ## Use instead
    ```python
    subprocess.run(["ping", "-c", "1", host])
    ```

    ## Fix safety
    The fix turns a `shell=True` call whose command is a string with inputs as whole words into
    an argument list and drops `shell=True`. It is unsafe: shell features (globbing, `~`,
    variables) stop working, and an input that held several words is now one argument. No edit
    is offered when the command uses pipes, redirections or quoting, or for `os.system`.

    ## Known limitations
    An input in a later element of an argument list is not reported (it cannot start another
    command, though some programs read options from it, such as `git --upload-pack`).
    """
    report(ctx, "shell")


@rule("LY203", "code-evaluated-from-input", summary="Input reaches eval, exec, compile or import_module.",
      nodes=_MODULE, severity=Severity.ERROR)
def code_evaluated_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows input into `eval`, `exec`, `compile`, `importlib.import_module`, `__import__` and
    `runpy`.

    ## Why it matters
    Evaluating input runs the client's code in the server process: `__import__('os').system(...)`.
    `eval` is often used by generated code to "parse" numbers or lists.

    ## What to check in review
    Look for what the evaluation is meant to do: parse a literal (`ast.literal_eval`, `json.loads`),
    choose a function (a dict lookup), or compute arithmetic (a small parser).

    ## Example
    ```python
    result = eval(request.args["expr"])
    ```

    ## Use instead
    ```python
    result = ast.literal_eval(request.args["expr"])
    ```

    ## Known limitations
    `ast.literal_eval` is treated as safe; very large inputs can still exhaust memory.
    """
    report(ctx, "code")


@rule("LY204", "path-from-input", summary="Input chooses a file path that is opened, written or deleted.",
      nodes=_MODULE, severity=Severity.WARNING)
def path_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows request data into `open`, `pathlib` reads and writes, `os`/`shutil` file operations,
    `send_file`, `FileResponse` and `save()`.

    ## Why it matters
    `../../etc/passwd` or an absolute path escapes the folder the code meant to serve or write
    to (path traversal).

    ## What to check in review
    The input is clean after `secure_filename`/`os.path.basename`, or after a check that the
    resolved path starts with (`is_relative_to`) the base folder followed by an early exit.
    `send_from_directory` does this for you.

    ## Example
    ```python
    return send_file(os.path.join(UPLOADS, request.args["name"]))
    ```

    ## Use instead
    ```python
    return send_from_directory(UPLOADS, request.args["name"])
    ```

    ## Known limitations
    Command-line arguments and environment variables are not reported here: a CLI opening the
    file it was given is doing its job.
    """
    report(ctx, "path")


@rule("LY205", "url-from-input", summary="Input chooses the URL of an outgoing request (SSRF).", nodes=_MODULE)
def url_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows request data into the URL of `requests`, `httpx`, `urllib.request` and session or
    client objects named as such.

    ## Why it matters
    The server fetches what the client names: cloud metadata (`http://169.254.169.254/`),
    internal admin pages, or files with `file://` (server-side request forgery).

    ## What to check in review
    The URL is clean after `urlparse(url).hostname in ALLOWED_HOSTS` with an early exit. A
    scheme check alone is not enough.

    ## Example
    ```python
    return requests.get(request.args["url"], timeout=5).text
    ```

    ## Use instead
    ```python
    url = request.args["url"]
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    return requests.get(url, timeout=5).text
    ```

    ## Known limitations
    A client object is recognised by its variable name (`session`, `http`, `client` with `http`);
    DNS rebinding after an allowlist check is out of scope.
    """
    report(ctx, "ssrf")


@rule("LY206", "deserialized-input", summary="Input is loaded with pickle, marshal, unsafe YAML or torch.load.",
      nodes=_MODULE, severity=Severity.ERROR, fixable=True)
def deserialized_input(node, ctx) -> None:
    """
    ## What it does
    Follows input into `pickle`/`dill`/`marshal` loads, `shelve.open`, `jsonpickle.decode`,
    `pandas.read_pickle`, `yaml.load` without a safe loader, `torch.load` without
    `weights_only=True` and `numpy.load(allow_pickle=True)`.

    ## Why it matters
    These formats rebuild arbitrary objects, and rebuilding runs code: a crafted pickle executes
    a command the moment it is loaded.

    ## What to check in review
    Is the data really from a trusted place? If it must come from a client, use a data-only
    format (JSON, `yaml.safe_load`) or sign it (`hmac`) and check the signature first.

    ## Example
    ```python
    config = yaml.load(request.data, Loader=yaml.Loader)
    ```

    ## Use instead
    ```python
    config = yaml.safe_load(request.data)
    ```

    ## Fix safety
    `yaml.load(x, Loader=...)` becomes `yaml.safe_load(x)` and `torch.load(f)` gains
    `weights_only=True`. Both are unsafe: documents with Python tags or custom constructors, and
    checkpoints that pickle whole objects, stop loading. That is the point, but a human decides.

    ## Known limitations
    `yaml.load` and `torch.load` without any input reaching them are bandit's B506 and B614.
    """
    report(ctx, "deserialization")


@rule("LY207", "redirect-to-input", summary="Input chooses where the user is redirected (open redirect).", nodes=_MODULE)
def redirect_to_input(node, ctx) -> None:
    """
    ## What it does
    Follows request data into `redirect()`, `HttpResponseRedirect` and `RedirectResponse`.

    ## Why it matters
    `/login?next=https://evil.example` sends a user who trusts your domain to a phishing page,
    with your site's reputation attached.

    ## What to check in review
    The target is clean after `url_has_allowed_host_and_scheme(...)`, a host allowlist check
    with an early exit, or membership in a fixed set of paths.

    ## Example
    ```python
    return redirect(request.args.get("next", "/"))
    ```

    ## Use instead
    ```python
    target = request.args.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.host}):
        target = "/"
    return redirect(target)
    ```

    ## Known limitations
    A check done by a helper function of another library is not recognised.
    """
    report(ctx, "redirect")


@rule("LY208", "html-built-from-input", summary="Input is pasted into HTML that is returned or marked safe (XSS).",
      nodes=_MODULE, severity=Severity.ERROR)
def html_built_from_input(node, ctx) -> None:
    """
    ## What it does
    Reports request data pasted into a string with HTML markup that a Flask-style route returns
    (or wraps in `make_response`/`Response`), and request data passed to `Markup`, `mark_safe`,
    `HttpResponse` or `HTMLResponse`.

    ## Why it matters
    `<script>` in the input runs in every visitor's browser with their session (cross-site
    scripting). Templates escape for you; hand-built HTML does not.

    ## What to check in review
    Check whether the value was escaped (`html.escape`, `markupsafe.escape`) before it was pasted.

    ## Example
    ```python
    return f"<h1>Hello {request.args['name']}</h1>"
    ```

    ## Use instead
    ```python
    return render_template("hello.html", name=request.args["name"])
    ```

    ## Known limitations
    FastAPI routes return JSON unless told otherwise, so their returned strings are not checked.
    """
    report(ctx, "xss")


@rule("LY209", "template-from-input", summary="Input becomes the template text itself (SSTI).", nodes=_MODULE,
      severity=Severity.ERROR)
def template_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows input into the template source of `render_template_string`, `jinja2.Template`,
    `Environment.from_string`, Django's and Mako's `Template`.

    ## Why it matters
    Template syntax in the input runs on the server: `{{ cycler.__init__.__globals__.os.popen('id').read() }}`
    (server-side template injection).

    ## What to check in review
    The template text must be fixed; input belongs in the keyword arguments.

    ## Example
    ```python
    return render_template_string(f"<p>Hello {name}</p>")
    ```

    ## Use instead
    ```python
    return render_template_string("<p>Hello {{ name }}</p>", name=name)
    ```

    ## Known limitations
    Templates loaded from files whose path is input are reported by LY204, not here.
    """
    report(ctx, "ssti")


@rule("LY210", "header-or-log-from-input", summary="Input goes into a response header or a log line unfiltered.",
      nodes=_MODULE, confidence=Confidence.MEDIUM)
def header_or_log_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows request data into response headers (`response.headers[...] = x`) and log calls
    (`logger.info(...)`, `logging.warning(...)`), where CR/LF characters split the line.

    ## Why it matters
    A newline in a header starts a new header (response splitting); a newline in a log line
    forges a log entry that auditors and alerting will trust.

    ## What to check in review
    `%r` / `!r`, `json.dumps`, or `.replace("\\n", "")` remove the line break; so does converting to
    a number.

    ## Example
    ```python
    logger.info(f"login failed for {request.form['user']}")
    ```

    ## Use instead
    ```python
    logger.info("login failed for %r", request.form["user"])
    ```

    ## Known limitations
    Werkzeug and most servers now reject newlines in header values; the header case matters most
    for custom servers. A log handler that escapes newlines makes the log case harmless.
    """
    report(ctx, "crlf")


@rule("LY211", "ldap-filter-from-input", summary="Input is pasted into an LDAP search filter.", nodes=_MODULE)
def ldap_filter_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows request data into the filter of python-ldap `search_s`/`search_ext_s` and ldap3
    `Connection.search`.

    ## Why it matters
    `*)(uid=*))(|(uid=*` turns "this user" into "every user" and can bypass a login check.

    ## What to check in review
    Escape the value with `escape_filter_chars` before building the filter.

    ## Example
    ```python
    conn.search("dc=example,dc=com", f"(uid={username})")
    ```

    ## Use instead
    ```python
    conn.search("dc=example,dc=com", f"(uid={escape_filter_chars(username)})")
    ```

    ## Known limitations
    ldap3's `search` is recognised when the filter argument is written as a filter string.
    """
    report(ctx, "ldap")


@rule("LY212", "xpath-from-input", summary="Input is pasted into an XPath expression.", nodes=_MODULE)
def xpath_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows request data into the expression of lxml's `.xpath()`, `etree.XPath` and `ETXPath`.

    ## Why it matters
    `' or '1'='1` makes the expression select every node: the XML version of SQL injection.

    ## What to check in review
    Pass the value as an XPath variable: `tree.xpath("//user[@name=$name]", name=value)`.

    ## Example
    ```python
    tree.xpath(f"//user[@name='{name}']")
    ```

    ## Use instead
    ```python
    tree.xpath("//user[@name=$name]", name=name)
    ```

    ## Known limitations
    ElementTree's `find`/`findall` paths are not checked (their syntax cannot select across
    conditions).
    """
    report(ctx, "xpath")


@rule("LY213", "regex-from-input", summary="Input is compiled as a regular expression (ReDoS).", nodes=_MODULE)
def regex_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows request data into the pattern of `re.compile`, `re.search`, `re.match`, `re.sub`
    and the other `re` functions.

    ## Why it matters
    A pattern such as `(a+)+$` takes exponential time on a short input: one request can hold a
    worker for minutes (regular-expression denial of service).

    ## What to check in review
    If the input is meant literally, `re.escape` it or use `in`/`str.find`.

    ## Example
    ```python
    matches = [n for n in names if re.search(request.args["q"], n)]
    ```

    ## Use instead
    ```python
    pattern = re.compile(re.escape(request.args["q"]))
    ```

    ## Known limitations
    The `regex` module and patterns that are checked by length only are not recognised.
    """
    report(ctx, "redos")


@rule("LY214", "xml-entities-from-input", summary="Input XML is parsed by lxml with entity resolution.", nodes=_MODULE)
def xml_entities_from_input(node, ctx) -> None:
    """
    ## What it does
    Follows request data into `lxml.etree.fromstring`/`XML`/`parse`/`iterparse` with the default
    parser, and `xml.dom.pulldom.parseString`.

    ## Why it matters
    External entities read local files (`<!ENTITY x SYSTEM "file:///etc/passwd">`) and nested
    entities expand into gigabytes (XXE, billion laughs). lxml resolves entities by default.

    ## What to check in review
    Use `defusedxml`, or pass `parser=etree.XMLParser(resolve_entities=False, no_network=True)`.

    ## Example
    ```python
    doc = etree.fromstring(request.data)
    ```

    ## Use instead
    ```python
    doc = defusedxml.lxml.fromstring(request.data)
    ```

    ## Known limitations
    A call with any `parser=` argument is trusted. The standard library's ElementTree does not
    resolve external entities and is not reported.
    """
    report(ctx, "xml")
