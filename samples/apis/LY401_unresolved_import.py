# sample-select: LY4, F
import json
import os.path
import sys
from typing import TYPE_CHECKING

import reqeusts  # expect: LY401
import flask_superauth  # expect: LY401
from pandas_utils import clean_frame  # expect: LY401
import xml.etree.ElementTre  # expect: LY401
from .helpers_that_do_not_exist import helper  # expect: LY401
from . import sibling

# Ünïcödé 名前 before a finding
import 名前モジュール  # expect: LY401

# Safe look-alikes: optional, platform-specific and type-only imports.
try:
    import ujson
except ImportError:
    ujson = None

if sys.platform == "win32":
    import winreg
else:
    winreg = None

if TYPE_CHECKING:
    from _typeshed import StrPath

from leery.core import source as leery_source
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
import msvcrt  # a standard module of another platform

print(json, os.path, reqeusts, flask_superauth, clean_frame, xml, helper, sibling, 名前モジュール)
print(ujson, winreg, leery_source, ElementTree, Mapping, msvcrt)


def typed(path: "StrPath") -> None:
    print(path)
