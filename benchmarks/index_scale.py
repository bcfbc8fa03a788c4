"""How the duplicate index scales on real trees, and how noisy LY3xx is on mature projects.

    .venv/bin/pip download --no-deps --no-binary :all: requests flask click rich werkzeug sqlalchemy -d benchmarks/.cache/sdists
    .venv/bin/python benchmarks/index_scale.py [--edits 40] [--only small|sqlalchemy] [--findings FILE]

Unpacks the sdists into benchmarks/.cache/src/ (git-ignored), then measures, each tree in a
fresh process so memory numbers do not mix:

- build: cold (no disk cache) and warm (cache from the cold build), wall time;
- memory: memory the built index holds (tracemalloc, a separate build) and peak RSS;
- one edit, for `--edits` files chosen evenly by size, each opened (analysed once) and then
  edited by adding a statement to its first function: parse once, `workspace.update(path,
  text, source)`, the LY301/LY302 query, and the whole LY3 analysis through the engine
  ("edit total" = parse + update + analysis);
- findings per thousand lines for LY301, LY302 and LY303 in CLI mode (`--findings FILE`
  writes every finding, to read them).

Prints a markdown table. Absolute times depend on the machine; compare runs on one machine.
Wall times include waiting for a core on a busy machine; the CPU columns do not.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
SDISTS = CACHE / "sdists"
SOURCES = CACHE / "src"
TREES = {
    "small": ("requests", "flask", "click", "rich", "werkzeug"),
    "sqlalchemy": ("sqlalchemy",),
}


def unpack() -> None:
    SOURCES.mkdir(parents=True, exist_ok=True)
    for archive in sorted(SDISTS.glob("*.tar.gz")):
        target = SOURCES / archive.name[: -len(".tar.gz")]
        if not target.exists():
            with tarfile.open(archive) as tar:
                tar.extractall(SOURCES, filter="data")


def tree_root(name: str) -> Path:
    """A folder holding symlink-free copies of the tree's projects (one workspace root)."""
    root = CACHE / "trees" / name
    if not root.exists():
        root.mkdir(parents=True)
        for project in TREES[name]:
            found = [p for p in SOURCES.iterdir() if p.name.lower().startswith(project + "-")]
            if not found:
                sys.exit(f"missing sdist for {project}: run the pip download command in this file's docstring")
            shutil.copytree(found[0], root / found[0].name)
    return root


def measure(name: str, edits: int, findings_file: str | None) -> dict:
    from leery.core.config import Settings
    from leery.core.engine import analyze
    from leery.core.source import SourceFile
    from leery.workspace import Workspace

    root = tree_root(name)
    cache = root / ".leery"
    shutil.rmtree(cache, ignore_errors=True)
    settings = Settings(root=root, select=["LY3"])
    out: dict = {"tree": name}

    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    workspace = Workspace(root, settings)
    workspace.build()
    out["build_cold_s"] = time.perf_counter() - start
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["rss_growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    files = list(workspace.index.files)
    out["files"] = len(files)
    out["lines"] = sum((workspace.read(p) or "").count("\n") for p in files)
    out["functions"] = len(workspace.index)
    out["compared"] = sum(1 for e in workspace.index.files.values() for r in e.records if workspace.index.comparable(r))

    start = time.perf_counter()
    warm = Workspace(root, settings)
    warm.build()
    out["build_warm_s"] = time.perf_counter() - start
    del warm

    # Memory the index holds: a separate traced build (tracing slows it down).
    gc.collect()
    tracemalloc.start()
    traced = Workspace(root, Settings(root=root, select=["LY3"], sections={"duplicates": {"cache": False}}))
    traced.build()
    gc.collect()
    out["index_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del traced
    gc.collect()

    # Findings in CLI mode.
    counts = {"LY301": 0, "LY302": 0, "LY303": 0}
    collected = []
    start = time.perf_counter()
    for path in files:
        text = workspace.read(path)
        for finding in analyze(SourceFile(text, path), settings, workspace):
            if finding.code in counts:
                counts[finding.code] += 1
                collected.append({"code": finding.code, "path": workspace.relative(path), "line": finding.line + 1, "message": finding.message})
    out["findings_s"] = time.perf_counter() - start
    for code, count in counts.items():
        out[code] = count
        out[code + "_per_kloc"] = 1000 * count / max(out["lines"], 1)
    if findings_file:
        Path(findings_file).write_text(json.dumps(collected, indent=1), encoding="utf-8")

    # One edit: add a statement to the first function of a file, update, re-check the file.
    workspace.mode = "editor"
    by_size = sorted(files, key=lambda p: len(workspace.read(p) or ""))
    step = max(1, len(by_size) // edits)
    picked = [p for p in by_size[::step] if "\ndef " in (workspace.read(p) or "") or "    def " in (workspace.read(p) or "")][:edits]
    update_ms, findings_ms, total_ms, parse_ms, cpu_ms = [], [], [], [], []
    gc.collect()
    gc.disable()  # as the language server does (DESIGN.md): collections run between edits
    try:
        for path in picked:
            text = workspace.read(path) or ""
            analyze(SourceFile(text, path), settings, workspace)  # the file was opened: analysed once
            edited = _edit(text)
            c0 = time.process_time()  # CPU time: what the edit costs, whatever else the machine runs
            t0 = time.perf_counter()
            source = SourceFile(edited, path)  # parsed once, for the index and the rules
            t1 = time.perf_counter()
            workspace.update(path, edited, source)
            t2 = time.perf_counter()
            workspace.reports(path, source)  # the LY301/LY302 query alone
            t3 = time.perf_counter()
            analyze(source, settings, workspace)  # every LY3 rule through the engine (reports cached)
            t4 = time.perf_counter()
            cpu_ms.append((time.process_time() - c0) * 1000)
            parse_ms.append((t1 - t0) * 1000)
            update_ms.append((t2 - t1) * 1000)
            findings_ms.append((t3 - t2) * 1000)
            total_ms.append((t4 - t0) * 1000)
            workspace.update(path, None)  # back to the file on disk
            gc.collect()
    finally:
        gc.enable()
    out["edits"] = len(picked)
    out["edit_lines_median"] = statistics.median((workspace.read(p) or "").count("\n") for p in picked) if picked else 0
    for label, values in (("update_ms", update_ms), ("findings_ms", findings_ms), ("edit_total_ms", total_ms), ("edit_cpu_ms", cpu_ms), ("parse_ms", parse_ms)):
        values.sort()
        out[label + "_p50"] = statistics.median(values) if values else 0
        out[label + "_p95"] = values[int(0.95 * (len(values) - 1))] if values else 0
        out[label + "_max"] = values[-1] if values else 0
    return out


def _edit(text: str) -> str:
    """Add one statement at the start of the first function body (a typical keystroke burst)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith("def ") and line.rstrip().endswith(":"):
            indent = line[: len(line) - len(stripped)] + "    "
            lines.insert(i + 1, f"{indent}_leery_probe = 1")
            return "\n".join(lines)
    return text + "\n_leery_probe = 1\n"


def table(rows: list[dict]) -> str:
    cols = [
        ("tree", "tree", "{}"), ("lines", "lines", "{:,}"), ("files", "files", "{:,}"), ("functions", "functions indexed", "{:,}"),
        ("compared", "compared", "{:,}"), ("build_cold_s", "build cold (s)", "{:.1f}"), ("build_warm_s", "build warm (s)", "{:.1f}"),
        ("index_mb", "index (MB, traced)", "{:.0f}"), ("peak_rss_mb", "peak RSS (MB)", "{:.0f}"),
        ("parse_ms_p50", "parse p50 (ms)", "{:.1f}"), ("update_ms_p50", "index update p50 (ms)", "{:.1f}"),
        ("findings_ms_p50", "LY301/302 query p50 (ms)", "{:.1f}"), ("edit_total_ms_p50", "edit total p50 (ms)", "{:.1f}"),
        ("edit_total_ms_p95", "edit total p95 (ms)", "{:.1f}"), ("edit_cpu_ms_p50", "edit CPU p50 (ms)", "{:.1f}"),
        ("edit_cpu_ms_p95", "edit CPU p95 (ms)", "{:.1f}"),
        ("LY301_per_kloc", "LY301/kloc", "{:.2f}"), ("LY302_per_kloc", "LY302/kloc", "{:.2f}"), ("LY303_per_kloc", "LY303/kloc", "{:.2f}"),
    ]
    head = "| " + " | ".join(c[1] for c in cols) + " |"
    sep = "|" + "|".join("---" for _ in cols) + "|"
    body = ["| " + " | ".join(fmt.format(row[key]) for key, _, fmt in cols) + " |" for row in rows]
    return "\n".join([head, sep, *body])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--only", choices=sorted(TREES))
    parser.add_argument("--findings", help="write every LY3xx finding to FILE-<tree>.json")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        findings = f"{args.findings}-{args.one}.json" if args.findings else None
        print(json.dumps(measure(args.one, args.edits, findings)))
        return 0
    unpack()
    rows = []
    for name in [args.only] if args.only else list(TREES):
        cmd = [sys.executable, __file__, "--one", name, "--edits", str(args.edits)]
        if args.findings:
            cmd += ["--findings", args.findings]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            return 1
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(table(rows))
    print()
    for row in rows:
        print(f"- {row['tree']}: index update p95 {row['update_ms_p95']:.1f} ms, max {row['update_ms_max']:.1f} ms; edit total max {row['edit_total_ms_max']:.1f} ms over "
              f"{row['edits']} edits (median file {row['edit_lines_median']:.0f} lines); rss growth during build {row['rss_growth_mb']:.0f} MB; "
              f"findings pass {row['findings_s']:.1f} s; LY301 {row['LY301']}, LY302 {row['LY302']}, LY303 {row['LY303']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
