"""Pure analysis: never imports pygls or lsprotocol (tests/test_layering.py enforces it)."""
