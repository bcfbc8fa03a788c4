# sample-select: LY1, F
# HTTP responses read without a status check.
import aiohttp
import httpx
import requests
import requests as rq


def user(user_id):
    resp = requests.get(f"https://api.example.com/users/{user_id}", timeout=10)  # expect: LY105
    resp.raise_for_status()
    return resp.json()


def page(url):
    # ページ本文 🌐
    r = rq.post(url, data={"q": "x"}, timeout=5)  # expect: LY105
    r.raise_for_status()
    body = r.text
    return body.upper()


def chained(url):
    return requests.get(url, timeout=10).json()  # expect: LY105


def with_session(url):
    session = requests.Session()
    resp = session.get(url, timeout=10)  # expect: LY105
    resp.raise_for_status()
    return resp.content


def with_client(url):
    with httpx.Client() as client:
        resp = client.get(url)  # expect: LY105
        resp.raise_for_status()
        return resp.json()


async def async_client(url):
    async with httpx.AsyncClient() as client:
        resp = await client.get(url)  # expect: LY105
        resp.raise_for_status()
        return resp.json()


# Safe look-alikes below.


def raises(url):
    resp = requests.get(url, timeout=10)
    resp.raise_for_status()
    return resp.json()


def tests_ok(url):
    resp = requests.get(url, timeout=10)
    if not resp.ok:
        return None
    return resp.json()


def tests_status(url):
    resp = httpx.get(url)
    if resp.status_code == 404:
        return None
    return resp.json()


def is_success(url):
    resp = httpx.get(url)
    return resp.json() if resp.is_success else None


def handed_over(url, handle):
    resp = requests.get(url, timeout=10)
    return handle(resp)


def headers_only(url):
    resp = requests.head(url, timeout=10)
    return resp.headers.get("etag")


def checked_chain(url):
    return requests.get(url, timeout=10).raise_for_status()


SESSION = requests.Session()


def module_session(url):
    resp = SESSION.post(url, timeout=10)  # expect: LY105
    resp.raise_for_status()
    return resp.json()


async def with_aiohttp(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:  # expect: LY105
            return await resp.json()


async def aiohttp_checked(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            if resp.status != 200:
                return None
            return await resp.json()


async def aiohttp_raising_session(url):
    async with aiohttp.ClientSession(raise_for_status=True) as session:
        async with session.get(url) as resp:
            return await resp.text()
