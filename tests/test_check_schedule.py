"""How `leery check` hands files to its workers (checking._chunks)."""

from __future__ import annotations

from leery.commands import checking


def _jobs(tmp_path, sizes: dict[str, int]):
    jobs = []
    for name, size in sizes.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n" * size)
        jobs.append((str(path), None))
    return jobs


def test_every_file_once_in_path_order_long_runs_first_short_runs_last(tmp_path):
    sizes = {f"pkg{p}/mod{m:02}.py": 10 + (m * 37 + p * 11) % 90 for p in range(4) for m in range(30)}
    jobs = _jobs(tmp_path, sizes)
    chunks = checking._chunks(list(reversed(jobs)), 2)
    flat = [job for chunk in chunks for job in chunk]
    assert flat == sorted(jobs)  # each file once, a package's modules side by side
    weights = [sum(checking._size(path) for path, _ in chunk) for chunk in chunks]
    total = sum(weights)
    assert weights[0] >= total / 4 * 0.95  # the first run: a quarter of the work for one of two
    assert max(weights[-3:]) <= total / 16  # the last ones short: no long wait at the end
    assert len(chunks) < len(jobs) / 4  # a worker takes many files at a time


def test_one_big_file_and_no_files(tmp_path):
    jobs = _jobs(tmp_path, {"big.py": 5000, "a.py": 1, "b.py": 1})
    assert [job for chunk in checking._chunks(jobs, 2) for job in chunk] == sorted(jobs)
    assert checking._chunks([], 2) == []
