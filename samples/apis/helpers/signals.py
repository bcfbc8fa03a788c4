"""A module whose names are made at import time, as the standard library's `signal` and `ssl`
do: `_convert_` adds one module name per member, so nothing it lacks on paper is reported."""

import enum

enum.IntEnum._convert_("Sig", __name__, lambda name: name.startswith("SIG"))
