# sample-select: LY1, F
# `assert` used to validate arguments: `python -O` removes it.
from typing import TYPE_CHECKING


def transfer(amount, account):
    assert amount > 0, "amount must be positive"  # expect: LY107
    assert account is not None  # expect: LY107
    return account.withdraw(amount)


class Parser:
    def parse(self, text):
        # 入力を検証する 🔍
        assert isinstance(text, str)  # expect: LY107
        return text.split()

    def __init__(self, limit):
        assert limit >= 0  # expect: LY107
        self.limit = limit


# Safe look-alikes below.


def internal_invariant(items):
    total = sum(items)
    # An assert on a computed value states an invariant of this code, not a check on callers.
    assert total >= 0
    return total


def _private_helper(value):
    # Private helpers get their arguments from this module: an assert documents the contract.
    assert value
    return value


def outer(values):
    def inner(value):
        assert value is not None
        return value

    return [inner(v) for v in values]


if TYPE_CHECKING:

    def typed(value):
        assert isinstance(value, int)
        return value


def narrowed(node: object):
    # isinstance on an annotated argument narrows the declared type for the type checker.
    assert isinstance(node, str)
    return node.upper()


def rebound(limit=None):
    limit = limit or 10
    assert limit > 0
    return limit


def unannotated(node):
    assert isinstance(node, str)  # expect: LY107
    return node.upper()


def state_of_an_argument(node):
    # An attribute of an argument: an invariant of the caller's object, not a check of the input.
    assert node.kind == "name"
    return node


def method_on_an_argument(path):
    assert path.endswith(".py")  # expect: LY107
    return path


def assert_is_name(node):
    # An assertion helper: asserting is its job.
    assert node.isidentifier()


def reviewed_for_bandit(count):
    assert count >= 0  # nosec B101 - internal callers only, checked in the CLI
    return count
