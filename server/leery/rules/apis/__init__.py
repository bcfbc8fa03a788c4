"""LY4xx, hallucinated APIs and imports: modules, names, keywords and methods that do not exist.

Nothing here imports or runs workspace code: modules are found on disk (`modules`), their names
read from source (`names`), and call signatures inferred by jedi (`leery.analyzers.jedi_env`).
"""

from leery.rules.apis import attributes, idioms, imports, keywords  # noqa: F401  (registers the rules)
