"""The workspace index does not grow while one file is edited over and over.

The language server calls `Workspace.update` on every version of an open document. Each call
replaces that file's records in the exact, band and name tables; a record left behind in a
bucket, or an empty bucket left in a table, would grow the index by a little on every
keystroke. Real files (bandit's core package, from the environment), a function edited
through many different shapes, then back to the original text: every table is exactly what
the build made, and stays so round after round.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import bandit

from leery.core.config import Settings
from leery.core.source import SourceFile
from leery.workspace import Workspace


def tables(ws: Workspace) -> dict:
    index = ws.index
    sizes = {name: {key: len(bucket) for key, bucket in getattr(index, name).items()} for name in ("by_exact", "by_band", "by_name")}
    return {**sizes, "method_names": dict(index.method_names), "files": sorted(index.files), "records": len(index)}


def edits_of_one_function(base: str, line: int):
    """Typing into a function body, keystroke by keystroke, statements of changing shape."""
    lines = base.split("\n")
    offset = sum(len(x) + 1 for x in lines[:line])
    pad = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
    for k in range(24):
        # Global names and attributes count as behaviour: each k is a new shape.
        typed = f"{pad}value = helper_{k}(item)\n" + f"{pad}if value:\n{pad}    out.add_{k}(value)\n" * (k % 3)
        for end in range(1, len(typed), 3):
            yield base[:offset] + typed[:end] + base[offset:]
        yield base[:offset] + typed + base[offset:]


def test_band_tables_stay_the_same_size_across_repeated_edits(tmp_path: Path):
    for source in (Path(bandit.__file__).parent / "core").glob("*.py"):
        shutil.copy(source, tmp_path / source.name)
    path = tmp_path / "utils.py"
    base = path.read_text(encoding="utf-8")
    ws = Workspace(tmp_path, Settings(root=tmp_path, select=["LY3"], sections={"duplicates": {"cache": False}}))
    ws.mode = "editor"
    ws.build()
    built = tables(ws)
    assert built["by_band"] and built["records"] > 20
    # The smallest indexed function: a few typed statements move it to other LSH buckets.
    small = min((r for r in ws.index.files[ws.key(path)].records if ws.index.comparable(r)), key=lambda r: r.tokens)
    count = parsed = 0
    new_bands: set[int] = set()
    for round_ in range(3):
        for text in edits_of_one_function(base, small.end_line):
            source = SourceFile(text, str(path))
            ws.update(str(path), source.text, source)
            count += 1
            parsed += source.tree is not None
            new_bands.update(set(ws.index.by_band) - set(built["by_band"]))
        ws.update(str(path), base, SourceFile(base, str(path)))
        assert tables(ws) == built, f"round {round_}: the index changed after {count} edits and the original text"
    assert count > 1500 and parsed > 500  # versions that parse: their records enter the tables
    assert len(new_bands) > 50  # the edits really moved the function between buckets
