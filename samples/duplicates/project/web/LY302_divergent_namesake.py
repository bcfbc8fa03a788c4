# sample-select: LY3
"""Namesakes of core.text helpers that handle the same data differently."""

from datetime import datetime


def normalize_email(address):  # expect: LY302
    # Ünïcödé: unlike core.text, this one lower-cases the local part and keeps spaces.
    local, _, domain = address.partition("@")
    return f"{local.lower()}@{domain.lower()}"


def parse_date(value):  # expect: LY302
    value = value.strip()
    return datetime.strptime(value, "%d/%m/%Y").date()


def main():
    # Every script has a main(); namesakes by convention are not reported.
    print(parse_date("01/02/2024"))


def render_table(rows):
    # Only this module has it: nothing to compare.
    widths = [max(len(str(cell)) for cell in column) for column in zip(*rows)]
    return "\n".join(" ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows)
