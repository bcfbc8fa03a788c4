"""`leery check [PATHS]`: analyse files in parallel and print findings.

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from leery.core.output import FORMATS


FAIL_ON = ("error", "warning", "info", "hint")  # worst first


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the current folder)")
    parser.add_argument("--select", type=_codes, help="only these rules (codes, prefixes like LY1, or names), comma-separated")
    parser.add_argument("--ignore", type=_codes, help="skip these rules, comma-separated")
    parser.add_argument("--extend-select", type=_codes, help="add these rules to the configured ones")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    parser.add_argument("--unsafe-fixes", action="store_true", help="with --fix, apply unsafe fixes too")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument("--statistics", action="store_true", help="count findings per rule")
    parser.add_argument("--config", type=Path, help="use this leery.toml / pyproject.toml instead of discovery")
    parser.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: all cores)")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    parser.add_argument("--output", "-o", type=Path, help="write the report to this file instead of stdout")
    parser.add_argument("--since", metavar="REV", help="only findings on lines changed since the merge base with REV (new files included)")
    parser.add_argument("--no-baseline", action="store_true", help="ignore .leery/baseline.json: show every finding")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="hint",
        help="exit 1 only for findings of this severity or worse (default: any finding; reviewed hints never count)",
    )


def run(args: argparse.Namespace) -> int:
    from leery.commands.checking import CheckRequest, check_files
    from leery.core.config import ConfigError

    if args.unsafe_fixes and not args.fix:
        print("leery: --unsafe-fixes needs --fix", file=sys.stderr)
        return 2
    if args.fix and args.since:
        print("leery: --fix cannot be combined with --since (fixes move lines, the changed lines would be stale)", file=sys.stderr)
        return 2
    overrides: dict = {}
    if args.select:
        overrides["select"] = args.select
    if args.ignore:
        overrides["ignore"] = args.ignore
    if args.extend_select:
        overrides["extend-select"] = args.extend_select
    if args.no_baseline:
        overrides["baseline"] = {"enabled": False}
    request = CheckRequest(
        paths=args.paths or [Path(".")],
        overrides=overrides,
        config=args.config,
        fix=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        jobs=args.jobs or (os.cpu_count() or 1),
        progress=not args.no_progress and sys.stderr.isatty() and args.format == "text",
        since=args.since,
    )
    from leery.review.gitinfo import GitError
    from leery.review.record import RecordError

    try:
        outcome = check_files(request)
    except ConfigError as exc:
        print(f"leery: configuration error: {exc}", file=sys.stderr)
        return 2
    except RecordError as exc:
        print(f"leery: {exc}", file=sys.stderr)
        return 2
    except GitError as exc:
        print(f"leery: --since: {exc}", file=sys.stderr)
        return 2
    from leery.core.output import RenderContext, render

    ctx = RenderContext(
        color=args.format == "text" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
        statistics=args.statistics,
        files_checked=outcome.files_checked,
        fixed=outcome.fixed,
    )
    report = render(args.format, outcome.findings, ctx)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
        sys.stdout.flush()
    if args.exit_zero:
        return 0
    from leery.review.filters import is_reviewed

    worst = FAIL_ON.index(args.fail_on)
    failing = [f for f in outcome.findings if not is_reviewed(f) and FAIL_ON.index(f.severity.value) <= worst]
    return 1 if failing else 0

