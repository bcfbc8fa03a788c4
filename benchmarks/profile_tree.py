"""Seconds per rule and per adapter over a whole tree, in one process, as `leery check` runs it:
`.venv/bin/python benchmarks/profile_tree.py [TREE]` (default: the 131k-line ws131 benchmark
tree; run benchmarks/run.py --quick once to download it). Also the parse and the collections
between files. The sum of the rows is less than "analyze total": the rest is the engine's walk."""

from __future__ import annotations

import ast
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from profile_engine import time_rules, timed  # noqa: E402


def main() -> int:
    import leery.commands.checking as checking
    from leery.core.registry import load_rules

    # Absolute: files named relative to another folder than the tree's root once hid the taint
    # pass's cross-file work.
    tree = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE / ".cache" / "ws131"
    load_rules()
    spent: dict[str, float] = {}
    time_rules(spent)
    checking.analyze = timed(spent, "analyze total", checking.analyze)
    checking._collect_and_freeze = timed(spent, "gc between files", checking._collect_and_freeze)
    ast.parse = timed(spent, "ast.parse", ast.parse)
    request = checking.CheckRequest(paths=[tree], overrides={"select": ["ALL"]}, jobs=1)
    start = time.perf_counter()
    outcome = checking.check_files(request)
    print(f"{tree.name}: {outcome.files_checked} files, {len(outcome.findings)} findings, {time.perf_counter() - start:.2f} s")
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:30]:
        print(f"{seconds:7.2f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
