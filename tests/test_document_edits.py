"""The server applies an incremental edit as pygls does, without copying the document line by
line: same text after any edit, in the protocol's units, of any text (leery.lsp.documents)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument

from leery.lsp.documents import LspTextDocument

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class Reference(TextDocument):
    """pygls's own edit over the lines as the protocol splits them (leery's before the fast path)."""

    @property
    def lines(self):  # type: ignore[override]
        return tuple(_LINE.findall(self.source))


PIECES = ["a", "é", "日本", "😀", "\n", "\r\n", "\r", "\x0c", "\u2028", "    ", "def f():\n", "", "#", "\t"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
positions = st.builds(types.Position, line=st.integers(0, 8), character=st.integers(0, 12))
encodings = st.sampled_from([types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf32])


def apply(cls, text: str, start: types.Position, end: types.Position, new: str, encoding) -> str:
    doc = cls("file:///m.py", text, 1, position_codec=PositionCodec(encoding))
    change = types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(start.line, start.character), types.Position(end.line, end.character)), text=new
    )
    doc.apply_change(change)
    return doc.source


@settings(max_examples=3000, deadline=None)
@given(texts, positions, positions, texts, encodings)
def test_an_edit_gives_the_text_pygls_gives(text, start, end, new, encoding):
    assert apply(LspTextDocument, text, start, end, new, encoding) == apply(Reference, text, start, end, new, encoding)


@settings(max_examples=1000, deadline=None)
@given(texts)
def test_lines_split_where_the_protocol_does(text):
    assert LspTextDocument("file:///m.py", text, 1).lines == tuple(_LINE.findall(text))


def test_an_edit_in_the_middle_of_a_long_file():
    text = "".join(f"line_{n} = {n}  # 😀\n" for n in range(5000))
    start, end = types.Position(2500, 10), types.Position(2501, 4)
    for encoding in (types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8):
        got = apply(LspTextDocument, text, start, end, "X", encoding)
        assert got == apply(Reference, text, start, end, "X", encoding)
        assert got.split("\n")[2500] == "line_2500 X_2501 = 2501  # 😀"
