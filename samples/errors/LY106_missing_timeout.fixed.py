# sample-select: LY1, F
# Network calls that can wait forever.
import socket
import urllib.request
from urllib.request import urlopen

import httpx
import requests


def fetch(url):
    return requests.get(url, timeout=10)  # expect: LY106


def send(url, payload):
    # 送信する 📨
    return requests.post(url, json=payload, timeout=10)  # expect: LY106


def generic(url):
    return requests.request("GET", url, timeout=10)  # expect: LY106


def forever(url):
    return httpx.get(url, timeout=10)  # expect: LY106


def legacy(url):
    return urllib.request.urlopen(url, timeout=10)  # expect: LY106


def legacy_imported(url):
    return urlopen(url, data=None, timeout=10)  # expect: LY106


def connect(host):
    return socket.create_connection((host, 80), timeout=10)  # expect: LY106


# Safe look-alikes below.


def bounded(url):
    return requests.get(url, timeout=10)


def httpx_default(url):
    # httpx applies a 5 s default timeout: no finding unless timeout=None.
    return httpx.get(url)


def forwarded(url, **kwargs):
    return requests.get(url, **kwargs)


def legacy_positional(url):
    return urlopen(url, None, 10)


def connect_positional(host):
    return socket.create_connection((host, 80), 5)


def session_default(url):
    session = requests.Session()
    return session.get(url, timeout=3)
