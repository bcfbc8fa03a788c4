"""Rule families. Importing this package registers every rule module in it."""

import importlib
import pkgutil


def _load_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        importlib.import_module(f"{__name__}.{info.name}")


_load_all()
