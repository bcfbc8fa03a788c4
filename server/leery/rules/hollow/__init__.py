"""LY5xx, hollow code: placeholders, elided code, tests that assert nothing or never run."""

from leery.rules.hollow import elision, placeholders, skips, tests  # noqa: F401  (registers the rules)
