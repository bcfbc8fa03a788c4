"""When each test of the pinned bandit (1.9.4) can report at all, so that the walk calls a test
only on the calls and strings it could report on.

Under `select = ["ALL"]` bandit runs 33 tests on every call and 4 on every string, and nearly all
of them return at their first line: the call's name is not theirs. Each gate below is a
necessary condition for its test to return an issue, read off the test's source in
bandit/plugins/ (quoted in the comments). A test without a gate here runs on every node of its
type, as in bandit; with another bandit version no gate applies. Skipping a test where it would
return None changes nothing: no test of this version writes anything a later test reads.
`tests/test_bandit_adapter.py` runs every test on every node of a corpus and checks that none
reports where its gate said it cannot.

A gate is a list of alternatives, any of which lets the test run:
  ("qual", names)  the call's qualified name (`context.call_function_name_qual`) is one of them
  ("name", names)  the last part of it (`context.call_function_name`) is one of them
  ("head", names)  its first part is one of them
  ("kw", names)    the call has a keyword argument by one of these names
  ("pred", f)      f(node, qualname, name) is true
An empty list: the test can never report (its configuration turns it off).
"""

from __future__ import annotations

import ast

VERSION = "1.9.4"

_SHELL_FUNCS = ("subprocess", "shell", "no_shell")


def _config_lists(config, *keys) -> frozenset[str]:
    return frozenset(name for key in keys for name in (config or {}).get(key, ()))


def _has_str_keyword(node, qual, name) -> bool:
    # B106: `isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str) and ...`
    return any(isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str) for kw in node.keywords)


def _calls_dunder_import(node, qual, name) -> bool:
    # blacklist: `isinstance(func, ast.Name) and func.id == "__import__"`
    func = node.func
    return isinstance(func, ast.Name) and func.id == "__import__"


def _blacklist(config):
    # blacklist (B3xx): reports when `name == qn` for a listed qualname; the name is the call's
    # qualname, or for `importlib.import_module`/`importlib.__import__` its first argument.
    qualnames = frozenset(qn for check in (config or {}).get("Call", ()) for qn in check["qualnames"])
    return [("qual", qualnames | {"importlib.import_module", "importlib.__import__"}), ("pred", _calls_dunder_import)]


_CALL = {
    # `if config and context.call_function_name_qual not in config["subprocess"]: if has_shell(context)`;
    # has_shell: `if "shell" in context.call_keywords`
    "injection_shell.any_other_function_with_shell_equals_true": lambda c: [("kw", {"shell"})] if c else [],
    # `if config and context.call_function_name_qual in config["subprocess"]`
    "injection_shell.subprocess_popen_with_shell_equals_true": lambda c: [("qual", _config_lists(c, "subprocess"))] if c else [],
    "injection_shell.subprocess_without_shell_equals_true": lambda c: [("qual", _config_lists(c, "subprocess"))] if c else [],
    # `if config and context.call_function_name_qual in config["shell"]`
    "injection_shell.start_process_with_a_shell": lambda c: [("qual", _config_lists(c, "shell"))] if c else [],
    # `if config and context.call_function_name_qual in config["no_shell"]`
    "injection_shell.start_process_with_no_shell": lambda c: [("qual", _config_lists(c, "no_shell"))] if c else [],
    # `if config and len(context.call_args): if ... qual in config["subprocess"] or ... ["shell"] or ... ["no_shell"]`
    "injection_shell.start_process_with_partial_path": lambda c: [("qual", _config_lists(c, *_SHELL_FUNCS))] if c else [],
    # `if context.call_function_name_qual in config["shell"] or (... in config["subprocess"] and ...)`
    "injection_wildcard.linux_commands_wildcard_injection": lambda c: (
        [("qual", _config_lists(c, "shell", "subprocess"))] if c and "shell" in c and "subprocess" in c else []
    ),
    # `if context.call_function_name == "extra"`
    "django_sql_injection.django_extra_used": lambda c: [("name", {"extra"})],
    # `if context.call_function_name == "RawSQL"`
    "django_sql_injection.django_rawsql_used": lambda c: [("name", {"RawSQL"})],
    # `if context.call_function_name in affected_functions`
    "django_xss.django_mark_safe": lambda c: [("name", {"mark_safe", "SafeText", "SafeUnicode", "SafeString", "SafeBytes"})],
    # `if context.call_function_name_qual == "exec"`
    "exec.exec_used": lambda c: [("qual", {"exec"})],
    # `if context.call_function_name_qual.endswith(".run")`: its last part is "run"
    "app_debug.flask_debug_true": lambda c: [("name", {"run"})],
    "general_hardcoded_password.hardcoded_password_funcarg": lambda c: [("pred", _has_str_keyword)],
    # `if "hashlib" in qualname_list: ... elif "crypt" in qualname_list and ...`
    "hashlib_insecure_functions.hashlib": lambda c: [("pred", lambda node, qual, name: "hashlib" in qual or "crypt" in qual)],
    # `func_name = qualname_parts[-1]; if func_name not in unsafe_patterns: return`
    "huggingface_unsafe_download.huggingface_unsafe_download": lambda c: [
        ("name", {"from_pretrained", "load_dataset", "hf_hub_download", "snapshot_download", "repository_id"})
    ],
    # `if "jinja2" in qualname_list and func == "Environment"`
    "jinja2_templates.jinja2_autoescape_false": lambda c: [("name", {"Environment"})],
    # `context.call_function_name_qual == "logging.config.listen" and ...`
    "logging_config_insecure_listen.logging_config_insecure_listen": lambda c: [("qual", {"logging.config.listen"})],
    # `if qualname not in ("markupsafe.Markup", "flask.Markup"): if qualname not in config.get("extend_markup_names", []): return None`
    "markupsafe_markup_xss.markupsafe_markup_xss": lambda c: [
        ("qual", {"markupsafe.Markup", "flask.Markup"} | frozenset((c or {}).get("extend_markup_names", [])))
    ],
    # `if context.call_function_name in ["exec_command"]`
    "injection_paramiko.paramiko_calls": lambda c: [("name", {"exec_command"})],
    # `if qualname in {"torch.load", "torch.serialization.load"}` (else it returns None)
    "pytorch_load.pytorch_load": lambda c: [("qual", {"torch.load", "torch.serialization.load"})],
    # `qualname = context.call_function_name_qual.split(".")[0]; if qualname == "requests" ... or qualname == "httpx" ...`
    "crypto_request_no_cert_validation.request_with_no_cert_validation": lambda c: [("head", {"requests", "httpx"})],
    "request_without_timeout.request_without_timeout": lambda c: [("head", {"requests", "httpx"})],
    # `if "chmod" in context.call_function_name`
    "general_bad_file_permissions.set_bad_file_permissions": lambda c: [("pred", lambda node, qual, name: "chmod" in name)],
    # `if context.call_function_name_qual == "pysnmp.hlapi.CommunityData"`
    "snmp_security_check.snmp_insecure_version_check": lambda c: [("qual", {"pysnmp.hlapi.CommunityData"})],
    # `if context.call_function_name_qual == "pysnmp.hlapi.UsmUserData"`
    "snmp_security_check.snmp_crypto_check": lambda c: [("qual", {"pysnmp.hlapi.UsmUserData"})],
    # `and context.call_function_name == "set_missing_host_key_policy"`
    "ssh_no_host_key_verification.ssh_no_host_key_verification": lambda c: [("name", {"set_missing_host_key_policy"})],
    # every branch needs `check_call_arg_value("ssl_version" or "method", ...)` true: a keyword by that name
    "insecure_ssl_tls.ssl_with_bad_version": lambda c: [("kw", {"ssl_version", "method"})],
    # `if context.call_function_name_qual == "ssl.wrap_socket"`
    "insecure_ssl_tls.ssl_with_no_version": lambda c: [("qual", {"ssl.wrap_socket"})],
    # `all([... , "extractall" in context.call_function_name])`
    "tarfile_unsafe_members.tarfile_unsafe_members": lambda c: [("pred", lambda node, qual, name: "extractall" in name)],
    # `if "mako" in qualname_list and func == "Template"`
    "mako_templates.use_of_mako_templates": lambda c: [("name", {"Template"})],
    # `func_key_type.get(context.call_function_name_qual)` in both helpers; no key type, no issue
    "weak_cryptographic_key.weak_cryptographic_key": lambda c: [("qual", {
        "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key",
        "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key",
        "cryptography.hazmat.primitives.asymmetric.ec.generate_private_key",
        "Crypto.PublicKey.DSA.generate", "Crypto.PublicKey.RSA.generate",
        "Cryptodome.PublicKey.DSA.generate", "Cryptodome.PublicKey.RSA.generate",
    })],
    # `all(["yaml" in qualname_list, func == "load", ...])`
    "yaml_load.yaml_load": lambda c: [("name", {"load"})],
    "blacklisting.blacklist": _blacklist,
}


def _tmp_gate(config):
    # `if config is not None and "tmp_dirs" in config: tmp_dirs = config["tmp_dirs"] else: [defaults]`;
    # `if any(context.string_val.startswith(s) for s in tmp_dirs)`
    dirs = tuple(config["tmp_dirs"]) if config is not None and "tmp_dirs" in config else ("/tmp", "/var/tmp", "/dev/shm")  # nosec B108
    return [("pred", lambda node, qual, name: node.value.startswith(dirs))]


_PASSWORD_PARENTS = (ast.Assign, ast.Dict, ast.Subscript, ast.Index, ast.Compare)
_SQL_PARENTS = (ast.BinOp, ast.JoinedStr)

_STR = {
    # `if context.string_val == "0.0.0.0"`
    "general_bind_all_interfaces.hardcoded_bind_all_interfaces": lambda c: [("pred", lambda node, qual, name: node.value == "0.0.0.0")],  # nosec B104
    "general_hardcoded_password.hardcoded_password_string": lambda c: [("pred", _password_parent)],
    # `_evaluate_ast` leaves the statement "" (no match of SIMPLE_SQL_RE) unless the parent is a
    # BinOp, an Attribute `.format`/`.replace` or a JoinedStr
    "injection_sql.hardcoded_sql_expressions": lambda c: [("pred", _sql_parent)],
    "general_hardcoded_tmp.hardcoded_tmp_directory": _tmp_gate,
}


def _password_parent(node, qual, name) -> bool:
    # Its branches: the parent an Assign, a Dict, a Subscript, an Index or a Compare. The Dict one
    # is `node in node._bandit_parent.keys and RE_CANDIDATES.search(node.value)`: the search
    # first, as the membership test is a pass over all keys for each string of a big dict.
    parent = node._bandit_parent
    if isinstance(parent, ast.Dict):
        from bandit.plugins.general_hardcoded_password import RE_CANDIDATES

        return RE_CANDIDATES.search(node.value) is not None
    return isinstance(parent, _PASSWORD_PARENTS)


def _sql_parent(node, qual, name) -> bool:
    parent = node._bandit_parent
    return isinstance(parent, _SQL_PARENTS) or (isinstance(parent, ast.Attribute) and parent.attr in ("format", "replace"))


_EMPTY: frozenset[int] = frozenset()


class Gates:
    """The gates of one node type's tests, indexed for a quick answer per node."""

    def __init__(self, kind: str, tests: list, entries: list) -> None:
        """`tests`: bandit's test functions; `entries`: what `choose` answers for each."""
        table = {"Call": _CALL, "Str": _STR}.get(kind, {})
        self.entries = entries
        self.always: frozenset[int] = frozenset()
        self.by = {"qual": {}, "name": {}, "head": {}, "kw": {}}
        self.preds: list[tuple[int, object]] = []
        always = set()
        for index, test in enumerate(tests):
            key = test.__module__.rpartition(".")[2] + "." + test.__name__
            make = table.get(key) if test.__module__.startswith(("bandit.plugins.", "bandit.core.")) else None
            if make is None:
                always.add(index)
                continue
            for kind_, values in make(getattr(test, "_config", None)):
                if kind_ == "pred":
                    self.preds.append((index, values))
                    continue
                for value in values:
                    index_of = self.by[kind_]
                    index_of[value] = index_of.get(value, _EMPTY) | {index}
        self.always = frozenset(always)
        self._chosen: dict[frozenset[int], tuple] = {}

    def choose(self, node, qual: str | None = None, name: str | None = None) -> tuple:
        """The tests that may report on this node, in bandit's order."""
        by = self.by
        hits = self.always
        if qual is not None:
            hits = hits | by["qual"].get(qual, _EMPTY) | by["name"].get(name, _EMPTY) | by["head"].get(qual.partition(".")[0], _EMPTY)
            kws = by["kw"]
            if kws:
                for kw in node.keywords:
                    hits = hits | kws.get(kw.arg, _EMPTY)
        for index, pred in self.preds:
            if index not in hits and pred(node, qual, name):
                hits = hits | {index}
        chosen = self._chosen.get(hits)
        if chosen is None:
            chosen = self._chosen[hits] = tuple(self.entries[i] for i in sorted(hits))
        return chosen


def gates_for(tests: dict[str, list], entries: dict[str, list]) -> dict[str, Gates]:
    """Gates per node type, for the pinned bandit only."""
    import bandit

    if bandit.__version__ != VERSION:
        return {}
    return {kind: Gates(kind, tests[kind], entries[kind]) for kind in ("Call", "Str") if tests.get(kind)}
