"""`leery review add | list | prune`: the review record in `.leery/reviews.toml`.

Exit codes: 0 done, 1 `list` found entries that no longer match, 2 refused (no reason, no such
finding, bad date, unreadable record).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="record that a person reviewed a finding and why it is acceptable")
    add.add_argument("location", metavar="PATH:LINE[:COL]", help="where the finding starts (1-based line, as `leery check` prints it)")
    add.add_argument("code", metavar="CODE", help="the finding's rule code, e.g. LY101")
    add.add_argument("--reason", required=True, help="why the finding is acceptable (required)")
    add.add_argument("--expires", metavar="YYYY-MM-DD", help="the review stops counting on that day")
    add.add_argument("--reviewer", help="who reviewed it (default: git config user.name <user.email>)")
    add.add_argument("--config", type=Path, help="use this leery.toml / pyproject.toml instead of discovery")
    for name, help_text in (("list", "print the record and whether each entry still matches"), ("prune", "drop entries that match no finding any more")):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("path", nargs="?", type=Path, default=Path("."), help="a folder in the project (default: the current folder)")
        p.add_argument("--config", type=Path, help="use this leery.toml / pyproject.toml instead of discovery")
        if name == "list":
            p.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from leery.core.config import ConfigError
    from leery.review.gitinfo import GitError
    from leery.review.record import RecordError

    try:
        return {"add": _add, "list": _list, "prune": _prune}[args.action](args)
    except (ConfigError, RecordError, GitError) as exc:
        print(f"leery review {args.action}: {exc}", file=sys.stderr)
        return 2


def _settings(path: Path, config: Path | None):
    """The settings `leery check` would use for a file at `path`."""
    from leery.core.files import SettingsCache

    return SettingsCache({}, config.resolve() if config else None).for_path(path)


def _add(args: argparse.Namespace) -> int:
    from leery.core.suppressions import PLACEHOLDER_REASONS
    from leery.review import actions
    from leery.review.collect import keyed_findings
    from leery.review.gitinfo import reviewer as git_reviewer
    from leery.review.record import RecordError, project_root, relative

    path, line, col = _parse_location(args.location)
    if not path.is_file():
        raise RecordError(f"{path}: no such file")
    today = dt.date.today()
    if not " ".join(args.reason.split()) or args.reason.strip().lower() in PLACEHOLDER_REASONS:
        raise RecordError("a review needs a reason: say why this finding is acceptable")
    expires = actions.parse_expiry(args.expires, today)
    settings = _settings(path, args.config)
    root = project_root(path, settings)
    rel = relative(path, root)
    if rel is None:
        raise RecordError(f"{path} is outside the project {root}")
    by_file, _ = keyed_findings([path], config=args.config)
    items = by_file.get(str(path.resolve()), [])
    chosen = actions.at_line(items, line, args.code, col)
    if not chosen:
        here = sorted({k.finding.code for k in items if k.finding.span.start_line == line})
        found = f"findings on that line: {', '.join(here)}" if here else "no finding starts on that line"
        raise RecordError(f"no {args.code} finding at {args.location} ({found}); nothing to review")
    who = args.reviewer or git_reviewer(root)
    entries = [actions.make_entry(item, rel, who, args.reason, expires, today) for item in chosen]
    written = actions.add_entries(root, entries)
    for item in chosen:
        f = item.finding
        print(f"reviewed {rel}:{f.span.start_line + 1}:{f.span.start_col + 1} {f.code} ({f.message}) -> {written}")
    return 0


def _parse_location(text: str) -> tuple[Path, int, int | None]:
    """PATH:LINE or PATH:LINE:COL (1-based, as printed by `leery check`) -> 0-based line and column."""
    from leery.review.record import RecordError

    parts = text.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return Path(parts[0]), int(parts[1]) - 1, int(parts[2]) - 1
    parts = text.rsplit(":", 1)
    if len(parts) == 2 and parts[1].isdigit() and int(parts[1]) > 0:
        return Path(parts[0]), int(parts[1]) - 1, None
    raise RecordError(f"{text!r}: expected PATH:LINE (e.g. app/db.py:42)")


def _statuses(args: argparse.Namespace):
    """(root, reviews, {review key: status}) for the project around args.path."""
    from leery.review import actions
    from leery.review.collect import keyed_findings
    from leery.review.record import load_reviews, project_root, relative

    settings = _settings(args.path.resolve() / "__probe__.py", args.config)
    root = project_root(args.path.resolve() / "__probe__.py", settings)
    reviews = load_reviews(root)
    files = sorted({r.file for r in reviews})
    by_rel: dict = {}
    if files:
        # A file that is gone may have been renamed: then every file is searched for its entries.
        paths = [root] if any(not (root / f).is_file() for f in files) else [root / f for f in files]
        by_file, _ = keyed_findings(paths, config=args.config)
        by_rel = {relative(p, root): items for p, items in by_file.items()}
    today = dt.date.today()
    return root, reviews, {r.key: actions.status_of(r, by_rel, today) for r in reviews}


def _list(args: argparse.Namespace) -> int:
    root, reviews, status = _statuses(args)
    if args.json:
        print(json.dumps([{**r.to_dict(), "status": status[r.key]} for r in sorted(reviews, key=lambda r: r.key)], indent=2, ensure_ascii=False))
    else:
        if not reviews:
            print(f"No reviews recorded in {root / '.leery' / 'reviews.toml'}.")
        for r in sorted(reviews, key=lambda r: r.key):
            where = f" in {r.scope}" if r.scope else ""
            until = f", until {r.expires}" if r.expires else ""
            print(f"{r.file} {r.code}{where}: {status[r.key]}")
            print(f"    `{r.statement}`")
            print(f"    {r.reviewer}, {r.date}{until}: {r.reason}")
    stale = sum(1 for s in status.values() if s in ("no longer matches", "file missing") or s.startswith("moved to "))
    if stale and not args.json:
        print(f"\n{stale} entr{'y needs' if stale == 1 else 'ies need'} updating: `leery review prune` drops what matches nothing and follows moved files.")
    return 1 if stale else 0


def _prune(args: argparse.Namespace) -> int:
    from leery.review.record import save_reviews

    root, reviews, status = _statuses(args)
    keep, dropped, moved = [], [], []
    for r in reviews:
        state = status[r.key]
        if state.startswith("moved to "):
            moved.append(r)
            keep.append(dataclasses.replace(r, file=state[len("moved to ") :]))
        elif state in ("ok", "expired", "no reason"):
            keep.append(r)
        else:
            dropped.append(r)
    for r in dropped:
        print(f"dropped {r.file} {r.code}{' in ' + r.scope if r.scope else ''} ({status[r.key]}): {r.reason}")
    for r in moved:
        print(f"updated {r.file} {r.code}: {status[r.key]}")
    if dropped or moved:
        save_reviews(root, keep)
    print(f"{len(dropped)} dropped, {len(keep)} kept.")
    return 0
