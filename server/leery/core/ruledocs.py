"""docs/rules/: one Markdown page per rule, generated from the rule's docstring."""

from __future__ import annotations

import os
from pathlib import Path

from leery import __version__

from leery.core.registry import Registry


def page(rule) -> str:
    fix = "yes" if rule.fixable else "no"
    source = f"{rule.external} (re-labelled by leery)" if rule.external else "leery"
    return (
        f"# {rule.code} {rule.name}\n\n{rule.summary}\n\n"
        f"| family | default severity | confidence | fix | status | tier | from |\n"
        f"| --- | --- | --- | --- | --- | --- | --- |\n"
        f"| {rule.family} | {rule.severity.value} | {rule.confidence.value} | {fix} | {rule.status} | {rule.tier} | {source} |\n\n"
        f"{rule.doc}\n"
    )


_CHECKOUT_DOCS = Path(__file__).resolve().parents[3] / "docs" / "rules"


def page_uri(rule) -> str:
    """The checkout's docs/rules page when it is current, else one written to the user cache.

    There is no public web site to link to; a local page always opens and always matches the
    rule that produced the finding.
    """
    text = page(rule)
    checkout = _CHECKOUT_DOCS / f"{rule.code}.md"
    try:
        if checkout.read_text(encoding="utf-8") == text:
            return checkout.as_uri()
    except OSError:
        pass
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "leery" / "rules" / __version__
    target = cache / f"{rule.code}.md"
    try:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            cache.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    except OSError:
        pass
    return target.as_uri()


def index(rules) -> str:
    lines = ["# Rules", "", "Generated from the rules' docstrings by `python -m leery.core.ruledocs`.", ""]
    lines += ["| code | name | summary |", "| --- | --- | --- |"]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        lines.append(f"| [{rule.code}]({rule.code}.md) | {rule.name} | {summary} |")
    return "\n".join(lines) + "\n"


def expected_files(registry: Registry) -> dict[str, str]:
    rules = sorted(registry.rules.values(), key=lambda r: (not r.code.startswith("LY"), r.code))
    files = {f"{r.code}.md": page(r) for r in rules}
    files["README.md"] = index(rules)
    return files


def write(out: Path, registry: Registry) -> None:
    out.mkdir(parents=True, exist_ok=True)
    files = expected_files(registry)
    for stale in out.glob("*.md"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    from leery.core.registry import load_rules

    target = Path(__file__).resolve().parents[3] / "docs" / "rules"
    write(target, load_rules())
    print(f"wrote {target}")
