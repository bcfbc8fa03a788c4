"""One command for every benchmark: `.venv/bin/python benchmarks/run.py [--quick]`.

Prints a markdown report (targets as ratios measured in this run, PASS/FAIL, then the raw
figures) and writes it to benchmarks/results/<date>.md. `--quick`: fewer edits and spawns, and
no sqlalchemy CLI run. The machine is shared and noisy: only ratios from one run count.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cli_bench  # noqa: E402
import lspbench  # noqa: E402
import prepare  # noqa: E402
from prepare import CACHE, HERE, PROJECT_BIN, TOOLS, WS131, WSBIG  # noqa: E402

BIG_FILE = "sqlalchemy/orm/session.py"


def servers() -> list[lspbench.Server]:
    return [
        lspbench.Server("pygls-bare", [str(PROJECT_BIN / "python"), str(HERE / "bare_server.py")], diagnostics=False,
                        note="pygls 2.1.1 server that does nothing (initialize baseline)"),
        lspbench.Server("leery", [str(PROJECT_BIN / "leery"), "serve", *os.environ.get("LEERY_BENCH_ARGS", "").split()], {"debounce": 0}, indexes=True,
                        note="`leery serve`, debounce 0"),
        lspbench.Server("ruff", [str(TOOLS / "ruff"), "server"], note="`ruff server` 0.17.5, default rules"),
        lspbench.Server("pylsp", [str(TOOLS / "pylsp")],
                        note="python-lsp-server 1.15.0 with pyflakes, pycodestyle, mccabe; its lint debounce (0.5 s) is built in"),
    ]


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__().replace("'", "")
    except OSError:
        return "?"


def fmt(value: float | None, digits: int = 0, unit: str = "") -> str:
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}{unit}"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def verdict(value: float | None, limit: float, higher_is_better: bool = False) -> str:
    if value is None:
        return "n/a"
    ok = value >= limit if higher_is_better else value <= limit
    return "PASS" if ok else "FAIL"


def run_lsp(args, logs: Path, out: list[str]) -> dict[str, lspbench.ServerResult]:
    chosen = [s for s in servers() if s.name in args.servers]
    results = {s.name: lspbench.ServerResult(s.name) for s in chosen}
    print(f"LSP: initialize x{args.spawns} per server ...", file=sys.stderr, flush=True)
    for _ in range(args.spawns):  # interleaved, so that load changes hit every server alike
        for server in chosen:
            try:
                results[server.name].initialize_ms.append(lspbench.measure_initialize(server, WS131, logs))
            except Exception as exc:
                results[server.name].error = f"initialize: {type(exc).__name__}: {exc}"
    files = prepare.lsp_files()
    for server in chosen:
        if not server.diagnostics or results[server.name].error:
            continue
        print(f"LSP: session with {server.name} ...", file=sys.stderr, flush=True)
        session = lspbench.measure_session(server, WS131, files, args.edits, logs, args.timeout, args.pause)
        session.initialize_ms = results[server.name].initialize_ms
        results[server.name] = session
    return results


def _each(values: list[float]) -> str:
    return f" ({', '.join(f'{v:.0f}' for v in values)})" if len(values) > 1 else ""


def lsp_tables(results: dict[str, lspbench.ServerResult], out: list[str]) -> None:
    out += ["## Language servers", "", "| server | initialize p50 | peak RSS | index built |", "|---|---:|---:|---:|"]
    for r in results.values():
        out.append(f"| {r.name} | {fmt(r.initialize_p50, 0, ' ms')} | {fmt(r.peak_rss_mb, 0, ' MB')} | {fmt(r.index_ms, 0, ' ms')} |")
    out += ["", "| file | lines | `ast.parse` | server | first diagnostics | edit p50 | edit p95 | burst: last key -> its diagnostics, median (each) |",
            "|---|---:|---:|---|---:|---:|---:|---:|"]
    for label in prepare.lsp_files():
        for r in results.values():
            fr = r.files.get(label)
            if fr is None:
                continue
            tail = f" ({fr.error})" if fr.error else ""
            out.append(
                f"| {label} | {fr.lines} | {fmt(fr.ast_parse_ms, 1, ' ms')} | {r.name} | {fmt(fr.first_ms, 0, ' ms')} | "
                f"{fmt(fr.p(0.5), 1, ' ms')} | {fmt(fr.p(0.95), 1, ' ms')} | {fmt(fr.burst_ms, 0, ' ms')}{_each(fr.bursts_ms)}{tail} |"
            )
    errors = [f"- {r.name}: {r.error}" for r in results.values() if r.error]
    if errors:
        out += ["", "Errors:", *errors]
    out.append("")


def run_cli(args, logs: Path) -> list[cli_bench.CliResult]:
    """Per tree, `--cli-rounds` times: leery cold (a fresh copy without `.leery/`, an empty XDG
    cache: a fresh clone in CI), leery warm (the same copy again: the caches the cold run
    wrote), then `bandit -r`, back to back, so that each round's ratios compare runs made
    moments apart (the machines drift by a third within minutes). pylint runs once."""
    import shutil

    trees = [WS131] + ([] if args.quick else [WSBIG])
    results = []
    for tree in trees:
        _, lines = prepare.python_lines(tree)
        outdir = logs / f"cli-{tree.name}"
        outdir.mkdir(exist_ok=True)
        tools = cli_bench.commands(tree, outdir)
        rounds = args.cli_rounds if tree == WS131 else 1
        for number in range(1, rounds + 1):
            scratch = logs / f"copy-{tree.name}"
            copy = scratch / tree.name
            shutil.copytree(tree, copy, ignore=shutil.ignore_patterns(".leery"))
            env = dict(os.environ, XDG_CACHE_HOME=str(scratch / "xdg"))
            try:
                for state in ("cold", "warm"):
                    cmd = cli_bench.commands(copy, outdir)["leery check"]
                    print(f"CLI: leery check ({state}) on {tree.name} ({lines} lines), round {number} ...", file=sys.stderr, flush=True)
                    result = cli_bench.run_one("leery check", cmd, copy, lines, logs, args.cli_timeout, env)
                    result.tool, result.tree, result.round = f"leery check ({state})", tree.name, number
                    results.append(result)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            bandit = next(tool for tool in tools if tool.startswith("bandit"))
            print(f"CLI: {bandit} on {tree.name} ({lines} lines), round {number} ...", file=sys.stderr, flush=True)
            result = cli_bench.run_one(bandit, tools[bandit], tree, lines, logs, args.cli_timeout)
            result.round = number
            results.append(result)
        for tool, cmd in tools.items():
            if not tool.startswith("pylint") or (tree == WSBIG and not args.pylint_big):
                continue
            print(f"CLI: {tool} on {tree.name} ({lines} lines) ...", file=sys.stderr, flush=True)
            results.append(cli_bench.run_one(tool, cmd, tree, lines, logs, args.cli_timeout))
    return results


def round_ratios(cli: list[cli_bench.CliResult], tool: str, tree: str) -> list[float]:
    """`tool` wall / `bandit -r` wall of the same round, one per round."""
    out = []
    for r in cli:
        if r.tool == tool and r.tree == tree and r.wall_s:
            other = next((b for b in cli if b.tool.startswith("bandit") and b.tree == tree and b.round == r.round), None)
            if other is not None and other.wall_s:
                out.append(r.wall_s / other.wall_s)
    return out


def cli_table(results: list[cli_bench.CliResult], out: list[str]) -> None:
    out += ["## CLI throughput", "", "| tree | lines | tool | round | wall | CPU (workers too) | lines/s | max RSS (one process) | note |",
            "|---|---:|---|---:|---:|---:|---:|---:|---|"]
    for r in results:
        out.append(
            f"| {r.tree} | {r.lines} | {r.tool} | {r.round or ''} | {fmt(r.wall_s, 1, ' s')} | {fmt(r.cpu_s, 1, ' s')} | "
            f"{fmt(r.lines_per_s, 0)} | {fmt(r.peak_rss_mb, 0, ' MB')} | {r.note} |"
        )
    out.append("")


def targets(lsp: dict[str, lspbench.ServerResult], cli: list[cli_bench.CliResult]) -> list[str]:
    rows = ["## Targets (ratios from this run)", "", "| target | measured | limit | verdict |", "|---|---:|---:|---|"]
    leery = lsp.get("leery")

    def add(name: str, value: float | None, limit: float, higher: bool = False, shown: str | None = None) -> None:
        op = ">=" if higher else "<="
        rows.append(f"| {name} | {shown or fmt(value, 2, 'x')} | {op} {limit:g}x | {verdict(value, limit, higher)} |")

    if leery:
        big = leery.files.get(BIG_FILE)
        if big:
            add(f"edit p50 on {BIG_FILE} vs `ast.parse` of it", ratio(big.p(0.5), big.ast_parse_ms), 3)
            ruff_big = lsp.get("ruff") and lsp["ruff"].files.get(BIG_FILE)
            if ruff_big:
                add(f"edit p50 on {BIG_FILE} vs `ruff server`", ratio(big.p(0.5), ruff_big.p(0.5)), 5)
                add("  (aim: beat `ruff server` there)", ratio(big.p(0.5), ruff_big.p(0.5)), 1)
        pylsp = lsp.get("pylsp")
        if pylsp:
            for label, fr in leery.files.items():
                other = pylsp.files.get(label)
                if other:
                    add(f"pylsp edit p50 / leery edit p50, {label}", ratio(other.p(0.5), fr.p(0.5)), 20, higher=True)
        bare = lsp.get("pygls-bare")
        if bare:
            add("initialize vs a do-nothing pygls server", ratio(leery.initialize_p50, bare.initialize_p50), 1.25)
        for label, fr in leery.files.items():
            add(f"typing burst (80 ms/key) last-key latency / edit p50 (median of 3 bursts), {label}", ratio(fr.burst_ms, fr.p(0.5)), 2)
        rss = leery.peak_rss_mb
        rows.append(
            f"| server peak RSS, 131k-line workspace open and indexed | {fmt(rss, 0, ' MB')} | < 150 MB | "
            f"{'n/a' if rss is None else 'PASS' if rss < 150 else 'FAIL'} |"
        )
    for state in ("cold", "warm"):
        ratios = sorted(round_ratios(cli, f"leery check ({state})", WS131.name))
        if ratios:
            median = ratios[len(ratios) // 2] if len(ratios) % 2 else sum(ratios[len(ratios) // 2 - 1 : len(ratios) // 2 + 1]) / 2
            shown = f"{median:.2f}x" + (f" (rounds: {', '.join(f'{r:.2f}' for r in ratios)})" if len(ratios) > 1 else "")
            add(f"`leery check` (ALL, {state}) wall / `bandit -r` wall, 131k lines, median of rounds", median, 0.5, shown=shown)
    rows.append("")
    return rows


@contextlib.contextmanager
def busy(count: int):
    """`count` processes spinning on the CPUs while the block runs."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer edits and spawns; skip the sqlalchemy CLI run")
    parser.add_argument("--servers", default="pygls-bare,leery,ruff,pylsp", type=lambda s: s.split(","))
    parser.add_argument("--edits", type=int, help="edits per file (default 40, quick 12)")
    parser.add_argument("--spawns", type=int, help="initialize runs per server (default 7, quick 3)")
    parser.add_argument("--no-lsp", action="store_true")
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--pylint-big", action="store_true", help="run pylint on sqlalchemy too (takes many minutes)")
    parser.add_argument("--pause", type=float, help="seconds between two measured edits (default 1.0, quick 0.5)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one set of diagnostics")
    parser.add_argument("--cli-timeout", type=float, default=1800.0)
    parser.add_argument("--cli-rounds", type=int, help="leery cold, leery warm, bandit -r rounds on ws131 (default 3, quick 1)")
    parser.add_argument("--busy", type=int, default=0, help="processes that keep the CPUs busy during the language-server "
                        "part: a slower, loaded machine (6 on 2 cores makes `ast.parse` about 4x slower)")
    args = parser.parse_args(argv)
    args.edits = args.edits or (12 if args.quick else 40)
    args.cli_rounds = args.cli_rounds or (1 if args.quick else 3)
    args.spawns = args.spawns or (3 if args.quick else 7)
    args.pause = args.pause if args.pause is not None else (0.5 if args.quick else 1.0)

    prepare.prepare()
    stamp = dt.datetime.now(dt.timezone.utc)
    logs = CACHE / "logs" / stamp.strftime("%Y%m%dT%H%M%S")
    logs.mkdir(parents=True, exist_ok=True)
    load_before = loadavg()
    started = time.perf_counter()
    with busy(args.busy):
        lsp = {} if args.no_lsp else run_lsp(args, logs, [])
    cli = [] if args.no_cli else run_cli(args, logs)
    out = [
        f"# Benchmarks, {stamp:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average (1, 5, 15 min) {load_before} at the start, {loadavg()} at the end; "
        f"{'quick' if args.quick else 'full'} run, {args.edits} edits per file ({args.pause:g} s apart), {args.spawns} spawns per server, "
        f"{time.perf_counter() - started:.0f} s in all. Logs: {logs.relative_to(HERE.parent)}."
        + (f" {args.busy} busy processes during the language-server part." if args.busy else ""),
        "",
    ]
    out += targets(lsp, cli)
    if lsp:
        lsp_tables(lsp, out)
        out += ["Servers: " + "; ".join(f"{s.name}: {s.note}" for s in servers() if s.name in lsp), ""]
    if cli:
        cli_table(cli, out)
    report = "\n".join(out)
    print(report)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"{stamp:%Y-%m-%d-%H%M}.md").write_text(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
