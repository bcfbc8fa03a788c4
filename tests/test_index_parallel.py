"""The index built with a pool (`leery check` on a tree with no cache) is the serial build's.

The repository's own samples/ and server/ (about 180 files, with duplicate contents added)
are indexed serially and then with the files the cache lacks fingerprinted in two forked
processes: every record (every field), the lookup tables and the cache file written must come
out the same, and the parent must not have fingerprinted anything itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import leery.workspace as workspace_module
from leery.core.config import Settings
from leery.workspace import Workspace, parallel
from leery.workspace.cache import RecordCache

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    for folder in ("samples", "server"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", ".leery"))
    # Files with the same content: each must get records of its own (path, module).
    engine = (root / "server/leery/core/engine.py").read_text(encoding="utf-8")
    (root / "copies").mkdir()
    (root / "copies/__init__.py").write_text("", encoding="utf-8")
    (root / "copies/engine_copy.py").write_text(engine, encoding="utf-8")
    (root / "copies/broken.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    return root


def build(root: Path, jobs: int, cache: bool = True) -> Workspace:
    shutil.rmtree(root / ".leery", ignore_errors=True)
    ws = Workspace(root, Settings(root=root, select=["LY3"], sections={"duplicates": {"cache": cache}}))
    ws.mode = "cli"
    ws.build(jobs=jobs)
    return ws


def records(ws: Workspace) -> list:
    """Every record of every file, in index order, as plain values (shingles as bytes)."""
    out = []
    for path, entry in ws.index.files.items():
        for record in entry.records:
            fields = {k: (v.tobytes() if k == "shingles" else v) for k, v in vars(record).items()}
            out.append((path, entry.digest, fields))
    return out


def tables(ws: Workspace) -> dict:
    def named(bucket) -> list:
        return [(r.path, r.qualname, r.line) for r in bucket]

    index = ws.index
    return {
        name: {key: named(bucket) for key, bucket in getattr(index, name).items()} for name in ("by_exact", "by_band", "by_name")
    } | {"method_names": dict(index.method_names)}


def cache_file(root: Path) -> tuple[list, dict]:
    data = json.loads(RecordCache(root).file.read_text(encoding="utf-8"))
    return list(data["files"]), data


@pytest.fixture
def counted(monkeypatch):
    """Calls to records_from_source in this process, and to the pool."""
    calls = {"parent": 0, "pool": 0}
    real_records, real_pool = workspace_module.records_from_source, parallel.records_by_digest

    def in_parent(*args, **kwargs):
        calls["parent"] += 1
        return real_records(*args, **kwargs)

    def pool(items, jobs):
        calls["pool"] += 1
        return real_pool(items, jobs)

    monkeypatch.setattr(workspace_module, "records_from_source", in_parent)
    monkeypatch.setattr(parallel, "records_by_digest", pool)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)  # the pool even for a small tree
    return calls


def test_parallel_build_gives_the_serial_records_tables_and_cache_file(tree: Path, counted):
    serial = build(tree, jobs=1)
    serial_cache = cache_file(tree)
    assert counted["pool"] == 0 and counted["parent"] > 150
    counted["parent"] = 0

    pooled = build(tree, jobs=2)
    assert counted["pool"] == 1 and counted["parent"] == 0  # all fingerprinted in the workers

    assert len(records(serial)) > 1000
    assert records(pooled) == records(serial)
    assert tables(pooled) == tables(serial)
    assert cache_file(tree) == serial_cache  # same entries, same order
    copy = str(tree / "copies/engine_copy.py")
    assert {r.path for r in pooled.index.files[copy].records} == {copy}


def test_parallel_build_without_the_disk_cache(tree: Path, counted):
    serial = build(tree, jobs=1, cache=False)
    pooled = build(tree, jobs=2, cache=False)
    assert counted["pool"] == 1
    assert not (tree / ".leery").exists()
    assert records(pooled) == records(serial)
    assert tables(pooled) == tables(serial)


def test_warm_build_starts_no_pool(tree: Path, counted):
    first = build(tree, jobs=2)
    counted["pool"] = counted["parent"] = 0
    warm = Workspace(tree, first.settings)
    warm.mode = "cli"
    warm.build(jobs=2)  # everything is in the cache file now
    assert counted == {"parent": 0, "pool": 0}
    assert records(warm) == records(first)


def check(root: Path, jobs: int) -> list[tuple]:
    from leery.commands.checking import CheckRequest, check_files

    shutil.rmtree(root / ".leery", ignore_errors=True)
    outcome = check_files(CheckRequest(paths=[root], overrides={"select": ["LY0", "LY3"]}, jobs=jobs, apply_reviews=False))
    return [(Path(f.path).relative_to(root).as_posix(), f.span.start_line, f.code, f.message, f.related) for f in outcome.findings]


def test_leery_check_leaves_the_index_to_its_workers(tree: Path, monkeypatch):
    """With a pool, `leery check` computes the missing records in the analysis workers from the
    trees they parse (no pool of its own, no second parse), then looks again at the files that
    need the whole index: the findings and the cache file are those of a serial run, including
    LY301 copies, a suppressed one (its suppression is used, not LY003) and an unused suppression."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL_CHARS", 0)
    (tree / "zz").mkdir(exist_ok=True)
    (tree / "zz/suppressed.py").write_text(
        "import re\n\n\n"
        "def make_slug(title):  # leery: ignore[LY301] -- a vendored copy, kept on purpose\n"
        '    """Lower-case, dashes between words, nothing else."""\n'
        "    text = title.lower().strip()\n"
        '    text = re.sub(r"[^a-z0-9]+", "-", text)\n'
        '    return text.strip("-")  # leery: ignore[LY302] -- suppresses nothing\n',
        encoding="utf-8",
    )
    serial = check(tree, jobs=1)
    serial_cache = cache_file(tree)
    pools: list = []
    monkeypatch.setattr(parallel, "records_by_digest", lambda items, jobs: pools.append(items) or {})
    pooled = check(tree, jobs=2)
    assert pools == []  # the workers fingerprinted what the cache lacked
    assert pooled == serial
    assert cache_file(tree) == serial_cache
    # engine.py comes later than its copy in path order: the pair is reported there.
    assert any(code == "LY301" and path == "server/leery/core/engine.py" for path, _, code, _, _ in pooled)
    assert [(line, code) for path, line, code, _, _ in pooled if path == "zz/suppressed.py"] == [(7, "LY003")]
