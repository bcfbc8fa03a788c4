# sample-select: LY4, F
import json

import jedi
import pytest
import yaml  # expect: LY402
# Ünïcödé 名前 before a finding
from pygments import lexers  # expect: LY402

try:
    import rich
except ImportError:  # optional: not a declared dependency on purpose
    rich = None

print(json, jedi, pytest, yaml, lexers, rich)
