"""bandit's checks on leery's shared syntax tree, under bandit's own codes (B602, B506, ...).

bandit normally parses each file itself and runs every test. Here a leaner copy of its node
visitor and tester (bandit_walk.py) walks the tree leery already parsed with only the selected
tests loaded; the attributes bandit puts on nodes are removed afterwards. A bandit finding on a
line that an LY2xx finding already explains (the taint rule says where the input came from) is
dropped.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, replace

from leery.core.findings import Confidence, Finding, Severity, Span
from leery.core.registry import REGISTRY, Rule

TIER = "fast"
E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# code, name, summary, use instead, severity, on by default. Off by default: checks that fire on
# every use of a module (imports, pickle, random, subprocess), the error-handling ones that
# the LY1xx rules judge with more context, and the pattern-only ones that were mostly noise on
# well-maintained projects and that leery checks with more context: hard-coded passwords
# (B105-B107: `token_type = "bearer"`, `if pw == "["`; LY604 instead) and SQL built from strings
# (B608: every SQL compiler, B610/B611 Django extra/RawSQL; LY201 follows the input instead).
# B308 repeats B703 on every `mark_safe` line; B703 is the one that skips constant arguments.
_TABLE: list[tuple[str, str, str, str, Severity, bool]] = [
    ("B101", "assert-used", "`assert` used for a check that `python -O` removes.", "Raise an exception for checks that must hold in production.", I, False),
    ("B102", "exec-used", "`exec` used.", "Avoid `exec`; call the code directly or look it up in a dict.", W, False),
    ("B103", "set-bad-file-permissions", "A file made writable or executable by everyone (`chmod 0o777`).", "Grant the narrowest mode that works, such as `0o600` or `0o644`.", W, True),
    ("B104", "hardcoded-bind-all-interfaces", "A server bound to all interfaces (`0.0.0.0`).", "Bind to `127.0.0.1` unless the service is meant to be reachable from the network, and make that a setting.", W, True),
    ("B105", "hardcoded-password-string", "A password or secret written into the code as a string.", "Read secrets from the environment or a secret store.", W, False),
    ("B106", "hardcoded-password-funcarg", "A password passed to a function as a literal.", "Read secrets from the environment or a secret store.", W, False),
    ("B107", "hardcoded-password-default", "A password as a default argument value.", "Make the secret a required argument read from configuration.", W, False),
    ("B108", "hardcoded-tmp-directory", "A fixed path under /tmp that another user can create first.", "Use `tempfile.mkstemp()` or `tempfile.TemporaryDirectory()`.", W, False),
    ("B110", "try-except-pass", "`except: pass` (judged by the LY1xx rules).", "Handle, log or re-raise the error.", I, False),
    ("B112", "try-except-continue", "`except: continue` (judged by the LY1xx rules).", "Handle, log or re-raise the error.", I, False),
    ("B113", "request-without-timeout", "An HTTP request without a timeout can hang forever.", "Pass `timeout=` to every `requests` call.", W, True),
    ("B201", "flask-debug-true", "A Flask app run with `debug=True`: the debugger runs code sent by anyone who reaches it.", "Read debug mode from the environment; never enable it in production.", E, True),
    ("B202", "tarfile-unsafe-members", "`tarfile.extractall` without a member filter writes wherever the archive says.", "Pass `filter=\"data\"` (Python 3.12+) or check each member's path.", E, True),
    ("B301", "pickle", "`pickle` loads can run code (LY206 reports input that reaches them).", "Use JSON for data from outside.", W, False),
    ("B302", "marshal", "`marshal` loads are not safe for untrusted data.", "Use JSON for data from outside.", W, False),
    ("B303", "md5", "MD5 or SHA-1 from a crypto library used for security.", "Use SHA-256 or better; for passwords use a password hash (bcrypt, argon2, scrypt).", W, True),
    ("B304", "ciphers", "A broken cipher (DES, RC4, Blowfish, ...).", "Use AES-GCM or ChaCha20-Poly1305 (cryptography's AEAD classes).", E, True),
    ("B305", "cipher-modes", "ECB mode leaks patterns of the plaintext.", "Use an authenticated mode such as GCM.", E, True),
    ("B306", "mktemp-q", "`tempfile.mktemp` returns a name another process can take first.", "Use `tempfile.mkstemp()` or `NamedTemporaryFile()`.", W, True),
    ("B307", "eval", "`eval` used (LY203 reports input that reaches it).", "Use `ast.literal_eval` for literals.", W, False),
    ("B308", "mark-safe", "`mark_safe` on a value leery cannot prove is safe.", "Use `format_html` to build HTML with escaped values.", W, False),
    ("B310", "urllib-urlopen", "`urlopen` also opens `file:` and custom schemes.", "Check the scheme, or use `requests`.", I, False),
    ("B311", "random", "`random` used (LY601 reports it where it makes secrets).", "Use `secrets` for tokens and keys.", I, False),
    ("B312", "telnetlib", "Telnet sends everything in clear text.", "Use SSH.", E, True),
    ("B321", "ftplib", "FTP sends credentials in clear text.", "Use SFTP or FTPS.", E, True),
    ("B323", "unverified-context", "An SSL context that does not verify certificates.", "Use `ssl.create_default_context()`.", E, True),
    ("B324", "hashlib-insecure-functions", "MD5/SHA-1 via hashlib without `usedforsecurity=False`.", "Use SHA-256, or say `usedforsecurity=False` when it is only a checksum.", W, True),
    ("B501", "request-with-no-cert-validation", "An HTTPS request with `verify=False`: anyone on the path can read and change it.", "Keep verification on; pass `verify=\"/path/to/ca.pem\"` for a private CA.", E, True),
    ("B502", "ssl-with-bad-version", "An SSL/TLS protocol version with known breaks.", "Use TLS 1.2 or newer (`ssl.PROTOCOL_TLS_CLIENT`).", E, True),
    ("B503", "ssl-with-bad-defaults", "A function default that selects a broken SSL/TLS version.", "Use TLS 1.2 or newer.", W, True),
    ("B504", "ssl-with-no-version", "`ssl.wrap_socket` without a version picks an unsafe default.", "Use `ssl.create_default_context().wrap_socket(...)`.", I, False),
    ("B505", "weak-cryptographic-key", "An RSA/DSA/EC key shorter than is safe.", "Use at least 2048-bit RSA/DSA or 224-bit EC keys.", E, True),
    ("B506", "yaml-load", "`yaml.load` with a loader that builds arbitrary objects.", "Use `yaml.safe_load`.", W, True),
    ("B507", "ssh-no-host-key-verification", "SSH client that accepts any host key (AutoAddPolicy).", "Load known hosts and use `RejectPolicy`.", E, True),
    ("B508", "snmp-insecure-version", "SNMP v1/v2 sends community strings in clear text.", "Use SNMPv3 with authentication and privacy.", W, True),
    ("B509", "snmp-weak-cryptography", "SNMPv3 without authentication or privacy.", "Use authPriv with SHA and AES.", W, True),
    ("B601", "paramiko-calls", "A command run over SSH with `exec_command` (a remote shell).", "Quote every input with `shlex.quote`.", W, True),
    ("B602", "subprocess-popen-with-shell-equals-true", "A subprocess started through a shell.", "Pass an argument list without `shell=True`.", W, True),
    ("B603", "subprocess-without-shell-equals-true", "A subprocess started (review its arguments).", "Nothing, if the arguments are trusted.", I, False),
    ("B604", "any-other-function-with-shell-equals-true", "A call with `shell=True` that may start a shell.", "Pass an argument list without `shell=True`.", W, True),
    ("B605", "start-process-with-a-shell", "`os.system`/`os.popen` run a command through a shell.", "Use `subprocess.run([...])` with an argument list.", W, True),
    ("B606", "start-process-with-no-shell", "A process started without a shell (review its arguments).", "Nothing, if the arguments are trusted.", I, False),
    ("B607", "start-process-with-partial-path", "A program started by a partial path, found through PATH.", "Use the full path of the program.", I, False),
    ("B608", "hardcoded-sql-expressions", "SQL text built with string formatting.", "Pass values as query parameters.", W, False),
    ("B609", "linux-commands-wildcard-injection", "A wildcard in a shell command that file names can turn into options.", "Pass explicit file lists, or `--` before them.", W, True),
    ("B610", "django-extra-used", "Django `extra()` takes raw SQL.", "Use the ORM's expressions and `params=`.", W, False),
    ("B611", "django-rawsql-used", "Django `RawSQL` takes raw SQL.", "Pass values through `params`.", W, False),
    ("B612", "logging-config-insecure-listen", "`logging.config.listen` runs configuration (code) sent to a port.", "Pass a `verify` function or do not listen.", E, True),
    ("B613", "trojansource", "Bidirectional Unicode control characters that make code read differently than it runs.", "Remove the control characters.", E, True),
    ("B614", "pytorch-load", "`torch.load` without `weights_only=True` unpickles arbitrary objects.", "Pass `weights_only=True`, or use safetensors.", W, True),
    ("B615", "huggingface-unsafe-download", "A Hugging Face download without a pinned revision.", "Pin `revision=` to a commit hash.", W, True),
    ("B701", "jinja2-autoescape-false", "A Jinja2 environment with autoescaping off.", "Use `autoescape=select_autoescape()`.", E, True),
    ("B702", "use-of-mako-templates", "Mako templates do not escape by default.", "Use `default_filters=['h']` or Jinja2 with autoescape.", W, True),
    ("B703", "django-mark-safe", "`mark_safe` on a value that may hold markup from outside.", "Use `format_html`.", W, True),
    ("B704", "markupsafe-markup-xss", "`Markup` on a value that may hold markup from outside.", "Use `Markup.format` or `escape`.", W, True),
]
CODES = frozenset(code for code, *_ in _TABLE)
_CONSTANT_COMMAND = frozenset({"B602", "B604", "B605"})
_CONFIDENCE = {"HIGH": Confidence.HIGH, "MEDIUM": Confidence.MEDIUM, "LOW": Confidence.LOW}

_DOC = """
## What it does
{summary} Reported by bandit's `{test}` check ({code}), run on leery's own syntax tree.

## Why it matters
Code assembled by an assistant often takes the shortest path that works in a demo: a literal
secret, verification switched off, a shell for convenience. bandit knows these patterns.

## What to check in review
Read the line and decide whether the pattern is deliberate and harmless here; if so, suppress
it with a reason (`# leery: ignore[{code}] reason`). bandit's `# nosec` comments are honoured too.

## Example
See bandit's documentation for {code} ({test}).

## Use instead
{use_instead}

## Known limitations
bandit matches patterns without following data: it cannot tell input from constants. Where an
LY2xx rule explains the same line with the input's path, only the LY2xx finding is shown.
"""

for _code, _name, _summary, _use, _sev, _on in _TABLE:
    REGISTRY.add(
        Rule(
            code=_code,
            name=_name,
            summary=_summary,
            doc=_DOC.format(summary=_summary, test=_name.replace("-", "_"), code=_code, use_instead=_use).strip(),
            severity=_sev,
            confidence=Confidence.MEDIUM,
            default_enabled=_on,
            external="bandit",
        )
    )

_TESTSETS: dict[frozenset[str], object] = {}


def _testset(codes: frozenset[str]):
    """bandit's tests for these codes only (loading them costs ~50 ms once per process)."""
    found = _TESTSETS.get(codes)
    if found is None:
        from bandit.core import config as b_config
        from bandit.core import test_set

        logging.getLogger("bandit").setLevel(logging.ERROR)  # bandit logs each file it "skips"
        from leery.analyzers.bandit_walk import prepared

        found = test_set.BanditTestSet(b_config.BanditConfig(), profile={"include": sorted(codes)})
        prepared(found)  # now, before another set replaces the blacklist's configuration
        _TESTSETS[codes] = found
    return found


class _Units:
    """bandit over the function units of an incremental plan (leery.core.incremental): an
    unchanged unit's issues come from the last version, and the imports it adds to bandit's
    context are replayed so that later code is checked as before."""

    def __init__(self, plan, source) -> None:
        self.plan = plan
        self.source = source

    def has_imports(self, node) -> bool:
        return bool(self.plan.summaries[self.plan.by_node[id(node)]].imports)

    def enter(self, node, walker) -> bool:
        from leery.core import incremental

        index = self.plan.by_node[id(node)]
        record = self.plan.records[index]
        old = self.plan.reusable(index)
        if old is None or old.bandit is None or self.plan.lines is None:
            return False
        moved = [incremental.move_span(issue.span, self.plan.lines) for issue in old.bandit]
        if any(span is None for span in moved):
            return False
        record.bandit = [replace(issue, span=span) for issue, span in zip(old.bandit, moved)]
        walker.results.extend(record.bandit)  # in visiting order, as bandit would add them
        record.bandit_imports = old.bandit_imports
        if old.bandit_imports is not None:
            imports, aliases = old.bandit_imports
            walker.imports |= imports
            walker.import_aliases.update(aliases)
        return True

    def leave(self, node, walker, mark: int, before) -> None:
        record = self.plan.records[self.plan.by_node[id(node)]]
        record.bandit = [_Issue.of(issue, self.source) for issue in walker.results[mark:]]
        if before is not None:
            imports, aliases = before
            record.bandit_imports = (
                walker.imports - imports,
                {k: v for k, v in walker.import_aliases.items() if aliases.get(k, _MISSING) != v},
            )
        else:
            record.bandit_imports = None


_MISSING = object()


@dataclass(frozen=True)
class _Issue:
    """What leery keeps of one bandit issue."""

    code: str
    span: Span
    text: str
    severity: str
    confidence: str

    @classmethod
    def of(cls, issue, source) -> "_Issue":
        if isinstance(issue, _Issue):
            return issue
        line = max((issue.lineno or 1) - 1, 0)
        return cls(issue.test_id, _span(source, issue, line), issue.text, str(issue.severity), str(issue.confidence))


def _may_need_file_tests(text: str) -> bool:
    """bandit's only whole-file check (B613) reports bidirectional control characters; it reads
    the file line by line in Python, the cost of a parse, so it runs only when one is there."""
    from bandit.plugins.trojansource import BIDI_CHARACTERS

    return any(char in text for char in BIDI_CHARACTERS)


def _nosec_lines(source) -> dict[int, set[str]]:
    from bandit.core.manager import _parse_nosec_comment

    lines: dict[int, set[str]] = {}
    for comment in source.comments:
        if "nosec" in comment.text:
            parsed = _parse_nosec_comment(comment.text)
            if parsed is not None:
                lines[comment.line + 1] = parsed
    return lines


def run(source, settings, enabled, ctx) -> list[Finding]:
    from bandit.core.tester import BanditTester

    from leery.analyzers.bandit_walk import Walker

    codes = frozenset(enabled) & CODES
    if not codes or source.tree is None:
        return []
    testset = _testset(codes)
    nosec_lines = _nosec_lines(source)
    plan = getattr(ctx, "plan", None)
    walker = Walker(
        source.path, io.BytesIO(source.text.encode("utf-8")), testset, nosec_lines,
        BanditTester(testset, False, nosec_lines, None), _Units(plan, source) if plan is not None else None,
    )
    try:
        walker.walk(source.tree)
        if _may_need_file_tests(source.text):
            walker.run_file_tests()
    finally:
        walker.strip()
    explained = {f.span.start_line for f in ctx.findings if f.code.startswith("LY2")}
    out: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for issue in walker.results:
        issue = _Issue.of(issue, source)
        code, line = issue.code, issue.span.start_line
        if code not in codes or line in explained or (code, line) in seen:
            continue
        if code in _CONSTANT_COMMAND and issue.severity == "LOW":
            continue  # bandit's own verdict: a constant command "seems safe"
        seen.add((code, line))
        rule = REGISTRY.rules[code]
        out.append(
            Finding(code, rule.name, source.path, issue.span, issue.text, rule.severity,
                    _CONFIDENCE.get(issue.confidence, Confidence.MEDIUM))
        )
    return out


def _span(source, issue, line: int) -> Span:
    if line >= len(source.lines):
        return Span(line, 0, line, 0)
    text = source.lines[line]
    start = source.col_of_byte(line, max(issue.col_offset or 0, 0))
    end_byte = getattr(issue, "end_col_offset", 0) or 0
    end = source.col_of_byte(line, end_byte) if end_byte else len(text.rstrip())
    if end <= start or (issue.linerange and len(issue.linerange) > 1 and max(issue.linerange) > line + 1):
        end = len(text.rstrip())
    return Span(line, start, line, max(end, start))
