# sample-select: LY3
"""The project's original helpers: the copies in web/ came later, so findings go there."""

import re
from datetime import datetime


def slugify(title):
    """Lower-case, dashes between words, nothing else."""
    text = title.lower().strip()
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")


def normalize_email(address):
    address = address.strip()
    local, _, domain = address.partition("@")
    return f"{local}@{domain.lower()}"


def parse_date(value):
    value = value.strip()
    return datetime.strptime(value, "%Y-%m-%d").date()


def word_counts(text, stopwords):
    counts = {}
    for word in re.findall(r"\w+", text.lower()):
        if word in stopwords:
            continue
        counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda item: -item[1])


def main():
    print(slugify("Hello, world"))


class Reader:
    def load(self, path):
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        return [line for line in lines if line and not line.startswith("#")]

    def __repr__(self):
        return f"{type(self).__name__}({self.__dict__!r})"
