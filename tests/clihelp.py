"""Running the real `leery` console script in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LEERY = Path(sys.executable).with_name("leery")


def leery(*args: str, cwd: Path | str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("LEERY_STRICT", None)  # the CLI must behave as users see it
    return subprocess.run(
        [str(LEERY), *args], cwd=str(cwd), input=stdin, capture_output=True, text=True, env=full_env, timeout=120
    )
