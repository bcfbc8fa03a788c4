"""Which functions count as helpers worth comparing, and which pairs are worth a finding.

Mature projects are full of code that looks alike for good reasons: methods that several
classes must each define for one interface, property getters, `__repr__`s, stubs, tests that
differ only in their data. None of that is a helper to merge, so it is left out here rather
than reported and suppressed one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leery.workspace.index import Record

SECTION = "duplicates"
SCHEMA: dict[str, tuple[str, Any]] = {
    "threshold": ("a number between 0.5 and 1", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 0.5 <= v <= 1),
    "min-statements": ("a positive integer", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1),
    "min-tokens": ("a positive integer", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1),
    "include-tests": ("true or false", lambda v: isinstance(v, bool)),
    "cache": ("true or false", lambda v: isinstance(v, bool)),
}

# Decorators that make a function part of a protocol rather than a free-standing helper.
_PROTOCOL_DECORATORS = ("property", "setter", "getter", "deleter", "cached_property", "abstractmethod", "overload", "register", "fixture")
# Names that every module of some kinds defines by convention, each with its own job.
CONVENTIONAL_NAMES = frozenset(
    {
        "main", "run", "cli", "setup", "teardown", "setup_module", "teardown_module", "setup_function",
        "teardown_function", "load_tests", "includeme", "register", "create_app", "app", "handler",
        "lambda_handler", "configure", "init", "upgrade", "downgrade", "get_parser", "parse_args",
    }
)
# Decorators that leave a function a plain helper; any other one may register it somewhere
# (`@app.route`, `@upsert.for_db("sqlite")`, `@hookimpl`): a per-module variant on purpose.
PLAIN_DECORATORS = frozenset({"lru_cache", "cache", "wraps", "staticmethod", "classmethod", "contextmanager", "asynccontextmanager"})
NAMESAKE_FLOOR = 0.3  # below this, two namesakes share a name and nothing else
# A name that many modules define is a module-level protocol (`add_arguments` in every command
# module): only namesakes this similar still look like diverged copies of one helper.
PROTOCOL_MODULES = 3
PROTOCOL_FLOOR = 0.6


@dataclass(frozen=True)
class Options:
    threshold: float = 0.75
    min_statements: int = 2
    min_tokens: int = 20
    include_tests: bool = False
    cache: bool = True

    @classmethod
    def from_settings(cls, settings) -> "Options":
        section = settings.section(SECTION) if settings is not None else {}
        return cls(
            threshold=float(section.get("threshold", cls.threshold)),
            min_statements=int(section.get("min-statements", cls.min_statements)),
            min_tokens=int(section.get("min-tokens", cls.min_tokens)),
            include_tests=bool(section.get("include-tests", cls.include_tests)),
            cache=bool(section.get("cache", cls.cache)),
        )


def is_helper(record: Record, options: Options, test_file: bool) -> bool:
    """Whether a function is the kind of code one would reuse instead of rewriting."""
    if record.trivial or (record.name.startswith("__") and record.name.endswith("__")):
        return False
    if not options.include_tests and (test_file or record.name.startswith("test")):
        return False
    if any(d.rsplit(".", 1)[-1] in _PROTOCOL_DECORATORS for d in record.decorators):
        return False
    return record.tokens >= options.min_tokens and record.statements >= options.min_statements


def deliberate_pair(a: Record, b: Record) -> bool:
    """Two definitions that exist side by side on purpose: one method name on several
    classes (an interface), one name defined twice in a file (a version switch), or siblings
    in one class or module that differ in their literals or a few statements (`get`/`post`
    calling `self.open("GET")`/`("POST")`, `align_top`/`align_bottom`). In one file only
    copies identical up to local names count."""
    if a.name == b.name and a.is_method and b.is_method:
        return True
    if a.path == b.path:
        return a.qualname == b.qualname or a.literal != b.literal
    # Both registered somewhere (`@create_db.for_db("oracle")` / `("mysql")`): per-backend
    # variants; only a copy identical up to local names still counts.
    return registered(a) and registered(b) and a.literal != b.literal


def registered(record: Record) -> bool:
    return any(d.rsplit(".", 1)[-1] not in PLAIN_DECORATORS for d in record.decorators)


def namesake_candidate(record: Record, options: Options, test_file: bool) -> bool:
    """Module-level, public, undecorated (or plainly decorated), non-conventional helpers."""
    if record.is_method or record.trivial or record.name in CONVENTIONAL_NAMES or record.name.startswith("_"):
        return False
    if registered(record):
        return False
    if not options.include_tests and (test_file or record.name.startswith("test")):
        return False
    return record.tokens >= 12


def _declare_section() -> None:
    from leery.core.config import SECTIONS

    SECTIONS.setdefault(SECTION, SCHEMA)


_declare_section()
