"""`leery baseline [PATHS]`: write `.leery/baseline.json`, the findings to leave for later.

The first run records every current finding (reviewed ones are not needed). Later runs drop
what was fixed and never add a new finding unless `--accept-new` says so.
Exit codes: 0 written, 2 error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the current folder)")
    parser.add_argument("--accept-new", action="store_true", help="also record findings that are not in the existing baseline")
    parser.add_argument("--config", type=Path, help="use this leery.toml / pyproject.toml instead of discovery")
    parser.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: all cores)")


def run(args: argparse.Namespace) -> int:
    from leery.core.config import ConfigError
    from leery.review.record import RecordError

    try:
        return _run(args)
    except (ConfigError, RecordError) as exc:
        print(f"leery baseline: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from leery.core.files import SettingsCache
    from leery.review.baseline import load_baseline, rewrite, save_baseline
    from leery.review.collect import keyed_findings
    from leery.review.record import RecordError, project_root, relative

    paths = args.paths or [Path(".")]
    # Reviewed findings stay out of the baseline; the old baseline must not hide anything here.
    by_file, checked_count = keyed_findings(
        paths, config=args.config, apply_reviews=True, jobs=args.jobs or (os.cpu_count() or 1), overrides={"baseline": {"enabled": False}}
    )
    cache = SettingsCache({}, args.config.resolve() if args.config else None)
    per_root: dict[Path, tuple[Counter, set[str]]] = {}
    for path, items in by_file.items():
        root = project_root(path, cache.for_path(Path(path)))
        rel = relative(path, root)
        if rel is None:
            continue
        counts, checked = per_root.setdefault(root, (Counter(), set()))
        checked.add(rel)
        for item in items:
            counts[(rel, item.finding.code, item.fingerprint.baseline)] += 1
    if not per_root:
        print("No Python files checked; nothing written.")
        return 0
    for root, (current, checked) in sorted(per_root.items()):
        try:
            old = load_baseline(root)
        except RecordError as exc:  # e.g. a merge conflict in it: start again from what is there now
            print(f"leery baseline: {exc}; writing a new one from the current findings", file=sys.stderr)
            old = None
        new, left_out, fixed = rewrite(old, current, checked, args.accept_new, exists=lambda file, root=root: (root / file).is_file())
        written = save_baseline(root, new)
        print(f"{written}: {sum(new.values())} findings in {len({k[0] for k in new})} files" + (f"; {fixed} no longer found (fixed or changed) and removed" if fixed else ""))
        if left_out:
            print(f"{sum(left_out.values())} new findings were NOT added (fix them, review them, or run with --accept-new):")
            for (file, code, _), n in sorted(left_out.items()):
                print(f"    {file}: {code}" + (f" x{n}" if n > 1 else ""))
    return 0
