# sample-select: LY3
"""Helpers an assistant re-wrote instead of importing them from core.text."""

import re
from core.text import slugify
from core.text import word_counts


def make_slug(headline):  # expect: LY301
    # Ünïcödé comment before a finding: columns are code points.
    return slugify(headline)


def count_words(body, ignored):  # expect: LY301
    return word_counts(body, ignored)


def title_case(words):
    # Looks like slugify (lower, strip, re.sub) but does something else: not a duplicate.
    words = [w.capitalize() for w in re.split(r"\s+", words.strip()) if w]
    joined = " ".join(words)
    return joined.replace(" And ", " and ")


def main():
    print(make_slug("Hello, world"))


class CsvReader:
    # Same method name as core.text.Reader.load: one interface, two implementations.
    def load(self, path):
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        return [line for line in lines if line and not line.startswith("#")]

    def __repr__(self):
        return f"{type(self).__name__}({self.__dict__!r})"

    @property
    def size(self):
        return len(self.load(self.path)) + len(self.header)


def weighted_score(a, b):
    total = a * 2 + b * 3
    if total > 100:
        total = 100
    return total, total / 2


def weighted_score_again(x, y):  # expect: LY301
    return weighted_score(x, y)
