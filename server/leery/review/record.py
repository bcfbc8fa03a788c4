"""The review record: `.leery/reviews.toml`, committed with the code.

One `[[review]]` table per reviewed finding, sorted by file, code, fingerprint and occurrence,
so that two people adding reviews rarely touch the same lines and a diff reads as a list of
decisions. Every file leery writes stays inside the project: a `.leery` folder or file that is
a symlink leading outside it is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from leery.core.config import Settings, tomllib
from leery.core.suppressions import PLACEHOLDER_REASONS
from leery.review.gitinfo import find_git_root

FOLDER = ".leery"
REVIEWS = "reviews.toml"
_HEADER = (
    "# leery review record: findings a person read and accepted, with the reason.\n"
    "# Written by `leery review add` and the editor's \"Mark reviewed\"; kept sorted. Edit freely:\n"
    "# delete an entry to re-open its finding, `leery review prune` drops entries that match nothing.\n"
)


class RecordError(Exception):
    """The record (or baseline) cannot be read or written; the message says which file and why."""


@dataclass(frozen=True)
class Review:
    file: str  # posix path relative to the project root
    code: str
    fingerprint: str
    occurrence: int  # index among findings with the same code and fingerprint in the file
    scope: str  # the enclosing function/class, to say which review lapsed
    statement: str  # the flagged line when reviewed (for people; not used to match)
    reviewer: str
    date: str  # ISO date
    reason: str
    expires: str | None = None  # ISO date; the review stops counting on that day

    @property
    def has_reason(self) -> bool:
        """False for an empty reason or the placeholder the editor writes for a person to replace."""
        return self.reason.strip().lower() not in PLACEHOLDER_REASONS

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.file, self.code, self.fingerprint, self.occurrence)

    def expired(self, today: dt.date | None = None) -> bool:
        return self.expires is not None and dt.date.fromisoformat(self.expires) <= (today or dt.date.today())

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def project_root(path: str | Path, settings: Settings) -> Path:
    """Where `.leery/` lives: the config file's folder, else the git repository's top, else the settings root."""
    if settings.config_files:
        return settings.root.resolve()
    found = find_git_root(Path(path).resolve())
    return found.resolve() if found else settings.root.resolve()


def relative(path: str | Path, root: Path) -> str | None:
    """`path` relative to `root` in posix form, or None when it is outside."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return None


# -- reading ---------------------------------------------------------------------------------
_CACHE: dict[str, tuple[tuple[int, int, int], Any]] = {}


def cached_load(path: Path, parse) -> Any:
    """parse(path) once per version of the file (mtime, size, inode); None when it does not exist."""
    try:
        st = path.stat()
    except OSError:
        return None
    stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    hit = _CACHE.get(str(path))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    value = parse(path)
    _CACHE[str(path)] = (stamp, value)
    return value


def load_reviews(root: Path) -> list[Review]:
    return cached_load(root / FOLDER / REVIEWS, _parse_reviews) or []


def _parse_reviews(path: Path) -> list[Review]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RecordError(f"{path}: cannot read the review record ({exc})") from None
    entries = data.get("review", [])
    if not isinstance(entries, list):
        raise RecordError(f"{path}: `review` must be an array of tables ([[review]])")
    names = {f.name for f in fields(Review)}
    required = names - {"expires", "scope", "statement"}
    out = []
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise RecordError(f"{path}: review #{i} is not a table")
        missing = sorted(required - set(entry))
        unknown = sorted(set(entry) - names)
        if missing or unknown:
            what = "; ".join(filter(None, [missing and f"missing {', '.join(missing)}", unknown and f"unknown {', '.join(unknown)}"]))
            raise RecordError(f"{path}: review #{i}: {what}")
        try:
            for key in ("date", "expires"):
                if entry.get(key) is not None:
                    entry[key] = dt.date.fromisoformat(str(entry[key])).isoformat()
        except ValueError:
            raise RecordError(f"{path}: review #{i}: `{key}` is not a date (YYYY-MM-DD)") from None
        entry.setdefault("scope", "")
        entry.setdefault("statement", "")
        occurrence = entry["occurrence"]
        if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 0:
            raise RecordError(f"{path}: review #{i}: `occurrence` must be a whole number >= 0")
        text = {k: str(v) for k, v in entry.items() if k not in ("occurrence", "expires")}
        out.append(Review(**text, occurrence=occurrence, expires=entry.get("expires")))
    return out


# -- writing ---------------------------------------------------------------------------------
def _toml_string(value: str) -> str:
    # A JSON string is a TOML basic string, except that TOML also forbids a raw DEL.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def render_reviews(reviews: list[Review]) -> str:
    parts = [_HEADER]
    for review in sorted(reviews, key=lambda r: r.key):
        parts.append("\n[[review]]\n")
        for name, value in review.to_dict().items():
            parts.append(f"{name} = {value if isinstance(value, int) else _toml_string(value)}\n")
    return "".join(parts)


def save_reviews(root: Path, reviews: list[Review]) -> Path:
    return write_inside(root, f"{FOLDER}/{REVIEWS}", render_reviews(reviews))


def write_inside(root: Path, relpath: str, text: str) -> Path:
    """Write `root/relpath` atomically, refusing any symlink that leads outside `root`."""
    root = root.resolve()
    target = root / relpath
    folder = target.parent
    if folder.is_symlink() or folder.exists():
        real_folder = folder.resolve()
        if not _inside(real_folder, root):
            raise RecordError(f"refusing to write {target}: {folder} leads outside the project ({real_folder})")
    else:
        folder.mkdir(parents=True)
        real_folder = folder.resolve()
    real = (real_folder / target.name).resolve()
    if not _inside(real, root):
        raise RecordError(f"refusing to write {target}: it is a symlink that leads outside the project ({real})")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=str(real.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; this file is committed and shared
        os.replace(tmp, real)
    except BaseException:
        os.unlink(tmp)
        raise
    return real


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
