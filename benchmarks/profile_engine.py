"""cProfile of analyze() on one benchmark file, per tier: `.venv/bin/python benchmarks/profile_engine.py [FILE] [--tier fast|slow]`.

FILE is a label from prepare.lsp_files() (default: the 5.6k-line sqlalchemy/orm/session.py) or a path.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import prepare  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default="sqlalchemy/orm/session.py")
    parser.add_argument("--tier", choices=("fast", "slow"), default="fast")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--by-rule", action="store_true", help="time each rule and adapter instead of cProfile")
    parser.add_argument("--incremental", action="store_true",
                        help="time the language server's case: a statement inserted into (and removed from) a function body, one State kept")
    args = parser.parse_args()
    prepare.ensure_trees()
    from leery.core.config import load_settings
    from leery.core.engine import analyze
    from leery.core.registry import load_rules
    from leery.core.source import SourceFile

    load_rules()
    path = prepare.lsp_files().get(args.file) or Path(args.file)
    text = path.read_text(encoding="utf-8")
    settings = load_settings(path.parent)
    tiers = (args.tier,)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        analyze(SourceFile(text, str(path)), settings, None, tiers=tiers)
        times.append((time.perf_counter() - start) * 1000)
    print(f"{path.name}: {text.count(chr(10))} lines, {args.tier} tier: " + ", ".join(f"{t:.0f} ms" for t in times))
    if args.by_rule:
        by_rule(text, str(path), settings, tiers, incremental=args.incremental)
        return 0
    profiler = cProfile.Profile()
    profiler.enable()
    analyze(SourceFile(text, str(path)), settings, None, tiers=tiers)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    return 0


def edited_versions(text: str) -> list[str]:
    """The text with `bench = 1` inserted in the middle function body, and the text itself."""
    import ast

    lines = text.split("\n")
    sites = sorted(s.lineno - 1 for n in ast.walk(ast.parse(text)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                   for s in n.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
    line = sites[len(sites) // 2]
    indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
    return ["\n".join(lines[:line] + [indent + "bench = 1"] + lines[line:]), text]


def timed(spent: dict[str, float], name: str, func):
    """`func`, adding the seconds each call takes to spent[name]."""
    def wrapper(*a, **k):
        start = time.perf_counter()
        try:
            return func(*a, **k)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
    return wrapper


def time_rules(spent: dict[str, float]):
    """Time every rule's check and every adapter into `spent`; returns the function that undoes it."""
    from leery.analyzers import ADAPTERS
    from leery.core.registry import REGISTRY

    originals = dict(REGISTRY.rules)
    adapters = {name: module.run for name, module in ADAPTERS.items()}
    for code, rule in originals.items():
        if rule.check is not None:
            REGISTRY.rules[code] = replace(rule, check=timed(spent, code, rule.check))
    for name, module in ADAPTERS.items():
        module.run = timed(spent, f"adapter:{name}", adapters[name])

    def undo() -> None:
        REGISTRY.rules.update(originals)
        for name, module in ADAPTERS.items():
            module.run = adapters[name]
    return undo


def by_rule(text: str, path: str, settings, tiers: tuple[str, ...], runs: int = 3, incremental: bool = False) -> None:
    """Median time per rule (its check() over the whole walk) and per adapter, plus the rest.
    `incremental`: the fast tier as the server runs it on an edit inside one function."""
    from leery.core.incremental import State

    state = State() if incremental else None
    texts = edited_versions(text) if incremental else [text]
    if incremental:
        from leery.core.engine import analyze as first_analysis
        from leery.core.source import SourceFile as Source

        runs = 10
        first_analysis(Source(text, path), settings, None, tiers=tiers, state=state)
    import gc
    import statistics
    from leery.core import reparse
    from leery.core.engine import analyze
    from leery.core.source import SourceFile

    totals: dict[str, list[float]] = {}
    current: dict[str, float] = {}
    untime = time_rules(current)
    try:
        gc.disable()  # as the server runs: collections after the analysis, not inside rules
        for run in range(runs):
            current.clear()
            start = time.perf_counter()
            if state is not None:  # as the server's fast tier: only the edited function parsed again
                source, state.lineage = reparse.source_for(state.lineage, texts[run % len(texts)], path)
            else:
                source = SourceFile(texts[run % len(texts)], path)
            parsed = time.perf_counter()
            analyze(source, settings, None, tiers=tiers, state=state)
            end = time.perf_counter()
            current["parse (SourceFile, or the splice)"] = parsed - start
            current["total"] = end - start
            current["engine walk and the rest"] = current["total"] - sum(v for k, v in current.items() if k != "total")
            for name, value in current.items():
                totals.setdefault(name, []).append(value)
            gc.collect()
    finally:
        gc.enable()
        untime()
    rows = sorted(((statistics.median(v) * 1000, k) for k, v in totals.items()), reverse=True)
    for ms, name in rows[:25]:
        print(f"{ms:9.1f} ms  {name}")


if __name__ == "__main__":
    sys.exit(main())
