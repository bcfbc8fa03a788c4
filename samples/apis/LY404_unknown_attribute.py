# sample-select: LY4, F
import collections.abc
import json
import math
import os
import subprocess as sp
import sys
from os.path import exist  # expect: LY404
from json import parse  # expect: LY404
from json import loads


def read(path):
    if os.path.exist(path):  # expect: LY404
        return json.parse(open(path).read())  # expect: LY404
    return loads("{}")


def run():
    # Ünïcödé 名前 before a finding
    out = sp.check_outptu(["ls"])  # expect: LY404
    return out, math.pie  # expect: LY404


# Safe look-alikes
def fine(path):
    mapping = collections.abc.Mapping
    cwd = os.getcwd()
    env = os.environ.unknown_attribute_of_an_object  # attributes of objects are not checked
    version = sys.version_info
    if hasattr(os, "register_at_fork_later"):
        os.register_at_fork_later()
    try:
        fork = os.fork_exec
    except AttributeError:
        fork = None
    if sys.version_info >= (3, 99):
        json.parse_future(path)
    return mapping, cwd, env, version, fork, exist, parse, os.path.exists(path)


def shadowed(json):
    return json.parse("{}")  # `json` is a parameter here, not the module
