"""When each file came into the repository: one `git log` call per workspace, never per file.

"The copy that came later" is the one whose file was added later. Files git does not know
(new, untracked) are the newest. Outside a git repository, or if git fails, every file has
the same age and path order decides.
"""

from __future__ import annotations

import logging
import math
import os
import subprocess
from pathlib import Path

log = logging.getLogger("leery")

UNTRACKED = math.inf


def added_times(root: Path, timeout: float = 20.0) -> dict[str, float] | None:
    """`{path relative to root: unix time of the commit that last added it}`; None without git."""
    # -c settings keep a hostile repository's config from running programs (fsmonitor, hooks).
    cmd = [
        "git", "-c", "core.fsmonitor=false", "-c", "core.quotePath=false", "-c", "core.hooksPath=/dev/null", "-C", str(root),
        "log", "--no-renames", "--diff-filter=A", "--name-only", "--relative", "--format=%x00%ct", "--no-color",
    ]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("leery: git history unavailable for %s: %s", root, exc)
        return None
    if done.returncode != 0:
        return None
    times: dict[str, float] = {}
    current = 0.0
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("\0"):
            try:
                current = float(line[1:])
            except ValueError:
                current = 0.0
        elif line and line not in times:  # newest first: the first time seen is the last add
            times[line] = current
    return times
