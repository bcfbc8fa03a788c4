"""A pygls 2.1 server that does nothing: the baseline for how fast `initialize` can be answered.

It imports what every pygls server must (pygls, lsprotocol) and keeps documents in sync, nothing
more. leery's initialize is measured against this one in the same run.
"""

from lsprotocol import types
from pygls.lsp.server import LanguageServer

server = LanguageServer("bare", "1.0")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:  # leery: ignore[LY501] -- a do-nothing server by design: the baseline
    """pygls keeps the document; nothing to analyse."""


if __name__ == "__main__":
    server.start_io()
