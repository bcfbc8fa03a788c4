# A file that does not parse: one LY001, and no other rule pretends the file is clean.
import os


def load(path)  # expect: LY001
    return os.path.exists(path)
