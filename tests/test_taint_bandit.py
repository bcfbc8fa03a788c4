"""The bandit adapter: bandit's own results on leery's shared tree, only the selected tests,
`# nosec` honoured, no second finding on a line an LY2xx rule explains."""

from __future__ import annotations

import ast

from leery.analyzers import bandit as adapter
from leery.core.config import Settings
from leery.core.engine import analyze
from leery.core.registry import load_rules
from leery.core.source import SourceFile
from sampling import SAMPLES
from test_bandit_adapter import bandit_issues

RISKY = '''
import hashlib, os, pickle, random, ssl, subprocess, tarfile, tempfile, telnetlib, yaml
import requests
from flask import Flask
password = "hunter2"
def f(path, password="x"):
    assert path
    subprocess.Popen("ls " + path, shell=True)
    os.system("rm " + path)
    os.chmod(path, 0o777)
    tempfile.mktemp()
    hashlib.md5(b"x")
    yaml.load(open(path), Loader=yaml.Loader)
    requests.get("https://x", verify=False)
    pickle.loads(b"")
    random.random()
    tarfile.open(path).extractall()
    ssl._create_unverified_context()
    eval(path)
    exec(path)
    cursor.execute("SELECT * FROM t WHERE a = '%s'" % path)
    try:
        pass
    except Exception:
        pass
Flask(__name__).run(debug=True, host="0.0.0.0")
'''


def bandit_alone(text: str, codes: frozenset[str]) -> list[tuple[str, int]]:
    """What bandit's own visitor reports on its own tree with the same tests."""
    return sorted({(issue[0], issue[2]) for issue in bandit_issues(text, "f.py", adapter._testset(codes), {})})


def test_same_results_as_bandit_itself():
    codes = adapter.CODES
    texts = [RISKY] + [p.read_text(encoding="utf-8") for p in (SAMPLES / "security").rglob("*.py")]
    for text in texts:
        source = SourceFile(text, "f.py")
        from leery.core.context import Context

        ctx = Context(source, Settings())
        ours = sorted({(f.code, f.span.start_line + 1) for f in adapter.run(source, Settings(), codes, ctx)})
        assert not any(k.startswith("_bandit") for node in ast.walk(source.tree) for k in vars(node))
        theirs = [(c, line) for c, line in bandit_alone(text, codes) if not (c in ("B602", "B604", "B605") and _low(text, c, line))]
        assert ours == theirs


def _low(text, code, line) -> bool:
    """bandit rates a constant command LOW ("seems safe"); the adapter leaves those out."""
    source_line = text.splitlines()[line - 1]
    return '"ls"' in source_line or source_line.strip().endswith('("ls")')


def test_only_the_selected_tests_are_loaded():
    testset = adapter._testset(frozenset({"B501"}))
    names = {t.__name__ for tests in testset.tests.values() for t in tests}
    assert names == {"request_with_no_cert_validation"}


def test_nosec_is_honoured_and_codes_are_registered():
    text = 'import requests\nrequests.get("https://x", verify=False, timeout=1)  # nosec B501\nrequests.get("https://x", verify=False, timeout=1)\n'
    findings = analyze(SourceFile(text, "f.py"), Settings(select=["B501"]))
    assert [(f.code, f.span.start_line) for f in findings] == [("B501", 2)]
    registry = load_rules()
    assert all(registry.get(code).external == "bandit" for code in adapter.CODES)
    assert not registry.get("B311").default_enabled and registry.get("B501").default_enabled


def test_a_line_explained_by_a_taint_rule_is_not_reported_twice():
    text = (
        "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n"
        "@app.route('/p')\ndef p():\n    subprocess.run('ping ' + request.args['h'], shell=True)\n"
        "    subprocess.run('ping ' + str(len('x')), shell=True)\n    return 'ok'\n"
    )
    findings = analyze(SourceFile(text, "app.py"), Settings(select=["LY202", "B602"]))
    assert [(f.code, f.span.start_line + 1) for f in findings] == [("LY202", 6), ("B602", 7)]
    # With the taint rule off, bandit's finding on that line comes back.
    findings = analyze(SourceFile(text, "app.py"), Settings(select=["B602"]))
    assert [(f.code, f.span.start_line + 1) for f in findings] == [("B602", 6), ("B602", 7)]
