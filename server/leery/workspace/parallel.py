"""Fingerprinting the files the record cache does not hold, on every core.

A fresh clone (CI) has no cache: parsing and fingerprinting every file was about a fifth of a
`leery check` run, spent in the parent before the analysis workers fork. The CLI farms that
out to a pool of its own; the parent merges the records in file order (Workspace.build), so the
index and the cache file come out as a serial build makes them.

Only for the CLI: the language server builds in a thread of a running server, where forking
is not safe, and its records come from the cache after the first start.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from leery.core.source import SourceFile
from leery.workspace.index import Record, records_from_source

# Below this much text a pool costs more than it saves (two forks and their start-up: tens of
# milliseconds; parsing and fingerprinting run at about 1.5 MB of source per second and core).
MIN_PARALLEL_CHARS = 256_000


def worth_a_pool(texts: list[str], jobs: int) -> bool:
    return jobs > 1 and len(texts) > 1 and sum(map(len, texts)) >= MIN_PARALLEL_CHARS


def records_by_digest(items: list[tuple[str, str, str]], jobs: int) -> dict[str, list[Record]]:
    """The records of each (digest, path, text), computed in `jobs` processes."""
    # Largest first, in small chunks, so no worker is left with a big file at the end.
    # No garbage collection in the workers: fingerprinting leaves no reference cycles (none on
    # the 131k-line benchmark tree), and the collections cost ~10% of their time.
    ordered = sorted(items, key=lambda item: -len(item[2]))
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    chunk = max(1, min(8, len(ordered) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=min(jobs, len(ordered)), mp_context=ctx, initializer=gc.disable) as pool:
        found = pool.map(_records, ordered, chunksize=chunk)
        return {digest: records for (digest, _, _), records in zip(ordered, found)}


def _records(item: tuple[str, str, str]) -> list[Record]:
    _, path, text = item
    return records_from_source(SourceFile(text, path))
