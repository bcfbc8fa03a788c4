# sample-select: LY5, F
import sys
import unittest

import pytest


@pytest.mark.skip  # expect: LY505
def test_refund():
    assert refund() == 0


@pytest.mark.skip(reason="")  # expect: LY505
def test_export():
    assert export() == 1


@pytest.mark.skipif(sys.platform == "win32")  # expect: LY505
def test_paths():
    assert paths()


# Ünïcödé 名前 before a finding
@pytest.mark.skip("TODO")  # expect: LY505
def test_名前():
    assert refund() == 0


def test_conditional():
    if sys.platform == "win32":
        pytest.skip()  # expect: LY505
    assert paths()


class RefundTests(unittest.TestCase):
    @unittest.skip("")  # expect: LY505
    def test_partial(self):
        self.assertEqual(refund(), 0)

    @unittest.skipIf(sys.platform == "win32", "no fork on Windows")
    def test_fork(self):
        self.assertTrue(paths())


# Safe look-alikes
@pytest.mark.skip(reason="the sandbox gateway is down, see #412")
def test_with_reason():
    assert refund() == 0


@pytest.mark.skipif(sys.version_info < (3, 12), reason="needs PEP 695 generics")
def test_generics():
    assert paths()


@pytest.mark.skipif("sys.platform == 'win32'")
def test_string_condition():
    assert paths()


def test_conditional_with_reason():
    if sys.platform == "win32":
        pytest.skip("no symlinks on Windows")
    assert paths()


def refund():
    return 0


def export():
    return 1


def paths():
    return ["/"]
