"""Rule families. Importing this package registers every rule module in it.

A module that fails to import is logged and listed in FAILED_MODULES (the other families
still load); with LEERY_STRICT=1 (tests) the error is raised.
"""

import importlib
import logging
import os
import pkgutil

FAILED_MODULES: dict[str, str] = {}


def _load_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue  # private helpers are imported by the rule modules that use them
        try:
            importlib.import_module(f"{__name__}.{info.name}")
        except Exception as exc:
            if os.environ.get("LEERY_STRICT") == "1":
                raise
            FAILED_MODULES[info.name] = f"{type(exc).__name__}: {exc}"
            logging.getLogger("leery").error("leery: rule module %s failed to load: %s", info.name, exc, exc_info=exc)


_load_all()
