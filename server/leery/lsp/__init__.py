"""The language server (`leery serve`): the only package that imports pygls and lsprotocol."""
