"""The editor's record of when each function was last edited (which copy of a duplicate is the
later one) keeps only functions that exist: renaming a function while typing its name must not
leave one entry per name typed."""

from __future__ import annotations

from leery.core.config import Settings
from leery.workspace import Workspace

BODY = "    total = 0\n    for item in items:\n        total += item.price * item.count\n    return total\n"


def test_renamed_and_deleted_functions_are_forgotten(tmp_path) -> None:
    path = tmp_path / "prices.py"
    path.write_text(f"def total_of(items):\n{BODY}", encoding="utf-8")
    ws = Workspace(tmp_path, Settings(root=tmp_path, select=["LY3"], sections={"duplicates": {"cache": False}}))
    ws.mode = "editor"
    ws.build()
    for n in range(300):  # typing a new name, one keystroke at a time
        ws.update(str(path), f"def total_of_{n}(items):\n{BODY}")
    assert len(ws._touched) <= 1
    ws.update(str(path), f"def total_of_all(items):\n{BODY}")
    assert [name for _, name in ws._touched] == ["total_of_all"]
    ws.remove(str(path))
    assert ws._touched == {}
