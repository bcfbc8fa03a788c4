"""The fast tier of a new version does not wait for the slow tier of an older one.

The slow tier of version 1 is held at a gate the test controls (tests/lsp/fixtures/gated_server.py):
while it is held, the fast diagnostics of versions 2 to 6 must arrive; once released, version 1's
slow findings are dropped, the slow tier runs for version 6 only, and its findings follow.
Versions never go backwards.
"""

from __future__ import annotations

import asyncio
import sys

from conftest import FIXTURES

GATED_SERVER = [sys.executable, str(FIXTURES / "gated_server.py")]
V1 = "import os\n\n\ndef gate():\n    return 1\n\n\ngate()\n"
V2 = "import sys\n\n\ndef mark():\n    return 1\n\n\nmark()\n"


async def test_fast_tier_of_a_new_version_overtakes_an_older_slow_tier(launch):
    inside = asyncio.get_running_loop().create_future()
    marks: list[int] = []  # one per slow-tier run that reached `mark()`

    async def gatekeeper(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if await reader.readexactly(2) == b"in":
            inside.set_result(writer)
            return
        marks.append(1)
        writer.write(b"g")
        await writer.drain()
        writer.close()

    gate = await asyncio.start_server(gatekeeper, "127.0.0.1", 0)
    port = gate.sockets[0].getsockname()[1]
    try:
        editor = await launch(
            "neovim-0.7",  # push: every publish is seen, with its version
            command=GATED_SERVER,
            env={"LEERY_TEST_GATE_PORT": str(port)},
            init_options={"extendSelect": ["LY992"], "debounce": 0},
        )
        uri = editor.open("typing.py", V1)
        assert "F401" in [d.code for d in await editor.pushed(uri, 1, timeout=60)]  # fast tier of version 1
        writer = await asyncio.wait_for(inside, 60)  # the slow tier of version 1 is at the gate
        # Versions 2 to 6, each waited for: their fast tiers, while version 1's slow tier is held.
        for version in range(2, 7):
            assert editor.replace(uri, V2 + "\n" * (version - 2)) == version
            fast = await editor.pushed(uri, version, timeout=30)
            assert [(d.code, d.range.start.line) for d in fast] == [("F401", 0)]
        # (Version 1's slow tier is still in recv(): only the write below lets it return.)

        writer.write(b"g")  # let version 1's slow tier finish
        await writer.drain()

        async def slow_of_v2() -> list:
            while True:
                diags = await editor.next_publish(uri, timeout=60)
                if any(d.code == "LY992" for d in diags):
                    return diags

        final = await asyncio.wait_for(slow_of_v2(), 60)
        assert sorted((d.code, d.range.start.line) for d in final) == [("F401", 0), ("LY992", 7)]
        versions = [v for v, _ in editor.published[uri]]
        assert versions == sorted(versions) and versions[-1] == 6, versions
        assert marks == [1]  # the slow tier ran for version 6 only: 2 to 5 were typed past while it waited
        # Version 1's slow findings (the gate) were dropped: never published.
        assert not any("gate()" in d.message for _, diags in editor.published[uri] for d in diags)
    finally:
        if inside.done():
            inside.result().close()
        gate.close()
