# sample-select: LY1, F
# `contextlib.suppress` with a broad exception class.
import contextlib
import os
from contextlib import suppress
from contextlib import suppress as ignoring


def remove(path):
    with contextlib.suppress(Exception):  # expect: LY102
        os.remove(path)


def remove_quietly(path):
    # 静かに削除する 🧹
    with suppress(BaseException):  # expect: LY102
        os.remove(path)


def remove_aliased(path):
    with ignoring(OSError, Exception):  # expect: LY102
        os.remove(path)


# Safe look-alikes: specific exceptions.


def remove_if_present(path):
    with suppress(FileNotFoundError):
        os.remove(path)


def remove_many(paths):
    for path in paths:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.remove(path)
