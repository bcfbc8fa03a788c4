"""Every registered rule: unique code, kebab name, every documentation heading, a sample."""

from __future__ import annotations

import re

import pytest

from leery.core.registry import FIX_HEADING, HEADINGS, load_rules
from sampling import SAMPLES

REGISTRY = load_rules()
RULES = sorted(REGISTRY.rules.values(), key=lambda r: r.code)


def test_names_are_unique():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_every_heading(rule):
    for heading in HEADINGS:
        assert re.search(rf"^{re.escape(heading)}\s*$", rule.doc, re.M), f"{rule.code} lacks {heading!r}"
        assert rule.section(heading[3:]), f"{rule.code}: {heading!r} is empty"
    if rule.fixable:
        assert re.search(rf"^{re.escape(FIX_HEADING)}\s*$", rule.doc, re.M), f"{rule.code} is fixable but lacks {FIX_HEADING!r}"
    assert rule.summary.strip()


# LY004 reports a rule that crashed (test_engine.py triggers it); LY005 a file that is not
# UTF-8 text, which a .py sample cannot be (test_cli.py covers it).
NO_SAMPLE = {"LY004", "LY005"}


@pytest.mark.parametrize("rule", [r for r in RULES if r.code.startswith("LY") and r.code not in NO_SAMPLE], ids=lambda r: r.code)
def test_rule_has_a_sample_that_triggers_it(rule):
    samples = list(SAMPLES.rglob(f"{rule.code}_*.py"))
    assert samples, f"no samples/<family>/{rule.code}_<name>.py"
    texts = "".join(p.read_text(encoding="utf-8") for p in SAMPLES.rglob("*.py"))
    assert re.search(rf"#\s*expect:[A-Z0-9, ]*\b{rule.code}\b", texts), f"no sample expects {rule.code}"


def test_docs_rules_pages_match_the_rules():
    """docs/rules/ is generated: `python -m leery.core.ruledocs` rewrites it."""
    from leery.core.ruledocs import expected_files
    from sampling import ROOT

    folder = ROOT / "docs" / "rules"
    want = expected_files(REGISTRY)
    have = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    stale = sorted(name for name in want if have.get(name) != want[name])
    extra = sorted(set(have) - set(want))
    assert not stale and not extra, f"run `python -m leery.core.ruledocs`; stale: {stale[:10]}, extra: {extra[:10]}"
