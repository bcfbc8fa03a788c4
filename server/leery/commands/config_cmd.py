"""`leery config show [PATH]`: the effective configuration and where each value came from.

Replays the same `extend` chain that loading uses (base first), so the origins printed are
the ones that decided each value. Exit codes: 0 shown, 2 configuration error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

_REPLACED = ("select", "ignore")  # a later file replaces the value
_ADDED = ("extend-select", "extend-ignore", "exclude")  # a later file adds items
_TABLES = ("severity", "per-file-ignores")  # a later file replaces entries by key
DEFAULTS = {"select": "the rules that are on by default", "review.show": "hidden", "baseline.enabled": True}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="print the effective configuration and where each value came from")
    show.add_argument("path", nargs="?", type=Path, default=Path("."), help="a file or folder (default: the current folder)")
    show.add_argument("--config", type=Path, help="use this leery.toml / pyproject.toml instead of discovery")
    show.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from leery.core.config import ConfigError

    try:
        report = effective(args.path, args.config)
    except ConfigError as exc:
        print(f"leery: configuration error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else _text(report))
    return 0


def effective(path: Path, config: Path | None = None) -> dict[str, Any]:
    """{"root", "files": [{"path", "named_as"}], "values": [{"key", "value", "from"}], "enabled"}."""
    from leery.core import config as cfg

    start = path.resolve()
    config_file = config.resolve() if config else cfg.find_config_file(start)
    settings = cfg.load_settings(start, config_file=config_file)
    chain = cfg._load_chain(config_file, []) if config_file else []
    files = []
    for i, (file, _data) in enumerate(chain):
        named = chain[i + 1][1].get("extend") if i + 1 < len(chain) else None
        files.append({"path": str(file), "named_as": named or ("--config" if config else "found")})
    values: dict[str, dict[str, Any]] = {}
    for file, data in chain:
        origin = str(file)
        for key, value in data.items():
            if key == "extend":
                continue
            if key in _REPLACED:
                values[key] = {"value": list(value), "from": origin}
            elif key in _ADDED:
                entry = values.setdefault(key, {"value": [], "from": []})
                entry["value"] += list(value)
                entry["from"] += [origin] * len(value)
            elif key in _TABLES or key in cfg.SECTIONS:
                for sub, item in value.items():
                    values[f"{key}.{sub}"] = {"value": item, "from": origin}
    for key, default in DEFAULTS.items():
        values.setdefault(key, {"value": default, "from": "default"})
    return {
        "root": str(settings.root),
        "files": files,
        "values": [{"key": k, **v} for k, v in sorted(values.items())],
        "enabled": sorted(settings.enabled_codes()),
    }


def _text(report: dict[str, Any]) -> str:
    out = [f"Project root: {report['root']}"]
    if report["files"]:
        out.append("Configuration files, base first:")
        for f in report["files"]:
            out.append(f"  {f['path']}" + (f"  (extend = {f['named_as']!r})" if f["named_as"] not in ("found", "--config") else ""))
    else:
        out.append("No configuration file: defaults only.")
    out.append("")
    for v in report["values"]:
        if isinstance(v["from"], list):
            out.append(f"{v['key']} = {json.dumps(v['value'], ensure_ascii=False)}")
            for item, origin in zip(v["value"], v["from"]):
                out.append(f"    {json.dumps(item, ensure_ascii=False)}  from {origin}")
        else:
            out.append(f"{v['key']} = {json.dumps(v['value'], ensure_ascii=False)}  from {v['from']}")
    out.append("")
    out.append(f"Enabled rules ({len(report['enabled'])}): {' '.join(report['enabled'])}")
    return "\n".join(out)
