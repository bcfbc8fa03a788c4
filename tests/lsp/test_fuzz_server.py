"""Fuzz the server with random incremental edits in the client's position units (UTF-16 for the
push client, UTF-8 for Neovim 0.11): astral characters, form feeds and U+2028 (not line breaks
in the protocol), half-typed statements.

- The server's copy of the text equals the client's: after the edits, the diagnostics of the
  incrementally edited document equal those of the same text opened afresh.
- Pushed diagnostic versions never go backwards.
- No diagnostic points outside the document.

Seeded: a failure names its seed and replays exactly. LEERY_FUZZ_EDITS sets the edits per session.
"""

from __future__ import annotations

import os
import random

import pytest
from lsprotocol import types

from conftest import units

EDITS = int(os.environ.get("LEERY_FUZZ_EDITS", "120"))
# Only fast-tier rules: their diagnostics are final with the first publish of a version, so two
# analyses of the same text must agree exactly.
OPTIONS = {"debounce": 0, "select": ["F", "LY0", "LY1", "LY2", "LY5", "B"]}

# Dense with findings whose ranges depend on exact columns (an unused import, an undefined
# name per line) and with non-ASCII before them: a server whose text drifts from the client's
# reports them elsewhere.
BASE = '''import os, json, re  # 日本語
import subprocess


def run(cmd):
    """Runs a command 😀 and hides its failure."""
    try:
        subprocess.run(cmd)
    except Exception:
        pass
    ü = "😀😀"; print(ü, undefined_a)
    é = "日本"; print(é, undefined_b)
    label = "🧪"; print(label, undefined_c, "é", undefined_d)


class Store:
    def load(self, path):
        with open(path) as handle:
            return missing_e(handle) + "😀" + missing_f
'''

PIECES = [
    "", "x", "(", ")", ":", "\n", "\n    ", "    ", "😀", "é", "日本", "\x0c", "\u2028", "'", '"""', "#",
    "import sys\n", "subprocess.run(['ls'])\n", "try:\n    f()\nexcept Exception:\n    pass\n",
    "def g():\n    pass\n", "# leery: ignore[F401] kept for plugins\n", "# leery: ignore[LY101]\n", "\t", "🧪🧪",
]


def position(text: str, offset: int, encoding: str) -> types.Position:
    """Protocol position of a string offset: lines end at \\n only in these texts (no \\r)."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=line, character=units(text[start:offset], encoding))


def random_edit(rng: random.Random, text: str) -> tuple[int, int, str]:
    start = rng.randrange(len(text) + 1)
    end = min(len(text), start + rng.choice([0, 0, 0, 1, 2, 3, 8, 30]))
    return start, end, rng.choice(PIECES)


def key(d: types.Diagnostic) -> tuple:
    r = d.range
    return (r.start.line, r.start.character, r.end.line, r.end.character, str(d.code), d.message)


def assert_inside(diags: list[types.Diagnostic], text: str, encoding: str) -> None:
    lines = text.split("\n")
    for d in diags:
        for pos in (d.range.start, d.range.end):
            assert 0 <= pos.line < len(lines), (d, len(lines))
            assert 0 <= pos.character <= units(lines[pos.line], encoding), (d, lines[pos.line])
        assert (d.range.start.line, d.range.start.character) <= (d.range.end.line, d.range.end.character), d


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("client", ["neovim-0.7", "neovim"])
async def test_random_incremental_edits(launch, client, seed):
    rng = random.Random(seed)
    editor = await launch(client, init_options=OPTIONS)
    uri = editor.open("fuzz.py", BASE)
    assert_inside(await editor.diagnostics(uri), BASE, editor.encoding)
    text = BASE
    for step in range(EDITS):
        start, end, new = random_edit(rng, text)
        rng_ = types.Range(start=position(text, start, editor.encoding), end=position(text, end, editor.encoding))
        text = text[:start] + new + text[end:]
        editor.edit(uri, rng_, new, new_text=text)
        if rng.random() < 0.2 or step == EDITS - 1:  # sometimes wait, as a person pausing would
            diags = await editor.diagnostics(uri)
            assert_inside(diags, text, editor.encoding)
            # The same text opened afresh beside it must get the same diagnostics.
            copy = editor.open(f"copy_{step}.py", text)
            assert sorted(map(key, diags)) == sorted(map(key, await editor.diagnostics(copy))), (
                f"seed {seed}, step {step}: the server's text differs from the client's:\n{text!r}"
            )
            editor.close(copy)
    edited = sorted(map(key, await editor.diagnostics(uri)))
    if not editor.pull:
        versions = [v for v, _ in editor.published[uri]]
        assert versions == sorted(versions), f"seed {seed}: versions went backwards: {versions}"
        for version, diags in editor.published[uri]:
            assert version is not None
    editor.close(uri)
    if not editor.pull:
        await editor.pushed(uri, None)  # the clearing publish after close
    editor.published.pop(uri, None)
    uri = editor.open("fuzz.py", text)
    fresh = sorted(map(key, await editor.diagnostics(uri)))
    assert edited == fresh, f"seed {seed}: the server's text differs from the client's:\n{text!r}"
