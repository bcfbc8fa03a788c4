"""`workspace/executeCommand` commands: a small registry, name -> async handler.

A handler is `async def handler(session, args: list) -> result` registered with
`@command("leery.name")`. Another module adds its own commands the same way and needs one
import line in `load_extensions()` below, e.g. for the team workflow (issue 8):

    import leery.lsp.review  # noqa: F401  (registers leery.markReviewed)

Command modules are imported before `initialize` (the client learns the command names from the
server's capabilities), so keep their top level light: import rules and analyzers inside the
handler.

Commands here (the VS Code extension calls them):
- `leery.rules` [] -> [{code, name, summary, severity, fixable, url}]
- `leery.explain` [code, show?] -> {code, name, markdown}; with show=true the rule's page is
  also opened (`window/showDocument`, or a message when the client cannot show documents)
- `leery.suppress` [{uri, line (0-based), code, reason}] -> {applied}: inserts
  `# leery: ignore[CODE] -- reason` through `workspace/applyEdit`
- `leery.analyzeWorkspace` [] -> {files, findings, cancelled?}: every Python file of the workspace
  folders, with a cancellable `$/progress` (cancelled: the files done so far, and cancelled=true);
  diagnostics of closed files are published (push) or refreshed (pull)
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from lsprotocol import types

from leery.lsp import convert

if TYPE_CHECKING:
    from leery.lsp.session import Session

log = logging.getLogger("leery.lsp")
Handler = Callable[["Session", list], Awaitable[Any]]
COMMANDS: dict[str, Handler] = {}


def command(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = handler
        return handler

    return register


def load_extensions() -> None:
    """Modules that add commands of their own (one import line each)."""
    try:
        import leery.lsp.review  # noqa: F401  (team workflow: leery.markReviewed)
    except ModuleNotFoundError as exc:
        if exc.name != "leery.lsp.review":
            raise


async def _rules():
    from leery.core.registry import load_rules

    return await asyncio.get_running_loop().run_in_executor(None, load_rules)


def _rule(registry, code: Any):
    if not isinstance(code, str):
        raise ValueError("expected a rule code")
    rule = registry.get(code.upper()) or registry.by_name(code)
    if rule is None:
        raise ValueError(f"no rule {code!r}")
    return rule


@command("leery.rules")
async def rules(session: "Session", args: list) -> list[dict[str, Any]]:
    registry = await _rules()
    return [
        {
            "code": r.code,
            "name": r.name,
            "summary": r.summary,
            "severity": r.severity.value,
            "fixable": r.fixable,
            "url": r.url,
        }
        for r in sorted(registry.rules.values(), key=lambda r: (not r.code.startswith("LY"), r.code))
    ]


@command("leery.explain")
async def explain(session: "Session", args: list) -> dict[str, Any]:
    from leery.commands.explain import render_markdown

    registry = await _rules()
    rule = _rule(registry, args[0] if args else None)
    markdown = render_markdown(rule)
    if len(args) > 1 and args[1] is True:
        await _show(session, rule, markdown)
    return {"code": rule.code, "name": rule.name, "markdown": markdown}


async def _show(session: "Session", rule, markdown: str) -> None:
    if session.capability("window.show_document.support"):
        try:
            result = await session.server.window_show_document_async(
                types.ShowDocumentParams(uri=rule.url, external=False, take_focus=True)
            )
            if result is not None and result.success:
                return
        except Exception as exc:
            log.info("leery: showDocument failed: %s", exc)
    session.server.window_show_message(
        types.ShowMessageParams(type=types.MessageType.Info, message=f"{rule.code} {rule.name}: {rule.summary}\n{rule.url}")
    )


@command("leery.suppress")
async def suppress(session: "Session", args: list) -> dict[str, Any]:
    from leery.core.findings import Span
    from leery.lsp.actions import suppression_edit, workspace_edit

    request = args[0] if args and isinstance(args[0], dict) else {}
    uri, line, code = request.get("uri"), request.get("line"), request.get("code")
    reason = str(request.get("reason") or "").strip()
    if not isinstance(uri, str) or not isinstance(line, int) or not isinstance(code, str):
        raise ValueError("expected [{uri, line, code, reason}]")
    if not reason:
        raise ValueError("a suppression needs a reason")
    key = session.key_of(uri)
    unit = session.unit_for(key)
    if unit is None:
        raise ValueError(f"{uri} is not open")
    module_line = line + unit.first_line_of(uri)
    edit = await asyncio.get_running_loop().run_in_executor(
        session.analyzer.fast_pool, suppression_edit, unit, Span(module_line, 0, module_line, 0), code, reason
    )
    if edit is None:
        return {"applied": False, "reason": "already suppressed, or no comment can go on this line"}
    target, text_edit = convert.text_edit(unit, session.codec, edit)
    response = await session.server.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=workspace_edit(session, {target: [text_edit]}), label=f"Suppress {code}")
    )
    return {"applied": bool(response and response.applied)}


@command("leery.analyzeWorkspace")
async def analyze_workspace(session: "Session", args: list) -> dict[str, int]:
    from leery.lsp import folders

    # Closed files are pushed in both modes: a pull client only pulls for open files unless it
    # also pulls workspace diagnostics. Opening a file clears its pushed copy (pull mode).
    progress = folders.Progress(session, "leery: analysing the workspace")
    try:
        reports = await folders.analyze_folders(session, publish_closed=True, progress=progress)
    finally:
        progress.end(progress.outcome or "stopped")
    if session.pull:
        session.files_changed.set()
    for uri in session.open_uris():
        result = session.analyzer.results.get(uri)
        if result is not None:
            reports[uri] = ([d for ds in result.diagnostics.values() for d in ds], "")
    result = folders.summary(reports)
    if progress.cancel_event.is_set():  # the user cancelled it from the progress UI
        result["cancelled"] = True
    return result
