"""LY6xx: security hot spots that need no data flow and that bandit lacks or gets wrong.

bandit's own checks (B501 verify=False, B201 Flask debug, B104 0.0.0.0, B306 mktemp, B103
permissions, B324 weak hashes, ...) run through leery.analyzers.bandit under their codes.
"""

from __future__ import annotations

import ast
import re

from leery.core.context import dotted_name
from leery.core.findings import Applicability, Confidence, Fix, Severity
from leery.core.registry import rule

SECRET_NAME = re.compile(
    r"(^|_)(secret|secret_?key|api_?key|apikey|password|passwd|pwd|token|auth_?token|access_?token|refresh_?token|"
    r"private_?key|client_?secret|signing_?key|jwt_?secret|encryption_?key|nonce|salt|otp|csrf_?token|session_?id|"
    r"reset_?code|verification_?code|activation_?code|invite_?code)$",
    re.I,
)
RANDOM_FUNCS = frozenset({
    "random.random", "random.randint", "random.randrange", "random.choice", "random.choices", "random.sample",
    "random.getrandbits", "random.randbytes", "random.shuffle", "random.uniform",
})
NAME_WORDS = frozenset({"token", "password", "passwd", "secret", "key", "session", "reset", "default", "csrf", "auth"})
# Literal values that name a field or a variable rather than being the secret.
NOT_SECRETS = frozenset({
    "password", "passwd", "token", "secret", "api_key", "apikey", "authorization", "bearer", "x-api-key", "basic",
    "access_token", "refresh_token", "client_secret", "secret_key", "none", "null", "true", "false",
})


def _target_names(node: ast.AST) -> list[str]:
    """Names a statement binds or a function returns into: `x`, `self.token`, `cfg["secret"]`."""
    targets: list[ast.AST] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    elif isinstance(node, ast.keyword) and node.arg:
        return [node.arg]
    names = []
    for target in targets:
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, ast.Attribute):
            names.append(target.attr)
        elif isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str):
            names.append(target.slice.value)
    return names


@rule("LY601", "random-for-secrets", summary="A token, password or key made with `random`, which is predictable.",
      nodes=(ast.Call,), severity=Severity.ERROR)
def random_for_secrets(node: ast.Call, ctx) -> None:
    """
    ## What it does
    Reports a call to the `random` module whose result becomes a token, password, key, salt,
    nonce, session id or reset code: it is assigned to such a name, passed as such a keyword, or
    returned from a function named like one (`generate_token`).

    ## Why it matters
    `random` is a Mersenne Twister: after 624 outputs an observer can predict every later one,
    and its default seed is guessable. A reset code or session token made with it can be
    forged. bandit's B311 flags every use of `random`, including dice games and jitter; this rule
    flags only the ones that make secrets.

    ## What to check in review
    If the value really protects something, use `secrets`. If it is only an identifier for
    display or a test fixture, suppress with that reason.

    ## Example
    ```python
    token = "".join(random.choices(string.ascii_letters, k=32))
    ```

    ## Use instead
    ```python
    token = secrets.token_urlsafe(32)
    ```

    ## Known limitations
    The purpose is read from names only: a secret stored under a neutral name is not found.
    """
    qual = ctx.call_qualname(node)
    if qual not in RANDOM_FUNCS:
        return
    names: list[str] = []
    for anc in reversed(ctx.parents):
        if isinstance(anc, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            names = _target_names(anc)
            break
        if isinstance(anc, ast.Call):
            keyword = next((k for k in anc.keywords if _contains(k.value, node)), None)
            if keyword is not None and keyword.arg:
                names = [keyword.arg]
                break
        if isinstance(anc, ast.Dict):
            key = _dict_key_of(anc, node)
            if key is not None:
                names = [key]
                break
        if isinstance(anc, ast.Return):
            func = ctx.enclosing_function
            names = [func.name.removeprefix("generate_").removeprefix("make_").removeprefix("new_").removeprefix("create_").removeprefix("get_").removeprefix("random_")] if func else []
            break
        if isinstance(anc, ast.stmt):
            break
    secret = next((n for n in names if SECRET_NAME.search(n)), None)
    if secret is None:
        return
    ctx.report(
        node,
        f"`{qual}()` makes `{secret}`: `random` is predictable; use the `secrets` module for values that protect something",
        fix=Fix("Use secrets.token_urlsafe() / secrets.choice() / secrets.randbelow()", Applicability.DISPLAY_ONLY),
    )


def _dict_key_of(mapping: ast.Dict, node: ast.AST) -> str | None:
    """The constant key whose value holds `node`: `{"csrf_token": ...node...}`."""
    for key, value in zip(mapping.keys, mapping.values):
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and _contains(value, node):
            return key.value
    return None


def _contains(tree: ast.AST, node: ast.AST) -> bool:
    return any(sub is node for sub in ast.walk(tree))


@rule("LY602", "jwt-without-verification", summary="A JWT decoded without checking its signature, or with alg `none`.",
      nodes=(ast.Call,), severity=Severity.ERROR)
def jwt_without_verification(node: ast.Call, ctx) -> None:
    """
    ## What it does
    Reports `jwt.decode(...)` (PyJWT, python-jose, authlib-style) with
    `options={"verify_signature": False}`, `verify=False`, or the `none` algorithm allowed, and
    `jwt.encode(..., algorithm="none")`.

    ## Why it matters
    An unverified token is just JSON the client wrote: anyone can claim to be any user or an
    admin. Generated code switches verification off to get past a "signature verification
    failed" error.

    ## What to check in review
    Decode with the real key and an explicit list of algorithms. Reading claims before
    verification (to pick a key) is legitimate only when the token is verified right after.

    ## Example
    ```python
    claims = jwt.decode(token, options={"verify_signature": False})
    ```

    ## Use instead
    ```python
    claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
    ```

    ## Known limitations
    Options built in a variable elsewhere are not followed.
    """
    qual = ctx.call_qualname(node) or ""
    if not qual.endswith((".decode", ".encode")) or qual.split(".")[0] not in ("jwt", "jose", "jwcrypto", "authlib"):
        return
    problem = None
    options = ctx.keyword(node, "options")
    if isinstance(options, ast.Dict):
        for key, value in zip(options.keys, options.values):
            if isinstance(key, ast.Constant) and key.value in ("verify_signature", "verify_aud", "verify_exp") and _false(value):
                if key.value == "verify_signature":
                    problem = "signature verification is switched off"
    if _false(ctx.keyword(node, "verify")):
        problem = "verification is switched off (`verify=False`)"
    for name in ("algorithms", "algorithm"):
        value = ctx.keyword(node, name)
        values = value.elts if isinstance(value, (ast.List, ast.Tuple, ast.Set)) else [value] if value is not None else []
        if any(isinstance(v, ast.Constant) and isinstance(v.value, str) and v.value.lower() == "none" for v in values):
            problem = "the `none` algorithm (no signature) is allowed"
    if problem:
        ctx.report(node, f"JWT `{qual.rsplit('.', 1)[-1]}` where {problem}: anyone can forge the token's claims",
                   fix=Fix("Verify with the key and an explicit algorithm list", Applicability.DISPLAY_ONLY))


def _false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


DEBUG_APPS = frozenset({"fastapi.FastAPI", "starlette.applications.Starlette", "quart.Quart", "sanic.Sanic"})


@rule("LY603", "debug-mode-enabled", summary="Debug mode switched on in code that ships (settings, app objects).",
      nodes=(ast.Assign, ast.Call), severity=Severity.WARNING, confidence=Confidence.MEDIUM)
def debug_mode_enabled(node: ast.AST, ctx) -> None:
    """
    ## What it does
    Reports `DEBUG = True` at module level of a Django settings module (`settings.py`,
    `settings/*.py` other than ones named for development), `app.debug = True`,
    `app.config["DEBUG"] = True`, and `FastAPI(debug=True)` / `Starlette(debug=True)`.
    `app.run(debug=True)` is bandit's B201.

    ## Why it matters
    Debug pages show source code, settings and sometimes an interactive console to whoever
    triggers an error. Generated code leaves debug on because the tutorial did.

    ## What to check in review
    Read the flag from the environment (`DEBUG = os.environ.get("DEBUG") == "1"`) so production
    runs with it off.

    ## Example
    ```python
    DEBUG = True
    ```

    ## Use instead
    ```python
    DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
    ```

    ## Known limitations
    Settings files named `dev`, `local`, `test` or `development` are skipped; a production file
    with such a name is not.
    """
    if isinstance(node, ast.Call):
        qual = ctx.call_qualname(node)
        if qual in DEBUG_APPS and _true(ctx.keyword(node, "debug")):
            ctx.report(node, f"`{qual.rsplit('.', 1)[-1]}(debug=True)`: error pages show tracebacks and local values to clients")
        return
    if not _true(node.value) or len(node.targets) != 1:
        return
    target = node.targets[0]
    if isinstance(target, ast.Name) and target.id == "DEBUG" and ctx.enclosing_function is None and _production_settings(ctx.path):
        ctx.report(node, "`DEBUG = True` in a settings module: read it from the environment so production runs without it")
    elif isinstance(target, ast.Attribute) and target.attr == "debug" and isinstance(target.value, ast.Name) and target.value.id == "app":
        ctx.report(node, "`app.debug = True`: the debugger and tracebacks are served to anyone who reaches the app")
    elif (
        isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and target.slice.value == "DEBUG"
        and (dotted_name(target.value) or "").endswith("config")
    ):
        ctx.report(node, "`config[\"DEBUG\"] = True`: the debugger and tracebacks are served to anyone who reaches the app")


def _true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _production_settings(path: str) -> bool:
    parts = path.replace("\\", "/").lower().split("/")
    name = parts[-1].removesuffix(".py")
    in_settings = name.startswith("settings") or (len(parts) > 1 and parts[-2] == "settings")
    local = any(word in name for word in ("dev", "local", "test", "ci"))
    return in_settings and not local


@rule("LY604", "hardcoded-secret", summary="A secret (key, password, token) written into the code.",
      nodes=(ast.Assign, ast.AnnAssign, ast.keyword, ast.Dict, ast.Constant), severity=Severity.ERROR)
def hardcoded_secret(node: ast.AST, ctx) -> None:
    """
    ## What it does
    Reports a string literal assigned to (or passed as) a name that ends in a secret word
    (`SECRET_KEY`, `api_key`, `db_password`, `access_token`, ...), and any string that has the
    shape of a real credential (AWS access key, GitHub/Slack/Stripe/OpenAI tokens, private
    key blocks). Values that only name a field (`"password"`), empty strings, environment
    variable names and template placeholders are left alone, and so are test files.

    ## Why it matters
    A secret in source ends up in every clone, fork, log of the CI and wheel built from it, and
    cannot be rotated without a release. Generated code puts `app.secret_key = "supersecret"`
    in place so that the demo runs.

    ## What to check in review
    Read the value from the environment or a secret store, and rotate the one that was committed.

    ## Example
    ```python
    app.secret_key = "supersecretkey123"
    ```

    ## Use instead
    ```python
    app.secret_key = os.environ["SECRET_KEY"]
    ```

    ## Known limitations
    A secret under a neutral name is found only when it has a known token shape. bandit's
    B105-B107 (pattern-only, off by default) report more and are wrong more often.
    """
    if ctx.is_test_file:
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str) and len(node.value) >= 20:
            kind = _token_shape(node.value)
            if kind:
                ctx.report(node, f"this string has the shape of {kind}: keep credentials out of the code and rotate this one")
        return
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                _literal_secret(ctx, [key.value], value)
        return
    _literal_secret(ctx, _target_names(node), node.value)


def _literal_secret(ctx, names: list[str], value: ast.AST) -> None:
    if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
        return
    if _token_shape(value.value):
        return  # the Constant visit reports it
    secret = next((n for n in names if SECRET_NAME.search(n) and not n.lower().endswith(("_otp", "nonce", "salt", "session_id")) and "hash" not in n.lower()), None)
    if secret is None or not _looks_secret(value.value):
        return
    if secret.lower().endswith("token") and re.fullmatch(r"[a-z:_]+", value.value):
        return  # `_COLUMN_TOKEN = "column"`: a marker that is called a token
    ctx.report(value, f"`{secret}` is a literal string: read it from the environment or a secret store (and rotate this one)")


_TOKENS = [
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), "an AWS access key"),
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"), "a GitHub token"),
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"), "a Slack token"),
    (re.compile(r"\b[sr]k_live_[A-Za-z0-9]{20,}"), "a Stripe live key"),
    (re.compile(r"\bsk-(proj-)?[A-Za-z0-9_-]{32,}"), "an OpenAI API key"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "a Google API key"),
    (re.compile(r"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----\s*\n?[A-Za-z0-9+/=]{20}"), "a private key"),
]


def _token_shape(text: str) -> str | None:
    for pattern, kind in _TOKENS:
        if pattern.search(text):
            return kind
    return None


def _looks_secret(text: str) -> bool:
    if len(text) < 6 or any(c.isspace() for c in text):
        return False
    lowered = text.lower()
    if lowered in NOT_SECRETS or re.fullmatch(r"[A-Z][A-Z0-9_]*", text):
        return False  # a field or environment variable name
    if text[0] in "${%<_" or "{{" in text or "://" in text or text.startswith(("/", "./")):
        return False  # a template, placeholder, private marker, URL or path
    if NAME_WORDS & set(re.split(r"[_\-:.]+", lowered)):
        return False  # "_password_reset_token", "set-password": the name of a key, not a key
    return True


@rule("LY605", "cors-any-origin-with-credentials", summary="CORS that lets any site make credentialed requests.",
      nodes=(ast.Call,), severity=Severity.ERROR)
def cors_any_origin_with_credentials(node: ast.Call, ctx) -> None:
    """
    ## What it does
    Reports flask-cors `CORS(...)` and Starlette/FastAPI `CORSMiddleware` set up with every
    origin (`"*"`) and credentials allowed.

    ## Why it matters
    With credentials, the browser sends the user's cookies; with every origin allowed, any web
    page the user visits can read your API's answers as that user. Libraries that refuse the
    combination echo the caller's origin instead, which is the same thing.

    ## What to check in review
    List the origins that may call the API; keep credentials only for those.

    ## Example
    ```python
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    ```

    ## Use instead
    ```python
    app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
    ```

    ## Known limitations
    Origins read from configuration are not followed.
    """
    qual = ctx.call_qualname(node) or ""
    args = {kw.arg: kw.value for kw in node.keywords if kw.arg}
    if qual in ("flask_cors.CORS", "flask_cors.cross_origin"):
        origins = args.get("origins", args.get("resources"))
        wildcard = origins is None or _has_star(origins)
        if wildcard and _true(args.get("supports_credentials")):
            ctx.report(node, "CORS allows every origin with credentials: any site can read responses as the signed-in user")
        return
    middleware = node.args[0] if node.args else None
    is_cors = qual.endswith("CORSMiddleware") or (middleware is not None and (ctx.qualname(middleware) or "").endswith("CORSMiddleware"))
    if is_cors and _has_star(args.get("allow_origins")) and _true(args.get("allow_credentials")):
        ctx.report(node, "CORS allows every origin with credentials: any site can read responses as the signed-in user")


def _has_star(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant):
        return node.value == "*"
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return any(isinstance(e, ast.Constant) and e.value == "*" for e in node.elts)
    return False
