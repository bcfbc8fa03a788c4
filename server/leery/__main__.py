import os
import sys

# `python -m leery` puts the current folder first on sys.path. Run inside a repository, a file
# there named like a module leery imports later (pyflakes.py, array.py) would run: drop it
# (DESIGN.md, principle 7). The same as `python -P`.
if sys.path and sys.path[0] in ("", os.getcwd()) and not sys.flags.safe_path:
    del sys.path[0]

from leery.cli import main  # noqa: E402

raise SystemExit(main())
