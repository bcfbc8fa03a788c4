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
    cpu_s: float | None = None  # user + system, its worker processes included
    round: int | None = None  # run.py: which round of leery cold, leery warm, bandit -r

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


def run_one(tool: str, cmd: list[str], tree: Path, lines: int, logs: Path, timeout: float, env: dict | None = None) -> CliResult:
    """Wall time and peak RSS of one run (wait4 gives the child's own rusage, its workers included
    only in the sense that ru_maxrss is the largest single process among them)."""
    import subprocess

    stderr = open(logs / f"cli-{tool.split()[0]}-{tree.name}.stderr", "wb")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=tree, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
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
    cpu = usage.ru_utime + usage.ru_stime
    return CliResult(tool, tree.name, lines, wall, code, usage.ru_maxrss / 1024, "" if ok else f"exit {code}: see logs", cpu)


def main() -> int:
    """`leery check` against `bandit -r` on one tree, in the same run, warm or cold:
    `.venv/bin/python benchmarks/cli_bench.py [--tree ws131|wsbig] [--cold] [--runs N]`.

    Cold: the tree is copied without its `.leery/` (index and rule caches) and leery gets an
    empty XDG_CACHE_HOME (jedi's and parso's caches), so nothing is reused from earlier runs;
    the shared tree and caches are left as they are. Warm: run it twice and take the second."""
    import argparse
    import shutil
    import tempfile

    import prepare

    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", choices=("ws131", "wsbig"), default="ws131")
    parser.add_argument("--cold", action="store_true", help="no jedi/parso cache, no .leery/cache")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    prepare.ensure_trees()
    tree = prepare.WS131 if args.tree == "ws131" else prepare.WSBIG
    _, lines = prepare.python_lines(tree)
    with tempfile.TemporaryDirectory(prefix="leery-cli-bench-") as scratch:
        logs = Path(scratch)
        for run in range(args.runs):
            where, env = tree, None
            if args.cold:
                where = logs / f"cold-{run}" / tree.name
                shutil.copytree(tree, where, ignore=shutil.ignore_patterns(".leery"))
                env = dict(os.environ, XDG_CACHE_HOME=str(logs / f"cold-{run}" / "xdg"))
            cmds = commands(where, logs)
            results = [run_one(tool, cmds[tool], where, lines, logs, args.timeout, env if tool.startswith("leery") else None)
                       for tool in ("leery check", "bandit -r")]
            load = os.getloadavg()[0]
            line = "  ".join(f"{r.tool}: wall {r.wall_s or 0:.1f} s, cpu {r.cpu_s or 0:.1f} s, rss {r.peak_rss_mb or 0:.0f} MB {r.note}" for r in results)
            leery, bandit = results
            ratio = leery.wall_s / bandit.wall_s if leery.wall_s and bandit.wall_s else float("nan")
            print(f"{tree.name} {'cold' if args.cold else 'warm'} run {run + 1} (load {load:.2f}): {line}  wall ratio {ratio:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
