"""Adapters that turn external analyzers' results into Findings. Each registers its codes."""

import importlib
import pkgutil

ADAPTERS: dict[str, object] = {}  # name -> module with `CODES` and `run(source, ctx_settings, enabled)`


def _load_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "run"):
            ADAPTERS[info.name] = module


_load_all()
