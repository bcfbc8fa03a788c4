"""The baseline: `.leery/baseline.json`, the findings a project had when it adopted leery.

Entries are (file, code, fingerprint) with a count, one per line in sorted order. Counts
matter: with two identical findings recorded, a third one is reported.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from leery.review.record import FOLDER, RecordError, cached_load, write_inside

BASELINE = "baseline.json"
VERSION = 1

Key = tuple[str, str, str]  # (file, code, fingerprint)


def load_baseline(root: Path) -> Counter[Key] | None:
    """The baseline's counts, or None when the project has none."""
    return cached_load(root / FOLDER / BASELINE, _parse)


def _parse(path: Path) -> Counter[Key]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordError(f"{path}: cannot read the baseline ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise RecordError(f"{path}: not a leery baseline (version {VERSION}); rewrite it with `leery baseline`")
    counts: Counter[Key] = Counter()
    for entry in data["findings"]:
        try:
            counts[(entry["file"], entry["code"], entry["fingerprint"])] += int(entry["count"])
        except (KeyError, TypeError, ValueError):
            raise RecordError(f"{path}: malformed entry {entry!r}") from None
    return counts


def render(counts: Counter[Key]) -> str:
    lines = [
        json.dumps({"file": f, "code": c, "fingerprint": fp, "count": n}, ensure_ascii=False)
        for (f, c, fp), n in sorted(counts.items())
        if n > 0
    ]
    body = ",\n    ".join(lines)
    return f'{{\n  "version": {VERSION},\n  "findings": [\n    {body}\n  ]\n}}\n' if lines else f'{{\n  "version": {VERSION},\n  "findings": []\n}}\n'


def save_baseline(root: Path, counts: Counter[Key]) -> Path:
    return write_inside(root, f"{FOLDER}/{BASELINE}", render(counts))


def rewrite(old: Counter[Key] | None, current: Counter[Key], checked: set[str], accept_new: bool) -> tuple[Counter[Key], Counter[Key]]:
    """The new baseline and the findings left out of it.

    Files checked this time get min(old, current) per key (fixed findings leave; new ones stay
    out unless `accept_new`); files not checked this time keep their old entries.
    """
    if old is None:
        return Counter(current), Counter()
    new: Counter[Key] = Counter({k: n for k, n in old.items() if k[0] not in checked})
    left_out: Counter[Key] = Counter()
    for key, n in current.items():
        kept = n if accept_new else min(n, old.get(key, 0))
        if kept:
            new[key] = kept
        if n > kept:
            left_out[key] = n - kept
    return new, left_out


__all__ = ["load_baseline", "save_baseline", "rewrite", "render", "RecordError", "Key"]
