"""Seconds per rule and per adapter over a whole tree, in one process, as `leery check` runs it:
`.venv/bin/python benchmarks/profile_tree.py [TREE]` (default: the 131k-line ws131 benchmark
tree; run benchmarks/run.py --quick once to download it). Also the parse and the collections
between files. The sum of the rows is less than "analyze total": the rest is the engine's walk."""

from __future__ import annotations

import ast
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    import leery.commands.checking as checking
    from leery.analyzers import ADAPTERS
    from leery.core.registry import REGISTRY, load_rules

    tree = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / ".cache" / "ws131"
    load_rules()
    spent: dict[str, float] = {}

    def timed(name, func):
        def wrapper(*a, **k):
            start = time.perf_counter()
            try:
                return func(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
        return wrapper

    for code, rule in list(REGISTRY.rules.items()):
        if rule.check is not None:
            REGISTRY.rules[code] = replace(rule, check=timed(code, rule.check))
    for name, module in ADAPTERS.items():
        module.run = timed(f"adapter:{name}", module.run)
    checking.analyze = timed("analyze total", checking.analyze)
    checking._collect_and_freeze = timed("gc between files", checking._collect_and_freeze)
    ast.parse = timed("ast.parse", ast.parse)
    request = checking.CheckRequest(paths=[tree], overrides={"select": ["ALL"]}, jobs=1)
    start = time.perf_counter()
    outcome = checking.check_files(request)
    print(f"{tree.name}: {outcome.files_checked} files, {len(outcome.findings)} findings, {time.perf_counter() - start:.2f} s")
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:30]:
        print(f"{seconds:7.2f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
