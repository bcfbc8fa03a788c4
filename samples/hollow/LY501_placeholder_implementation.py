# sample-select: LY5, F
import abc
from abc import ABC, abstractmethod
from typing import Protocol, overload


def charge_card(card, amount):  # expect: LY501
    """Charge the card and return the transaction id."""
    pass


def refund(order):  # expect: LY501
    ...


def send_invoice(order):  # expect: LY501
    raise NotImplementedError


def compute_tax(amount):  # expect: LY501
    # TODO: use the real tax table
    return 0


def describe():  # expect: LY501
    """Describe the shop."""


# Ünïcödé 名前 before a finding: columns are code points.
def 价格(x):  # expect: LY501
    pass


def default_discount():
    return 0  # a constant return alone is a real function


def _noop(*args, **kwargs):
    pass


class Storage(ABC):
    @abstractmethod
    def save(self, blob):
        ...

    def close(self):
        raise NotImplementedError


class Reader(Protocol):
    def read(self, size: int) -> bytes:
        ...


class Meta(metaclass=abc.ABCMeta):
    def run(self):
        pass


@overload
def parse(value: int) -> int: ...
@overload
def parse(value: str) -> str: ...
def parse(value):
    return value


class Plugin:
    """A documented interface: every method is a placeholder with a docstring."""

    def start(self):
        """Called once when the plugin loads."""

    def stop(self):
        """Called once when the plugin unloads."""
        pass


class BaseHandler:
    def handle(self, event):
        raise NotImplementedError


class Handler:
    def __init__(self):
        pass

    def handle(self, event):  # expect: LY501
        raise NotImplementedError("TODO: handle events")

    def finish(self):  # expect: LY501
        pass


class Exporter:
    def to_pdf(self):
        raise NotImplementedError  # the usual "subclasses implement this"


class Subclassed:
    def hook(self):
        pass


class Child(Subclassed):
    def hook(self):
        print("child")


class QuietServer(Exception):
    def log_message(self, *args):
        pass  # an override that turns logging off


def outer():
    def callback(event):
        pass

    return callback


try:
    from fastjson import dumps
except ImportError:
    def dumps(value):
        ...


class Service:
    def lookup(self, key):  # expect: LY501
        return None  # FIXME: read from the cache
