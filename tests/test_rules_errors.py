"""LY1xx details the samples cannot express: fix applicability, confidence, messages, edge cases."""

from __future__ import annotations

import ast
import textwrap

import pytest

from leery.core.config import Settings
from leery.core.engine import analyze
from leery.core.findings import Applicability, Confidence
from leery.core.fixes import apply_fixes
from leery.core.source import SourceFile


def run(code: str, select: str = "LY1", path: str = "pkg/module.py"):
    source = SourceFile(textwrap.dedent(code), path)
    return analyze(source, Settings(select=[select], strict=True)), source


def only(code: str, select: str, path: str = "pkg/module.py"):
    findings, source = run(code, select, path)
    assert len(findings) == 1, [(f.code, f.line, f.message) for f in findings]
    return findings[0], source


def fixed(code: str, select: str) -> str:
    findings, source = run(code, select)
    result = apply_fixes(source, findings, unsafe=True)
    ast.parse(result.text)  # every fix leaves valid code
    return result.text


@pytest.mark.parametrize(
    "code, select, applicability",
    [
        ("try:\n    x()\nexcept Exception:\n    pass\n", "LY101", Applicability.UNSAFE),
        ("import subprocess\nsubprocess.run(['ls'])\n", "LY103", Applicability.UNSAFE),
        ("import requests\ndef f(u):\n    r = requests.get(u, timeout=1)\n    return r.json()\n", "LY105", Applicability.UNSAFE),
        ("import requests\nrequests.get('u')\n", "LY106", Applicability.UNSAFE),
        ("def f(n):\n    assert n > 0\n", "LY107", Applicability.DISPLAY_ONLY),
        ("import asyncio\nasync def f():\n    asyncio.sleep(1)\n", "LY110", Applicability.UNSAFE),
    ],
)
def test_fix_applicability(code, select, applicability):
    finding, _ = only(code, select)
    assert finding.fix is not None
    assert finding.fix.applicability == applicability
    assert bool(finding.fix.edits) == (applicability != Applicability.DISPLAY_ONLY)


def test_ly101_one_line_handler_with_print_gets_raise_after_it():
    code = "def f():\n    try:\n        g()\n    except Exception: print('x')\n"
    assert fixed(code, "LY101") == "def f():\n    try:\n        g()\n    except Exception: print('x'); raise\n"


def test_ly101_print_on_its_own_line_gets_raise_on_the_next():
    code = "def f():\n    try:\n        g()\n    except Exception:\n        print('x')  # note\n"
    assert fixed(code, "LY101").endswith("        print('x')  # note\n        raise\n")


def test_ly101_comment_lowers_confidence_and_pragmas_do_not():
    explained, _ = only("try:\n    g()\nexcept Exception:\n    # optional feature\n    pass\n", "LY101")
    assert explained.confidence == Confidence.LOW
    pragma, _ = only("try:\n    g()\nexcept Exception:  # pragma: no cover\n    pass\n", "LY101")
    assert pragma.confidence == Confidence.HIGH


def test_ly101_message_names_the_clause_and_what_the_body_does():
    finding, source = only("def f():\n    try:\n        g()\n    except:\n        return []\n", "LY101")
    assert "bare `except:`" in finding.message and "returns `[]`" in finding.message
    assert source.text_of(finding.span) == "except"


def test_ly101_shadowed_exception_name_is_not_the_builtin():
    findings, _ = run("class Exception(Warning): ...\ntry:\n    g()\nexcept Exception:\n    pass\n", "LY101")
    assert findings == []


def test_ly102_through_a_module_alias():
    finding, _ = only("import contextlib as cl\nwith cl.suppress(Exception):\n    g()\n", "LY102")
    assert "suppress(Exception)" in finding.message


def test_ly103_message_names_the_variable_and_what_is_read():
    code = "import subprocess\ndef f():\n    p = subprocess.run(['ls'], capture_output=True)\n    return p.stdout\n"
    finding, _ = only(code, "LY103")
    assert "`p.stdout`" in finding.message and "subprocess.run(...)" in finding.message


def test_ly103_fix_in_an_empty_call():
    assert fixed("from subprocess import run\nrun()\n", "LY103") == "from subprocess import run\nrun(check=True)\n"


def test_ly104_nested_finally_is_reported_once():
    code = "def f():\n    try:\n        g()\n    finally:\n        try:\n            h()\n        finally:\n            return 1\n"
    finding, _ = only(code, "LY104")
    assert finding.line == 7 and "line 5" in finding.message


def test_ly104_break_in_loop_else_belongs_to_the_outer_loop():
    code = "for a in b:\n    try:\n        g()\n    finally:\n        for c in d:\n            pass\n        else:\n            break\n"
    finding, _ = only(code, "LY104")
    assert finding.line == 7


def test_ly105_related_points_at_the_read():
    code = "import requests\ndef f(u):\n    r = requests.get(u, timeout=1)\n    x = 1\n    return r.json()\n"
    finding, _ = only(code, "LY105")
    assert finding.related and finding.related[0].span.start_line == 4
    assert "line 5" in finding.message


def test_ly105_no_edit_when_the_assignment_shares_its_line():
    code = "import requests\ndef f(u):\n    r = requests.get(u, timeout=1); x = 1\n    return r.json()\n"
    finding, _ = only(code, "LY105")
    assert finding.fix is None


def test_ly105_session_with_a_response_hook_is_quiet():
    code = (
        "import requests\ndef f(u):\n    s = requests.Session()\n"
        "    s.hooks['response'].append(lambda r, *a, **k: r.raise_for_status())\n"
        "    return s.get(u, timeout=1).json()\n"
    )
    assert run(code, "LY105")[0] == []


@pytest.mark.parametrize(
    "call, reported",
    [
        ("httpx.get(u)", False),  # httpx: 5 s default
        ("httpx.Client(timeout=None)", True),
        ("requests.get(u, timeout=None)", True),
        ("requests.get(u, timeout=t)", False),
        ("requests.get(u, **kw)", False),
        ("socket.create_connection(a, 3)", False),
        ("socket.create_connection(a)", True),
    ],
)
def test_ly106_which_calls_need_a_timeout(call, reported):
    code = f"import httpx\nimport requests\nimport socket\ndef f(u, a, t, kw):\n    return {call}\n"
    findings, _ = run(code, "LY106")
    assert bool(findings) == reported


def test_ly106_replaces_an_explicit_none():
    code = "import requests\nrequests.get('u', timeout=None)\n"
    assert fixed(code, "LY106") == "import requests\nrequests.get('u', timeout=10)\n"


def test_ly107_quiet_in_test_files_and_private_modules():
    code = "def check(n):\n    assert n > 0\n"
    assert run(code, "LY107", path="tests/helpers.py")[0] == []
    assert run(code, "LY107", path="pkg/_impl.py")[0] == []
    assert run(code, "LY107", path="pkg/_internal/x/y.py")[0] == []
    assert len(run(code, "LY107", path="home/_work/project/pkg/api.py")[0]) == 1


def test_ly107_suggests_type_error_for_isinstance():
    finding, _ = only("def f(n):\n    assert isinstance(n, int)\n", "LY107")
    assert "TypeError" in finding.fix.title


def test_ly108_try_catching_attribute_error_counts_as_a_check():
    code = "import re\ndef f(s):\n    try:\n        return re.match('a', s).group()\n    except (KeyError, AttributeError):\n        return None\n"
    assert run(code, "LY108")[0] == []


@pytest.mark.parametrize(
    "expr, reported",
    [
        ("requests.get('k').json()", False),  # a module function, not a mapping
        ("client.get('/users').json()", False),  # an HTTP client
        ("d.get('k').json", False),
        ("d.get('k', None).x", True),
        ("d.get('k', 0).x", False),
        ("bool(shutil.which('git'))", False),
        ("shutil.which('git').upper()", True),
        ("re.match(r'\\d*', s).group()", False),  # matches every string
        ("re.match(r'\\d*', s, re.M).group()", True),  # flags: not judged
    ],
)
def test_ly108_cases(expr, reported):
    code = f"import re\nimport requests\nimport shutil\ndef f(d, s, client):\n    return {expr}\n"
    findings, _ = run(code, "LY108")
    assert bool(findings) == reported, findings


def test_ly109_task_group_and_unknown_receivers_are_quiet():
    code = "import asyncio\nasync def f(tg, nursery):\n    tg.create_task(g())\n    nursery.create_task(g())\n    asyncio.get_running_loop().create_task(g())\n"
    finding, _ = only(code, "LY109")
    assert finding.line == 4


def test_ly110_no_fix_outside_async_def_and_related_points_at_the_def():
    code = "async def save():\n    return 1\n\ndef f():\n    save()\n"
    finding, _ = only(code, "LY110")
    assert finding.fix is None
    assert finding.related[0].span.start_line == 0


def test_ly110_decorated_async_def_and_async_generators_are_skipped():
    code = (
        "import contextlib\n@contextlib.asynccontextmanager\nasync def cm():\n    yield\n\n"
        "async def gen():\n    yield 1\n\nasync def f():\n    cm()\n    gen()\n"
    )
    assert run(code, "LY110")[0] == []


def test_ly110_a_local_name_shadows_the_module_coroutine():
    code = "async def save():\n    return 1\n\nasync def f(save):\n    save()\n"
    assert run(code, "LY110")[0] == []


def test_rules_skip_files_that_do_not_parse():
    findings, _ = run("def f(:\n    subprocess.run(x)\n", "ALL")
    assert [f.code for f in findings] == ["LY001"]


@pytest.mark.parametrize(
    "head, reported",
    [
        ("def is_json(text):", False),
        ("def isiterable(obj) -> 'TypeGuard[Iterable]':", True),  # a string annotation is not read
        ("def isiterable(obj) -> TypeGuard[list]:", False),
        ("def issue_token(text):", True),  # `is` + `sue`: not a predicate name
        ("def load(text) -> bool:", False),
    ],
)
def test_ly101_predicates_may_answer_false(head, reported):
    code = f"{head}\n    try:\n        parse(text)\n    except Exception:\n        return False\n"
    findings, _ = run(code, "LY101")
    assert bool(findings) == reported


def test_top_level_bindings_are_the_module_index_s_top_level_statements():
    import ast
    from pathlib import Path

    from leery.rules.errors import _util

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for folder in ("samples", "server/leery") for p in sorted((root / folder).rglob("*.py"))]
    texts.append("a = b = f()\nc: int = g()\nd: int\nif x:\n    e = h()\nwith i() as j:\n    k = (l := 1)\nfor m in n: pass\n")
    for text in texts:
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        top = _util._top_level_bindings(tree)
        for name in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}:
            assert list(top.get(name, ())) == [(s, v) for s, v in _util.bindings(tree, name) if s in tree.body]
