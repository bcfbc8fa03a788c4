"""What makes data clean: conversions, escapes for one kind of sink, and checks followed by an
early exit (the refinement of a branch condition)."""

from __future__ import annotations

import ast

from leery.core.taint.model import KINDS

ALL = frozenset(KINDS)
_TEXTUAL = ALL - {"path", "ssrf", "redirect", "deserialization", "xml"}

# Calls whose result is clean for the listed sink kinds (ALL: clean, full stop).
CALLS: dict[str, frozenset[str]] = {
    **{name: ALL for name in (
        "int", "float", "bool", "complex", "len", "abs", "round", "ord", "hash", "id", "isinstance", "issubclass",
        "callable", "type", "uuid.UUID", "decimal.Decimal", "datetime.datetime.fromisoformat", "datetime.date.fromisoformat",
        "datetime.datetime.strptime", "math.floor", "math.ceil", "hmac.compare_digest", "secrets.compare_digest",
        "os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.getsize", "bleach.clean_text",
    )},
    "ipaddress.ip_address": ALL - {"ssrf"},
    "shlex.quote": frozenset({"shell"}),
    "pipes.quote": frozenset({"shell"}),
    "shlex.join": frozenset({"shell"}),
    "html.escape": frozenset({"xss"}),
    "markupsafe.escape": frozenset({"xss"}),
    "flask.escape": frozenset({"xss"}),
    "jinja2.escape": frozenset({"xss"}),
    "django.utils.html.escape": frozenset({"xss"}),
    "django.utils.html.conditional_escape": frozenset({"xss"}),
    "django.utils.html.strip_tags": frozenset({"xss"}),
    "bleach.clean": frozenset({"xss"}),
    "cgi.escape": frozenset({"xss"}),
    "xml.sax.saxutils.escape": frozenset({"xss"}),
    "werkzeug.utils.secure_filename": frozenset({"path"}),
    "werkzeug.secure_filename": frozenset({"path"}),
    "django.utils.text.get_valid_filename": frozenset({"path"}),
    "os.path.basename": frozenset({"path"}),
    "re.escape": frozenset({"redos"}),
    "ldap.filter.escape_filter_chars": frozenset({"ldap"}),
    "ldap3.utils.conv.escape_filter_chars": frozenset({"ldap"}),
    "urllib.parse.quote": _TEXTUAL,
    "urllib.parse.quote_plus": _TEXTUAL,
    "json.dumps": frozenset({"crlf"}),
    "repr": frozenset({"crlf"}),
    "ascii": frozenset({"crlf"}),
}
# Methods that return something other than the text (a number, a truth value).
CLEAN_METHODS = frozenset({
    "isdigit", "isnumeric", "isdecimal", "isalnum", "isalpha", "isidentifier", "isascii", "islower", "isupper",
    "isspace", "startswith", "endswith", "count", "find", "rfind", "index", "rindex", "__len__", "exists", "is_file",
    "is_dir", "is_valid", "validate", "keys_count", "hexdigest", "digest",
})
# `x.isdigit()` true: x is made of characters no sink cares about.
GUARD_METHODS = frozenset({"isdigit", "isnumeric", "isdecimal", "isalnum", "isalpha", "isidentifier"})
# Checks whose truth proves a URL stays on an allowed host.
SAFE_URL_CHECKS = frozenset({
    "django.utils.http.url_has_allowed_host_and_scheme", "django.utils.http.is_safe_url",
})
SAFE_URL_NAMES = frozenset({"url_has_allowed_host_and_scheme", "is_safe_url", "is_safe_redirect_url", "is_safe_redirect"})
# A path checked to stay inside a base directory.
CONTAINMENT_METHODS = frozenset({"startswith", "is_relative_to"})
REGEX_MATCH = frozenset({"re.fullmatch", "re.match", "re.search"})
URLPARSE = frozenset({"urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse.urlparse"})


def crlf_replace(call: ast.Call) -> bool:
    """`x.replace("\\n", "")` (or "\\r"): the line break is gone for header/log purposes."""
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "replace"
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
        and call.args[0].value in ("\n", "\r", "\r\n")
    )


def anchored(pattern: ast.AST, how: str) -> bool:
    """A regex whose match covers the whole string: fullmatch, or ^...$ / \\A...\\Z."""
    if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, (str, bytes))):
        return False
    text = pattern.value if isinstance(pattern.value, str) else pattern.value.decode("latin-1")
    if how == "fullmatch":
        return True
    start = how == "match" or text.startswith("^") or text.startswith("\\A")
    end = text.endswith("$") and not text.endswith("\\$") or text.endswith("\\Z") or text.endswith("\\z")
    return start and end


def is_constant_collection(node: ast.AST, constants: set[str]) -> bool:
    """A literal set/list/tuple/dict of constants, `.keys()` of one, or a module constant."""
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return all(isinstance(e, ast.Constant) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(isinstance(k, ast.Constant) for k in node.keys if k is not None)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "keys" and not node.args:
        return is_constant_collection(node.func.value, constants)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set", "tuple") and len(node.args) == 1:
        return is_constant_collection(node.args[0], constants)
    if isinstance(node, ast.Name):
        return node.id in constants
    if isinstance(node, ast.Attribute):
        # settings.ALLOWED_HOSTS, self.ALLOWED: upper-case names are configuration, not input.
        return node.attr.isupper()
    return False


def module_constants(tree: ast.Module) -> set[str]:
    """Module-level names bound once to a constant collection (or named in UPPER_CASE)."""
    found: set[str] = set()
    for stmt in tree.body:
        targets: list[ast.expr] = []
        value = None
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        for target in targets:
            if isinstance(target, ast.Name) and (target.id.isupper() or is_constant_collection(value, found)):
                found.add(target.id)
    return found
