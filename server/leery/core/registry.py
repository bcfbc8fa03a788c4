"""Rule metadata, the @rule decorator, and selection by code, prefix or name.

Rules live in `leery.rules.<family>` modules; importing `leery.rules` loads them all.
External analyzers (pyflakes, bandit) register their codes here too, with `external=True`,
so select/ignore, docs and severity overrides treat them alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from leery.core.findings import Confidence, Severity

CODE_RE = re.compile(r"^[A-Z]+[0-9]+$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
HEADINGS = (
    "## What it does",
    "## Why it matters",
    "## What to check in review",
    "## Example",
    "## Use instead",
    "## Known limitations",
)
FIX_HEADING = "## Fix safety"

FAMILIES = {
    "LY0": "meta",
    "LY1": "unchecked errors",
    "LY2": "unvalidated input",
    "LY3": "duplicated helpers",
    "LY4": "hallucinated APIs and imports",
    "LY5": "hollow code",
    "LY6": "security hot spots",
}


@dataclass
class Rule:
    code: str
    name: str
    summary: str  # one line: what the finding means
    doc: str
    severity: Severity
    confidence: Confidence
    nodes: tuple[type, ...] = ()  # AST node types the engine dispatches to `check`
    check: Callable | None = None
    fixable: bool = False
    status: str = "stable"  # or "preview"
    default_enabled: bool = True
    external: str | None = None  # "pyflakes", "bandit": produced by an adapter, not `check`
    tier: str = "fast"  # "fast" runs on every keystroke; "slow" (jedi, workspace) runs after
    tags: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[:3], self.external or "other")

    @property
    def url(self) -> str:
        """A file: URI of the rule's page (codeDescription.href, SARIF helpUri)."""
        from leery.core.ruledocs import page_uri

        return page_uri(self)

    def section(self, heading: str) -> str:
        """The text under one `## Heading` of the docstring."""
        match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", self.doc, re.M | re.S)
        return match.group(1).strip() if match else ""


@dataclass
class Registry:
    rules: dict[str, Rule] = field(default_factory=dict)

    def add(self, rule: Rule) -> Rule:
        if not CODE_RE.match(rule.code):
            raise ValueError(f"bad rule code {rule.code!r}")
        if not NAME_RE.match(rule.name):
            raise ValueError(f"rule name {rule.name!r} must be kebab-case")
        existing = self.rules.get(rule.code)
        if existing is not None and existing.check is not rule.check:
            raise ValueError(f"rule code {rule.code} registered twice ({existing.name}, {rule.name})")
        self.rules[rule.code] = rule
        return rule

    def get(self, code: str) -> Rule | None:
        return self.rules.get(code)

    def by_name(self, name: str) -> Rule | None:
        for rule in self.rules.values():
            if rule.name == name:
                return rule
        return None

    def matching(self, selector: str) -> list[Rule]:
        """Rules that a selector names: a full code, a code prefix (`LY1`, `F`), a kebab name, or ALL."""
        if selector == "ALL":
            return list(self.rules.values())
        if CODE_RE.match(selector) or re.match(r"^[A-Z]+[0-9]*$", selector):
            return [r for r in self.rules.values() if r.code.startswith(selector)]
        rule = self.by_name(selector)
        return [rule] if rule else []

    def is_selector(self, selector: str) -> bool:
        return bool(self.matching(selector))


REGISTRY = Registry()


def rule(
    code: str,
    name: str,
    *,
    summary: str,
    nodes: Iterable[type] = (),
    severity: Severity = Severity.WARNING,
    confidence: Confidence = Confidence.HIGH,
    fixable: bool = False,
    status: str = "stable",
    default_enabled: bool = True,
    tier: str = "fast",
    tags: Iterable[str] = (),
) -> Callable[[Callable], Callable]:
    """Register a rule function. Its docstring is the rule's documentation.

    The function is called as `check(node, ctx)` for every node of a type in `nodes`;
    `nodes=(ast.Module,)` gets the whole module once.
    """

    def decorate(func: Callable) -> Callable:
        REGISTRY.add(
            Rule(
                code=code,
                name=name,
                summary=summary,
                doc=_clean_doc(func.__doc__ or ""),
                severity=severity,
                confidence=confidence,
                nodes=tuple(nodes),
                check=func,
                fixable=fixable,
                status=status,
                default_enabled=default_enabled,
                tier=tier,
                tags=tuple(tags),
            )
        )
        func.rule_code = code  # type: ignore[attr-defined]
        return func

    return decorate


def _clean_doc(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


def load_rules() -> Registry:
    """Import every rule module (and adapters' code tables) once."""
    import leery.rules  # noqa: F401  (imports its submodules)
    import leery.analyzers  # noqa: F401

    return REGISTRY


def meta_rule(code: str, name: str, summary: str, doc: str, severity: Severity) -> Rule:
    """Register a rule that the engine itself emits (syntax error, suppression problems)."""
    return REGISTRY.add(
        Rule(code=code, name=name, summary=summary, doc=_clean_doc(doc), severity=severity, confidence=Confidence.HIGH)
    )


__all__ = ["REGISTRY", "Registry", "Rule", "rule", "load_rules", "meta_rule", "HEADINGS"]
