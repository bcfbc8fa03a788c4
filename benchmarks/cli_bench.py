"""CLI throughput: `leery check` (every rule family on) beside `bandit -r` and `pylint` on the same trees."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from prepare import PROJECT_BIN, TOOLS


@dataclass
class CliResult:
    tool: str
    tree: str
    lines: int
    wall_s: float | None
    exit_code: int | None
    peak_rss_mb: float | None
    note: str = ""

    @property
    def lines_per_s(self) -> float | None:
        return self.lines / self.wall_s if self.wall_s else None


def commands(tree: Path, out: Path) -> dict[str, list[str]]:
    jobs = str(os.cpu_count() or 1)
    return {
        # leery finds tree/leery.toml (select = ["ALL"]); --select ALL says so on the command line too.
        "leery check": [str(PROJECT_BIN / "leery"), "check", "--select", "ALL", "--exit-zero", "--no-progress",
                        "--format", "json", "-o", str(out / "leery.json"), str(tree)],
        "bandit -r": [str(PROJECT_BIN / "bandit"), "-r", "-q", "-f", "json", "-o", str(out / "bandit.json"), str(tree)],
        # pylint gets every core too (leery uses them all by default; bandit has no such option).
        f"pylint -j {jobs}": [str(TOOLS / "pylint"), "--recursive=y", "-j", jobs, "--exit-zero", "--output", str(out / "pylint.txt"), str(tree)],
    }


def run_one(tool: str, cmd: list[str], tree: Path, lines: int, logs: Path, timeout: float) -> CliResult:
    """Wall time and peak RSS of one run (wait4 gives the child's own rusage, its workers included
    only in the sense that ru_maxrss is the largest single process among them)."""
    import subprocess

    stderr = open(logs / f"cli-{tool.split()[0]}-{tree.name}.stderr", "wb")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=tree, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            stderr.close()
            return CliResult(tool, tree.name, lines, None, None, None, f"stopped after {timeout:.0f} s")
        time.sleep(0.02)
    stderr.close()
    code = proc.returncode
    # bandit exits 1 when it found issues; leery --exit-zero and pylint --exit-zero exit 0.
    ok = code == 0 or (tool.startswith("bandit") and code == 1)
    return CliResult(tool, tree.name, lines, wall, code, usage.ru_maxrss / 1024, "" if ok else f"exit {code}: see logs")
