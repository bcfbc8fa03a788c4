# sample-select: LY5, F
import unittest
from unittest import mock

import pytest
from hypothesis import given, strategies as st

from shop import apply_discount, parse_price


def test_apply_discount():  # expect: LY503
    cart = {"total": 100}
    apply_discount(cart, "SAVE10")


def test_parse_price_runs_twice():  # expect: LY503
    parse_price("1.00")
    parse_price("2.00")


def test_placeholder():  # expect: LY503
    pass


def test_early_return():  # expect: LY503
    value = parse_price("1.00")
    return
    assert value == 1  # unreachable


# Ünïcödé 名前 before a finding
def test_名前():  # expect: LY503
    parse_price("名前")


class TestCheckout:
    def test_total(self):  # expect: LY503
        apply_discount({}, "X")

    def test_with_assert(self):
        assert parse_price("1") == 1


class CheckoutTests(unittest.TestCase):
    def test_unittest_without_assertion(self):  # expect: LY503
        apply_discount({}, "X")

    def test_assert_equal(self):
        self.assertEqual(parse_price("1"), 1)

    def test_helper_method(self):
        self._check_price("1", 1)

    def _check_price(self, text, value):
        self.assertEqual(parse_price(text), value)

    def test_fail(self):
        if parse_price("1") != 1:
            self.fail("wrong price")


# Safe look-alikes -------------------------------------------------------------------------

def verify_total(cart, expected):
    assert cart["total"] == expected


def run_and_compare(text, expected):
    verify_total({"total": parse_price(text)}, expected)


def test_helper_asserts():
    run_and_compare("1.00", 1)


def test_raises():
    with pytest.raises(ValueError):
        parse_price("abc")


def test_warns():
    with pytest.warns(UserWarning):
        parse_price("1.0000")


def test_mock_assert():
    sink = mock.Mock()
    apply_discount({"sink": sink}, "X")
    sink.assert_called_once_with("X")


def test_snapshot(snapshot):
    snapshot.assert_match(str(parse_price("1")), "price.txt")


@given(st.text())
def test_parse_never_crashes(text):
    parse_price(text)


@pytest.mark.xfail(raises=ValueError)
def test_bad_price():
    parse_price("x")


def test_parse_does_not_raise():
    parse_price("1.00")


def test_empty_price():
    """Parsing an empty string should not raise."""
    parse_price("")


def test_benchmark(benchmark):
    benchmark(parse_price, "1.00")


def test_imports():
    import shop  # expect: F401


def test_entry_points():
    apply_discount.__name__
    mock.Mock().configure_mock


def test_subscripted_mock():
    sinks = {"a": mock.Mock()}
    apply_discount(sinks, "X")
    sinks["a"].write.assert_called_once_with("X")


@pytest.mark.skip(reason="waiting for the gateway sandbox")
def test_skipped():
    apply_discount({}, "X")


def test_explicit_raise():
    if parse_price("1") != 1:
        raise AssertionError("wrong price")


@pytest.fixture
def test_data():
    return parse_price("1")


def not_a_test():
    parse_price("1")
