"""`leery` command line: a table of subcommands, each in `leery.commands.<name>`, imported lazily.

Each command module has `add_arguments(parser)` and `run(args) -> int` (exit code).
Exit codes: 0 clean, 1 findings, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from leery import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("leery.commands.check", "analyse files and print findings"),
    "serve": ("leery.commands.serve", "start the language server (stdio, or --tcp HOST:PORT)"),
    "rules": ("leery.commands.rules", "list every rule"),
    "explain": ("leery.commands.explain", "print a rule's documentation"),
    "review": ("leery.commands.review", "record that a finding was reviewed, list or prune the record"),
    "baseline": ("leery.commands.baseline", "write .leery/baseline.json: existing findings to leave for later"),
    "config": ("leery.commands.config_cmd", "show the effective configuration and where each value came from"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leery", description="Marks suspiciously plausible Python.")
    parser.add_argument("--version", action="version", version=f"leery {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # `serve` must start fast: skip importing every command's module.
    if argv[:1] == ["serve"]:
        module = importlib.import_module(COMMANDS["serve"][0])
        parser = argparse.ArgumentParser(prog="leery serve")
        module.add_arguments(parser)
        return module.run(parser.parse_args(argv[1:]))
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return module.run(args)
    except KeyboardInterrupt:
        print("leery: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
