# sample-select: LY4, F
import json
import logging
import shutil
import subprocess
from json import dumps


def save(report, path):
    text = json.dumps(report, sort_keys=True)  # expect: LY405
    subprocess.run(["sync"], capture_output=True)  # expect: LY405
    shutil.copy(path, path + ".bak", follow_symlinks=False)  # expect: LY405
    # Ünïcödé 名前 before a finding
    delta = shutil.rmtree(path, ignore_errors=True)  # expect: LY405
    return text, delta, dumps(report, indent=2)  # expect: LY405


# Safe look-alikes
def fine(report, options):
    text = json.dumps(report, sort_keys=True, indent=2)
    subprocess.run(["sync"], capture_output=True, check=True, text=True)
    more = json.dumps(report, **options)  # a mapping may hold anything
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        legacy = json.dumps(report, encoding="utf-8")
    except TypeError:
        legacy = None
    return text, more, legacy, local_helper(value=1)


def local_helper(value):
    return value
