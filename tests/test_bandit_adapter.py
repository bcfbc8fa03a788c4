"""The bandit adapter's own walk (analyzers/bandit_walk.py, bandit_gates.py) against bandit's
BanditNodeVisitor: the same issues, field for field and in the same order, on leery's samples,
installed packages' sources and a file that sets off every selected test (and its near misses)."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from bandit.core import blacklisting, meta_ast, metrics
from bandit.core.node_visitor import BanditNodeVisitor
from bandit.core.tester import BanditTester

from leery.analyzers import bandit as adapter
from leery.analyzers.bandit_walk import Walker, prepared
from leery.core.config import Settings
from leery.core.context import Context
from leery.core.source import SourceFile
from sampling import SAMPLES

SITE = Path(meta_ast.__file__).parents[2]  # the environment's site-packages

# Installed sources with many strings, calls, processes, hashes, archives, exec/eval.
INSTALLED = [
    "_pytest/_py/path.py", "_pytest/pytester.py", "_pytest/assertion/rewrite.py", "execnet/script/socketserver.py",
    "execnet/gateway_base.py", "execnet/rsync.py", "hypothesis/database.py", "hypothesis/extra/ghostwriter.py",
    "hypothesis/extra/_patching.py", "hypothesis/internal/charmap.py", "hypothesis/internal/scrutineer.py",
    "pip/_vendor/distlib/util.py", "pip/_vendor/distro/distro.py", "pip/_vendor/rich/style.py",
    "pip/_internal/network/session.py", "pip/_internal/network/auth.py", "parso/python/tokenize.py",
    "setuptools/_distutils/command/bdist_rpm.py", "setuptools/package_index.py",
    "setuptools/_distutils/command/register.py", "yaml/constructor.py", "pygments/lexers/python.py",
]

# Every selected test once, and calls that come close to a test's gate without meeting it.
EVERY_TEST = '''
import os, ssl, subprocess, hashlib, crypt, tarfile, pickle, marshal, tempfile, random, telnetlib, ftplib
import logging.config, importlib, yaml, torch, paramiko, jinja2, requests, httpx
from subprocess import Popen as P, check_output
from os import system as sh
from Crypto.Hash import MD5
from Crypto.Cipher import DES
from Crypto.PublicKey import RSA, DSA
from cryptography.hazmat.primitives.ciphers import modes, algorithms
from cryptography.hazmat.primitives.asymmetric import rsa, dsa, ec
from cryptography.hazmat.primitives import hashes
from django.utils.safestring import mark_safe, SafeString
from django.db.models.expressions import RawSQL
from django.db import models
from markupsafe import Markup
from mako.template import Template
from pysnmp.hlapi import CommunityData, UsmUserData
from transformers import AutoModel
from datasets import load_dataset
from huggingface_hub import hf_hub_download, snapshot_download
from urllib.request import urlopen
from OpenSSL import SSL
from flask import Flask

password = "hunter2"
self_token = "abc"
obj.secret = "s3"
d = {"password": "x", "user": "y", name: "z"}
d["passwd"] = "x"
if password == "x" or pwd.attr == "y":
    pass
if token == other:
    pass
host = "0.0.0.0"
tmp = "/tmp/x", "/var/tmp/y", "/dev/shm/z", "/tmpx", "tmp/"
query = "SELECT * FROM t WHERE a = '%s'" % x
query2 = "SELECT %s FROM t".format(x)
query3 = f"SELECT {x} FROM t"
query4 = "DELETE FROM t WHERE a = 1".replace("1", x)
cur.execute("INSERT INTO t VALUES (%s)" % x)
cur.execute("update t set a = " + x + " where b = 1")
cur.executemany(f"select * from {t} where a = {b}")
not_sql = "select" + x
raw = b"/tmp/bytes"

def f(a, password="x", token=None, method=ssl.PROTOCOL_SSLv3):
    assert a
    try:
        pass
    except Exception:
        pass
    for i in a:
        try:
            pass
        except ValueError:
            continue
    subprocess.Popen("ls " + a, shell=True)
    subprocess.Popen("ls", shell=True)
    subprocess.Popen(["ls", a], shell=False)
    subprocess.call(a, shell=[1])
    subprocess.run(a, shell=0)
    P("ls -l", shell=True)
    check_output(["/bin/ls", a])
    os.system("rm " + a)
    os.popen("tar cf x.tar *")
    sh("chmod 777 *")
    os.execl("/bin/sh", "sh")
    os.spawnv(os.P_WAIT, "ls", [a])
    subprocess.Popen("chown user *", shell=True)
    helper(a, shell=True)
    helper(a, shell=False)
    os.chmod(a, 0o777)
    os.chmod(a, 0o750)
    chmod(a, 0o644)
    exec(a)
    eval(a)
    __import__("pickle")
    importlib.import_module("marshal")
    pickle.loads(a)
    marshal.loads(a)
    MD5.new()
    DES.new(a)
    modes.ECB()
    algorithms.ARC4(a)
    hashes.MD5()
    tempfile.mktemp()
    urlopen(a)
    random.random()
    telnetlib.Telnet(a)
    ftplib.FTP(a)
    ssl._create_unverified_context()
    hashlib.md5(a)
    hashlib.sha1(a, usedforsecurity=False)
    hashlib.new("md5")
    hashlib.new("sha256")
    crypt.crypt(a, crypt.METHOD_CRYPT)
    crypt.mksalt(crypt.METHOD_MD5)
    tarfile.open(a).extractall()
    tarfile.open(a).extractall(members=a)
    tarfile.open(a).extractall(filter="data")
    yaml.load(a)
    yaml.load(a, Loader=yaml.SafeLoader)
    torch.load(a)
    torch.load(a, weights_only=True)
    AutoModel.from_pretrained(a)
    AutoModel.from_pretrained(a, revision="abc1234")
    load_dataset(a)
    hf_hub_download(a, revision=rev)
    snapshot_download("./local")
    requests.get(a, verify=False)
    requests.post(a, timeout=None)
    requests.put(a, timeout=5)
    httpx.get(a, verify=False)
    httpx.Client(timeout=None)
    ssl.wrap_socket(a)
    ssl.wrap_socket(a, ssl_version=ssl.PROTOCOL_SSLv2)
    SSL.Context(method=SSL.SSLv3_METHOD)
    other(ssl_version=ssl.PROTOCOL_TLSv1)
    other(method=SSL.TLSv1_METHOD)
    rsa.generate_private_key(65537, 1024)
    dsa.generate_private_key(key_size=2048)
    ec.generate_private_key(ec.SECP192R1())
    RSA.generate(512)
    DSA.generate(bits=4096)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.set_missing_host_key_policy(paramiko.RejectPolicy)
    client.exec_command(a)
    CommunityData("public", mpModel=0)
    UsmUserData("user")
    logging.config.listen(9999)
    logging.config.listen(9999, verify=check)
    jinja2.Environment(loader=a)
    jinja2.Environment(autoescape=False)
    jinja2.Environment(autoescape=jinja2.select_autoescape())
    jinja2.Environment(autoescape=a)
    Template(a)
    mark_safe(a)
    mark_safe("constant")
    SafeString(a % b)
    mark_safe(build(a))
    Markup(a)
    Markup("<b>")
    RawSQL(a)
    RawSQL(sql=a)
    models.Model.objects.extra(where=[a])
    models.Model.objects.extra(select={"a": "b"})
    login(password="x", user="y")
    login(**kwargs)
    Flask(__name__).run(debug=True)
    app.run(debug=False)
    app.run(host="0.0.0.0")
    return a

def g(ssl_version=ssl.PROTOCOL_SSLv2):
    """A docstring with /tmp in it and password = 'x'."""
    "a bare string statement /tmp"

class C:
    def method(self, a):
        subprocess.check_call(a, shell=True)  # nosec B602
        os.system(a)  # nosec
        os.popen(
            a,
        )  # nosec B605
        yaml.load(a)  # nosec B101
        requests.get(a)  # nosec: B113

async def h(a):
    subprocess.run(a, shell=True)
    lambda: subprocess.run(a, shell=True)
    [subprocess.run(x, shell=True) for x in "/tmp/abc"]
'''


def _nosec_lines(source) -> dict:
    return adapter._nosec_lines(source)


def _fields(issue) -> tuple:
    return (
        issue.test_id, issue.test, issue.lineno, tuple(issue.linerange), issue.col_offset, issue.end_col_offset,
        str(issue.severity), str(issue.confidence), issue.text, issue.fname,
    )


def bandit_issues(text: str, path: str, testset, nosec_lines: dict) -> list[tuple]:
    """What bandit's own visitor reports on its own tree with this test set (`_fields` of each)."""
    # bandit keeps the blacklist's configuration on its one shared function, set by whichever
    # test set was built last: give it this set's again (the walker keeps each set's own).
    for test, _, config, _ in prepared(testset)[0].get("Call", ()):
        if test is blacklisting.blacklist:
            blacklisting.blacklist._config = config
    counters = metrics.Metrics()
    counters.begin(path)
    visitor = BanditNodeVisitor(path, io.BytesIO(text.encode()), meta_ast.BanditMetaAst(), testset, False, nosec_lines, counters)
    tree = ast.parse(text)
    visitor.generic_visit(tree)
    visitor.context = {"file_data": visitor.fdata, "filename": path, "lineno": 0, "linerange": [0, 1], "col_offset": 0}
    visitor.tester.run_tests(visitor.context, "File")
    for node in ast.walk(tree):  # bandit leaves its links, also on the shared Load/Store/operator nodes
        for name in [k for k in vars(node) if k.startswith("_bandit")]:
            delattr(node, name)
    return [_fields(issue) for issue in visitor.tester.results]


def _ours(text: str, path: str, testset, nosec_lines: dict) -> list[tuple]:
    source = SourceFile(text, path)
    walker = Walker(path, io.BytesIO(text.encode()), testset, nosec_lines, BanditTester(testset, False, nosec_lines, None))
    try:
        walker.walk(source.tree)
        walker.run_file_tests()
    finally:
        walker.strip()
    assert not [k for node in ast.walk(source.tree) for k in vars(node) if k.startswith("_bandit")]
    return [_fields(issue) for issue in walker.results]


def _corpus() -> list[tuple[str, str]]:
    files = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.rglob("*.py"))]
    files += [(str(SITE / rel), (SITE / rel).read_text(encoding="utf-8")) for rel in INSTALLED if (SITE / rel).is_file()]
    files.append(("every_check.py", EVERY_TEST))
    files.append(("bidi.py", 'access = "user\u202e \u2066// admin\u2069 \u2066"\n'))
    out = []
    for path, text in files:
        try:
            ast.parse(text)
        except SyntaxError:
            continue  # samples of broken code
        out.append((path, text))
    return out


@pytest.mark.parametrize("codes", [adapter.CODES, frozenset(code for code in adapter.CODES if adapter.REGISTRY.rules[code].default_enabled)],
                         ids=["all", "default"])
def test_same_issues_as_bandits_own_visitor(codes):
    testset = adapter._testset(codes)
    corpus = _corpus()
    assert len([p for p, _ in corpus if "site-packages" in p]) >= 15
    seen: set[str] = set()
    for path, text in corpus:
        nosec = _nosec_lines(SourceFile(text, path))
        theirs = bandit_issues(text, path, testset, nosec)
        assert _ours(text, path, testset, nosec) == theirs, path
        seen |= {fields[0] for fields in theirs}
    if codes == adapter.CODES:
        # The corpus sets off nearly every test: the gates are checked where they matter.
        assert len(seen & adapter.CODES) >= len(adapter.CODES) - 2, sorted(adapter.CODES - seen)


def test_the_adapter_reports_what_the_walk_finds():
    """run(): the same issues through the CLI path, the tree left as it was."""
    source = SourceFile(EVERY_TEST, "every_check.py")
    found = adapter.run(source, Settings(), adapter.CODES, Context(source, Settings()))
    nosec = _nosec_lines(source)
    expected = {(code, line - 1) for code, _, line, *_ in bandit_issues(EVERY_TEST, "every_check.py", adapter._testset(adapter.CODES), nosec)}
    got = {(f.code, f.span.start_line) for f in found}
    assert got <= expected and len(got) > 60
    assert not [k for node in ast.walk(source.tree) for k in vars(node) if k.startswith("_bandit")]


def test_gates_apply_to_the_pinned_bandit_only(monkeypatch):
    import bandit

    from leery.analyzers import bandit_gates

    testset = adapter._testset(adapter.CODES)
    assert set(bandit_gates.gates_for(testset.tests, testset.tests)) == {"Call", "Str"}
    gates = bandit_gates.gates_for(testset.tests, testset.tests)["Call"]
    assert not gates.always  # every call test of this version has a gate
    monkeypatch.setattr(bandit, "__version__", "1.9.5")
    assert bandit_gates.gates_for(testset.tests, testset.tests) == {}


def test_a_selection_built_later_does_not_change_an_earlier_one():
    """bandit sets the blacklist's configuration (which B3xx names it reports) on one shared
    function; a narrower selection built later (another workspace's settings) must not
    narrow an earlier one."""
    text = "import pickle, hashlib\npickle.loads(x)\nhashlib.md5(x)\n"
    adapter._testset(adapter.CODES)
    adapter._testset(frozenset({"B303"}))
    source = SourceFile(text, "f.py")
    found = adapter.run(source, Settings(), adapter.CODES, Context(source, Settings()))
    assert sorted(f.code for f in found) == ["B301", "B324"]


def test_incremental_equals_full_with_every_bandit_test():
    """The language server's path (function units, unchanged ones' issues moved over) with all
    bandit codes on: the same findings as a full analysis after each edit."""
    import random

    from leery.core import incremental
    from leery.core.engine import analyze
    from test_incremental import _dicts, _edit, _spliced

    settings = Settings(select=sorted(adapter.CODES))
    text = EVERY_TEST
    state = incremental.State()
    rng = random.Random(3)
    analyze(_spliced(state, text, "every_check.py"), settings, tiers=("fast",), state=state)
    for step in range(20):
        changed = _edit(text, rng)
        try:
            ast.parse(changed)
        except SyntaxError:
            continue
        text = changed
        got = _dicts(analyze(_spliced(state, text, "every_check.py"), settings, tiers=("fast",), state=state))
        assert got == _dicts(analyze(SourceFile(text, "every_check.py"), settings, tiers=("fast",))), f"step {step}"
    assert state.incremental_runs >= 5


def test_the_adapter_leaves_no_tree_in_cyclic_garbage():
    """The server holds off the cyclic collector while the user types: a tree in a cycle (a
    walker holding bound methods of itself, and through `linked` every node) would pile up a
    tree per keystroke (the soak test's memory slope). bandit's own `utils.concat_string`
    leaves a small cycle per call (a recursive closure), without nodes."""
    import gc

    source = SourceFile(EVERY_TEST, "every_check.py")
    ctx = Context(source, Settings())
    adapter.run(source, Settings(), adapter.CODES, ctx)  # warm: test sets, gates, lazy imports
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        found = adapter.run(source, Settings(), adapter.CODES, ctx)
        assert len(found) > 60
        del found
        gc.collect()
        kept = [type(o).__name__ for o in gc.garbage if isinstance(o, (ast.AST, Walker, list, dict))]
        assert kept == []
        assert {type(o).__name__ for o in gc.garbage} <= {"function", "cell", "tuple"}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
