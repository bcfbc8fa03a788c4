"""The editor side of the review record (issue 8): the "Mark reviewed" code action and the
`leery.markReviewed` command; importing this module also turns the record, the baseline and the
`scope = "changed"` setting on for the server's analyses (leery.review.filters).

`leery.markReviewed` [{uri, line (0-based), code, reason}] -> {recorded, record, line}:
writes `.leery/reviews.toml` exactly as `leery review add` does, then re-analyses. Without a
reason (the code action: LSP has no text prompt; the VS Code extension asks first) the entry is
written with a `<reason>` placeholder and the record is opened at it: the finding stays visible,
saying the reason is missing, until a person writes one.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from leery.lsp import actions
from leery.lsp.commands import command
from leery.review import filters

if TYPE_CHECKING:
    from leery.core.findings import Finding
    from leery.lsp.documents import Unit
    from leery.lsp.session import Session

log = logging.getLogger("leery.lsp")
COMMAND = "leery.markReviewed"
PLACEHOLDER = "<reason>"

filters.install()


def review_action(session: "Session", uri: str, rng: types.Range, finding: "Finding", diagnostics) -> list[types.CodeAction]:
    """"Mark CODE reviewed…" for a finding that is not reviewed yet (hooked into actions.code_actions)."""
    if finding.extra.get("review", {}).get("status") in ("reviewed", "no reason"):
        return []
    args = [{"uri": uri, "line": rng.start.line, "code": finding.code}]
    cmd = types.Command(title=f"Mark {finding.code} reviewed…", command=COMMAND, arguments=args)
    return [types.CodeAction(title=cmd.title, kind=types.CodeActionKind.QuickFix, diagnostics=diagnostics, command=cmd)]


actions.FINDING_ACTIONS.append(review_action)


@command(COMMAND)
async def mark_reviewed(session: "Session", args: list) -> dict[str, Any]:
    request = args[0] if args and isinstance(args[0], dict) else {}
    uri, line, code = request.get("uri"), request.get("line"), request.get("code")
    if not isinstance(uri, str) or not isinstance(line, int) or isinstance(line, bool) or not isinstance(code, str):
        raise ValueError("expected [{uri, line, code, reason}]")
    reason = str(request.get("reason") or "").strip()
    key = session.key_of(uri)
    unit = session.unit_for(key)
    if unit is None:
        raise ValueError(f"{uri} is not open")
    if unit.cells:
        raise ValueError("Mark reviewed works on .py files; in a notebook, suppress with a reason instead")
    ctx = session.context_for(unit)
    loop = asyncio.get_running_loop()
    record, entry_line, count = await loop.run_in_executor(None, _record, unit, ctx.settings, ctx.workspace, line, code, reason)
    before = session.analyzer.results.get(key)
    session.reanalyse_all()  # the record is read again (its mtime changed) by every analysis
    await _reanalysed(session, key, before.generation if before is not None else -1)
    if not reason:
        await _open_record(session, record, entry_line)
    return {"recorded": count, "record": record, "line": entry_line, "needsReason": not reason}


async def _reanalysed(session: "Session", key: str, generation: int, timeout: float = 30) -> None:
    """Answer only once this document's findings reflect the record, so a pull that follows
    the command's answer gets them (push clients got them published before the answer)."""
    analyzer = session.analyzer

    async def wait() -> None:
        while True:
            result = analyzer.results.get(key)
            if result is None or (result.generation > generation and result.complete):
                return
            future = asyncio.get_running_loop().create_future()
            analyzer._waiters.setdefault(key, []).append(future)  # noqa: SLF001 - woken by every store
            await future

    try:
        await asyncio.wait_for(wait(), timeout)
    except asyncio.TimeoutError:
        log.warning("leery: %s was not re-analysed within %s s after Mark reviewed", key, timeout)


def _record(unit: "Unit", settings, workspace, line: int, code: str, reason: str) -> tuple[str, int, int]:
    """Runs off the event loop: analyse without the record, find the finding, write the entry."""
    import datetime as dt

    from leery.core.engine import analyze
    from leery.core.registry import load_rules
    from leery.review.actions import add_entries, at_line, keyed, make_entry
    from leery.review.gitinfo import GitError, reviewer
    from leery.review.record import RecordError, project_root, relative

    rule = load_rules().get(code)
    tiers = (rule.tier,) if rule is not None and rule.tier in ("fast", "slow") else ("fast", "slow")
    raw = filters.unfiltered(analyze, unit.source, settings, workspace, tiers=tiers)
    chosen = at_line(keyed(unit.source, raw), line, code)
    if not chosen:
        raise ValueError(f"no {code} finding starts on line {line + 1}; nothing to mark reviewed")
    root = project_root(unit.path, settings)
    rel = relative(unit.path, root)
    if rel is None:
        raise ValueError(f"{unit.path} is outside the project {root}")
    try:
        who = reviewer(root)
        today = dt.date.today()
        entries = [make_entry(item, rel, who, reason or PLACEHOLDER, None, today, placeholder_ok=not reason) for item in chosen]
        written = add_entries(root, entries)
    except (GitError, RecordError) as exc:
        raise ValueError(str(exc)) from None
    text = written.read_text(encoding="utf-8").splitlines()
    fingerprint = f'fingerprint = "{entries[0].fingerprint}"'
    entry_line = next((i for i, t in enumerate(text) if t == fingerprint), 0)
    reason_line = next((i for i in range(entry_line, len(text)) if text[i].startswith("reason = ")), entry_line)
    return str(written), reason_line, len(entries)


async def _open_record(session: "Session", record: str, line: int) -> None:
    """Show the new entry so the person writes the reason there (or say where it is)."""
    from leery.lsp import convert

    where = types.Range(start=types.Position(line=line, character=10), end=types.Position(line=line, character=18))
    if session.capability("window.show_document.support"):
        try:
            shown = await session.server.window_show_document_async(
                types.ShowDocumentParams(uri=convert.uri_of(record), take_focus=True, selection=where)
            )
            if shown is not None and shown.success:
                return
        except Exception as exc:  # the client may refuse; then a message says where to write
            log.info("leery: showDocument failed: %s", exc)
    session.server.window_show_message(
        types.ShowMessageParams(type=types.MessageType.Info, message=f"leery: write the review's reason in {record}, line {line + 1}")
    )
