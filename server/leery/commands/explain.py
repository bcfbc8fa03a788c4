"""`leery explain CODE`: a rule's documentation (the same text hover and docs/rules/ show)."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", help="a rule code (LY101) or name (swallowed-exception)")


def run(args: argparse.Namespace) -> int:
    from leery.core.registry import load_rules

    registry = load_rules()
    rule = registry.get(args.rule.upper()) or registry.by_name(args.rule)
    if rule is None:
        print(f"leery: no rule {args.rule!r}; `leery rules` lists them", file=sys.stderr)
        return 2
    print(render_markdown(rule))
    return 0


def render_markdown(rule) -> str:
    fix = "yes" if rule.fixable else "no"
    head = (
        f"# {rule.code} {rule.name}\n\n{rule.summary}\n\n"
        f"Family: {rule.family}. Default severity: {rule.severity.value}. "
        f"Confidence: {rule.confidence.value}. Fix available: {fix}. Status: {rule.status}.\n"
    )
    return head + "\n" + rule.doc + "\n"
