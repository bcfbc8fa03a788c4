"""The taint engine: propagation, sanitizers and summaries that samples cannot show on one line,
and the flow data the SARIF renderer reads."""

from __future__ import annotations

import textwrap

import pytest

from leery.core.config import Settings
from leery.core.engine import analyze
from leery.core.source import SourceFile
from leery.core.taint import analyze_source

HEAD = "from flask import Flask, request, abort\nimport os, re, json, shlex, html, subprocess, sqlite3\napp = Flask(__name__)\n"


def kinds(body: str) -> list[tuple[str, int]]:
    """(kind, 1-based line) of every hit in HEAD + a route whose body is `body`."""
    code = HEAD + "@app.route('/x')\ndef view():\n" + textwrap.indent(textwrap.dedent(body), "    ")
    return [(h.kind, h.span.start_line + 1) for h in analyze_source(SourceFile(code, "app.py"))]


def line_of(body: str, marker: str) -> int:
    lines = (HEAD + "@app.route('/x')\ndef view():\n" + textwrap.indent(textwrap.dedent(body), "    ")).splitlines()
    return next(i for i, line in enumerate(lines, 1) if marker in line)


@pytest.mark.parametrize(
    "body",
    [
        "q = request.args['q']\nos.system('echo ' + q)  # sink\n",
        "q = request.args['q']\ncmd = f'echo {q}'\nos.system(cmd)  # sink\n",
        "parts = ['echo']\nparts.append(request.form['x'])\nos.system(' '.join(parts))  # sink\n",
        "data = json.loads(request.data)\nos.system('echo %s' % data['name'])  # sink\n",
        "x = request.args.get('x')\nitems = [x, 'a']\nfirst, second = items\nos.system(first)  # sink\n",
        "names = [n.strip() for n in request.args['n'].split(',')]\nfor n in names:\n    os.system('rm ' + n)  # sink\n",
        "x = ''\nfor part in request.args.getlist('p'):\n    x += part\nos.system(x)  # sink\n",
        "x = 'safe'\nif request.args.get('a'):\n    x = request.args['a']\nos.system(x)  # sink\n",
        "x = '{}'.format(request.headers['X-Name'])\nos.system(x)  # sink\n",
        "x = request.cookies.get('c', '').upper().encode().decode()\nos.system(x)  # sink\n",
    ],
    ids=["assign", "fstring", "append-join", "json-percent", "unpack", "comprehension-loop", "augassign-loop",
         "branch", "format", "str-methods"],
)
def test_propagation_reaches_the_sink(body):
    assert kinds(body) == [("shell", line_of(body, "# sink"))]


@pytest.mark.parametrize(
    "body",
    [
        "n = int(request.args['n'])\nos.system(f'seq {n}')\n",
        "x = request.args['x']\nif x not in {'a', 'b'}:\n    abort(400)\nos.system(x)\n",
        "x = request.args['x']\nif not re.fullmatch(r'[a-z]+', x):\n    return 'no'\nos.system(x)\n",
        "x = request.args['x']\nm = re.fullmatch(r'[a-z]+', x)\nif not m:\n    return 'no'\nos.system(x)\n",
        "x = request.args['x']\nif not x.isdigit():\n    raise ValueError(x)\nos.system('seq ' + x)\n",
        "os.system('ls ' + shlex.quote(request.args['d']))\n",
        "x = request.args['x']\nx = 'fixed'\nos.system(x)\n",
        "x = request.args.get('n', type=int)\nos.system(f'seq {x}')\n",
        "for x in request.args.getlist('x'):\n    if x not in ('a', 'b'):\n        continue\n    os.system(x)\n",
        "subprocess.run(['echo', request.args['x']])\n",
    ],
    ids=["int", "allowlist-abort", "fullmatch-return", "match-variable", "isdigit-raise", "shlex-quote", "reassigned",
         "werkzeug-type", "allowlist-continue", "argument-list"],
)
def test_sanitizers_and_checks_make_data_clean(body):
    assert kinds(body) == []


def test_a_check_on_one_branch_only_does_not_clean():
    body = "x = request.args['x']\nif request.method == 'POST':\n    if x not in {'a'}:\n        abort(400)\nos.system(x)  # sink\n"
    assert kinds(body) == [("shell", line_of(body, "# sink"))]


def test_sanitizers_are_specific_to_their_sink():
    body = "x = shlex.quote(request.args['x'])\nos.system('ls ' + x)\nreturn f'<p>{x}</p>'  # sink\n"
    assert kinds(body) == [("xss", line_of(body, "# sink"))]
    body = "x = html.escape(request.args['x'])\nos.system('ls ' + x)  # sink\nreturn f'<p>{x}</p>'\n"
    assert kinds(body) == [("shell", line_of(body, "# sink"))]


def test_fixed_host_or_path_prefix_clears_redirect_but_not_sql():
    body = "from flask import redirect\nx = request.args['x']\nredirect(f'/items/{x}')\nredirect(x)  # sink\n"
    assert kinds(body) == [("redirect", line_of(body, "# sink"))]


def test_summaries_carry_parameters_to_returns_and_sinks():
    code = HEAD + textwrap.dedent(
        """
        def build(q):
            return "SELECT * FROM t WHERE a = '" + q + "'"

        def run(sql):
            sqlite3.connect("db").execute(sql)  # sink

        def clean(v):
            return int(v)

        def loop(v):
            return loop(v)

        @app.route("/a")
        def a():
            run(build(request.args["q"]))
            run(build(str(clean(request.args["n"]))))
            loop(request.args["z"])
            return "ok"
        """
    )
    hits = analyze_source(SourceFile(code, "app.py"))
    assert [(h.kind, h.span.start_line + 1) for h in hits] == [("sql", code.splitlines().index('    sqlite3.connect("db").execute(sql)  # sink') + 1)]
    messages = [s.message for s in hits[0].steps]
    assert messages[0] == '`request.args["q"]`: request data'
    # One step per line: on `run(build(x))` the last thing that happened on the line is kept.
    assert messages == ['`request.args["q"]`: request data', "passed to `run()`"]


def test_local_sources_reach_command_sinks_only():
    code = "import os, sys\nname = sys.argv[1]\nopen(name)\nos.system('cat ' + name)\n"
    assert [(h.kind, h.trace.remote) for h in analyze_source(SourceFile(code, "cli.py"))] == [("shell", False)]


def test_route_converters_and_annotations_decide_which_parameters_are_input():
    code = textwrap.dedent(
        """
        import os
        from fastapi import FastAPI
        from pydantic import BaseModel
        app = FastAPI()

        class Item(BaseModel):
            name: str

        @app.get("/a/{n}")
        def a(n: int, item: Item, q: str, raw=None):
            os.system(f"echo {n} {item}")
            os.system(q)  # q
            os.system(raw)  # raw
        """
    )
    lines = code.splitlines()
    hits = analyze_source(SourceFile(code, "api.py"))
    assert [h.span.start_line + 1 for h in hits] == [lines.index("    os.system(q)  # q") + 1, lines.index("    os.system(raw)  # raw") + 1]


def test_finding_walks_from_source_to_sink_with_flow_for_sarif():
    code = HEAD + "@app.route('/u')\ndef u():\n    uid = request.args['id']\n    q = f\"SELECT * FROM users WHERE id = '{uid}'\"\n    sqlite3.connect('d').cursor().execute(q)\n"
    findings = analyze(SourceFile(code, "app.py"), Settings(select=["LY201"]))
    assert len(findings) == 1
    finding = findings[0]
    assert finding.message.startswith("`request.args['id']` (line 6) reaches `")
    assert "here unvalidated" in finding.message
    flow = finding.extra["flow"]
    assert [step["message"] for step in flow] == [
        "`request.args['id']`: request data", "assigned to `uid`", "assigned to `q`", "reaches `sqlite3.connect('d').cursor().execute()`",
    ]
    assert all(set(step) == {"path", "span", "message"} for step in flow)
    assert all(set(step["span"]) == {"start_line", "start_col", "end_line", "end_col"} for step in flow)
    assert flow[0]["span"]["start_line"] == 5 and flow[-1]["span"] == finding.span.to_dict()
    assert [r.message for r in finding.related] == [s["message"] for s in flow[:-1]]


def test_functions_imported_from_the_workspace_are_summarised(tmp_path):
    from leery.workspace import Workspace

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "db.py").write_text(
        "import sqlite3\n\ndef run_query(sql):\n    return sqlite3.connect('d').execute(sql)\n\n"
        "def by_id(i):\n    return sqlite3.connect('d').execute('SELECT 1 WHERE id = ?', (i,))\n"
    )
    views = tmp_path / "app" / "views.py"
    views.write_text(
        "from flask import Flask, request\nfrom app.db import run_query, by_id\nfrom .db import run_query as rq\n"
        "app = Flask(__name__)\n\n@app.route('/q')\ndef q():\n    run_query('SELECT ' + request.args['c'])\n"
        "    by_id(request.args['i'])\n    rq(request.args['r'])\n    return 'ok'\n"
    )
    workspace = Workspace(tmp_path)
    findings = analyze(SourceFile(views.read_text(), str(views)), Settings(root=tmp_path, select=["LY201"]), workspace=workspace)
    assert [f.span.start_line + 1 for f in findings] == [8, 10]
    assert "in " + str((tmp_path / "app" / "db.py").resolve()) in findings[0].message
    assert findings[0].related[-1].path == str((tmp_path / "app" / "db.py").resolve())
    flow = findings[0].extra["flow"]
    assert flow[-2]["path"] == str((tmp_path / "app" / "db.py").resolve()) and flow[-2]["span"]["start_line"] == 3
    assert flow[-1]["path"] == str(views) and flow[-1]["message"].startswith("this call leads to `")
    # Without a workspace the imported function is unknown and nothing is claimed.
    assert analyze(SourceFile(views.read_text(), str(views)), Settings(root=tmp_path, select=["LY201"])) == []


def test_module_resolution_is_by_path_only(tmp_path):
    from leery.workspace.modules import resolve

    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("raise SystemExit('never imported')\n")
    (tmp_path / "src" / "pkg" / "util.py").write_text("")
    importer = str(tmp_path / "src" / "pkg" / "views.py")
    assert resolve(tmp_path, importer, "pkg.util") == str((tmp_path / "src" / "pkg" / "util.py").resolve())
    assert resolve(tmp_path, importer, "util", level=1) == str((tmp_path / "src" / "pkg" / "util.py").resolve())
    assert resolve(tmp_path, importer, "pkg") == str((tmp_path / "src" / "pkg" / "__init__.py").resolve())
    assert resolve(tmp_path, importer, "os.path") is None


def test_deep_nesting_and_odd_code_do_not_crash():
    code = HEAD + "@app.route('/z')\ndef z():\n    x = request.args['x']\n" + "    y = " + "(" * 50 + "x" + ")" * 50 + "\n"
    code += "    match x:\n        case {'k': v}:\n            os.system(v)\n        case _:\n            pass\n"
    code += "    async def inner():\n        async with x as y:\n            pass\n    global G\n    del x\n"
    hits = analyze_source(SourceFile(code, "app.py"))
    assert [h.kind for h in hits] == ["shell"]


@pytest.mark.parametrize(
    "code",
    [
        # http.server: what the client sent lives on self
        "import os\nfrom http.server import BaseHTTPRequestHandler\nclass H(BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n        os.system('ls ' + self.path)  # sink\n",
        # aiohttp: the handler's request object
        "import os\nfrom aiohttp import web\nasync def handle(request):\n    name = request.match_info['name']\n"
        "    os.system('ls ' + name)  # sink\n",
        # Starlette/FastAPI Request parameter
        "import os\nfrom fastapi import FastAPI, Request\napp = FastAPI()\n@app.post('/p')\nasync def p(request: Request):\n"
        "    body = await request.json()\n    os.system(body['cmd'])  # sink\n",
        # Django class-based view
        "import os\nfrom django.views import View\nclass V(View):\n    def get(self, request):\n"
        "        os.system(self.request.GET['c'])  # sink\n",
        # socket reads
        "import os, socket\ndef serve(conn):\n    data = conn.recv(1024).decode()\n    os.system(data)  # sink\n",
        # argparse results (a local source: commands only)
        "import argparse, os\nparser = argparse.ArgumentParser()\nargs = parser.parse_args()\nos.system('echo ' + args.msg)  # sink\n",
        # environment and console
        "import os\nos.system('ls ' + os.environ['DIR'])  # sink\nprint(eval(input()))  # sink\n",
    ],
    ids=["http-server", "aiohttp", "fastapi-request", "django-cbv", "socket", "argparse", "environ-input"],
)
def test_sources_beyond_flask(code):
    lines = code.splitlines()
    expected = [i for i, line in enumerate(lines, 1) if line.endswith("# sink")]
    assert [h.span.start_line + 1 for h in analyze_source(SourceFile(code, "app.py"))] == expected


def test_request_attributes_that_are_not_client_data_are_clean():
    body = "os.system('echo ' + request.method)\nos.system(request.endpoint)\nuser = request.user\nos.system(user.name)\n"
    assert kinds(body) == []
