"""`leery rules [--json]`: every rule with its code, name, family and defaults."""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    from leery.core.registry import load_rules

    rules = sorted(load_rules().rules.values(), key=lambda r: (not r.code.startswith("LY"), r.code))
    if args.json:
        data = [
            {
                "code": r.code,
                "name": r.name,
                "summary": r.summary,
                "family": r.family,
                "severity": r.severity.value,
                "confidence": r.confidence.value,
                "fixable": r.fixable,
                "status": r.status,
                "default_enabled": r.default_enabled,
                "tier": r.tier,
                "source": r.external or "leery",
                "url": r.url,
            }
            for r in rules
        ]
        print(json.dumps(data, indent=2))
        return 0
    for r in rules:
        flags = ("fix " if r.fixable else "    ") + ("" if r.default_enabled else "(off) ")
        print(f"{r.code:7s} {r.name:40s} {flags}{r.summary}")
    return 0
