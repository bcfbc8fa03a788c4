"""cProfile of analyze() on one benchmark file, per tier: `.venv/bin/python benchmarks/profile_engine.py [FILE] [--tier fast|slow]`.

FILE is a label from prepare.lsp_files() (default: the 5.6k-line sqlalchemy/orm/session.py) or a path.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import prepare  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default="sqlalchemy/orm/session.py")
    parser.add_argument("--tier", choices=("fast", "slow"), default="fast")
    parser.add_argument("--top", type=int, default=25)
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
    profiler = cProfile.Profile()
    profiler.enable()
    analyze(SourceFile(text, str(path)), settings, None, tiers=tiers)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
