# sample-select: LY5, F
import unittest
from unittest.mock import patch

from shop import pricing, total


def test_constant():
    assert True  # expect: LY504
    assert "price is right"  # expect: LY504
    value = total([])
    assert value == value  # expect: LY504
    assert value or True  # expect: LY504
    assert value == total([])
    assert value is not None


def test_mock_echo():
    with patch("shop.pricing.total", return_value=90) as mocked:
        result = pricing.total([1, 2])
        assert result == 90  # expect: LY504
        mocked.assert_called_once()


def test_mock_return_value(mocker):
    fake = mocker.patch("shop.total")
    fake.return_value = 42
    assert total([1]) == 42  # expect: LY504


@patch("shop.pricing.total", return_value=5)
def test_decorated(mock_total):
    # Ünïcödé 名前 before a finding
    assert mock_total() == 5  # expect: LY504


def test_collaborator_patched():
    with patch("shop.pricing.fetch_rates", return_value={"EUR": 1.0}):
        assert pricing.total([1], currency="EUR") == 1.0


def test_tuple_left_to_pyflakes():
    assert (total([]), "message")  # expect: F631


class TotalTests(unittest.TestCase):
    def test_unittest(self):
        self.assertTrue(1)  # expect: LY504
        self.assertEqual(self.value, self.value)  # expect: LY504
        self.assertIsNotNone([])  # expect: LY504
        self.assertEqual(total([]), 0)
        self.assertTrue(total([]) == 0)
