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


def rewrite(
    old: Counter[Key] | None, current: Counter[Key], checked: set[str], accept_new: bool, exists=lambda file: True
) -> tuple[Counter[Key], Counter[Key], int]:
    """The new baseline, the findings left out of it, and how many old ones are gone.

    Files checked this time get min(old, current) per key (fixed findings leave; new ones stay
    out unless `accept_new`); files not checked keep their entries. Entries of files that no
    longer exist (`exists(file)` is false) are taken up by the same findings in a renamed file.
    """
    if old is None:
        return Counter(current), Counter(), 0
    new: Counter[Key] = Counter({k: n for k, n in old.items() if k[0] not in checked and exists(k[0])})
    moved: Counter[tuple[str, str]] = Counter()
    for (file, code, fp), n in old.items():
        if not exists(file):
            moved[(code, fp)] += n
    left_out: Counter[Key] = Counter()
    carried = sum(new.values())
    for key, n in current.items():
        from_old = min(n, old.get(key, 0)) if key[0] in checked else 0
        from_moved = min(n - from_old, moved[key[1:]])
        moved[key[1:]] -= from_moved
        kept = n if accept_new else from_old + from_moved
        carried += from_old + from_moved
        if kept:
            new[key] = kept
        if n > kept:
            left_out[key] = n - kept
    return new, left_out, sum(old.values()) - carried


__all__ = ["load_baseline", "save_baseline", "rewrite", "render", "RecordError", "Key"]
