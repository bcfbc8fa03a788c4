"""Subcommands of the `leery` CLI (see leery.cli.COMMANDS)."""
