# sample-select: LY2
"""Outgoing requests to a URL the client chose (SSRF), and the allowlisted forms."""
from urllib.parse import urlparse
from urllib.request import urlopen

import requests
from flask import Flask, abort, request

app = Flask(__name__)
ALLOWED_HOSTS = {"api.example.com", "cdn.example.com"}


@app.route("/fetch")
def fetch():
    url = request.args["url"]
    # Ünïcödé 🙂
    return requests.get(url, timeout=5).text  # expect: LY205


@app.route("/proxy")
def proxy():
    return urlopen(request.args["target"]).read()  # expect: LY205


@app.route("/webhook", methods=["POST"])
def webhook():
    callback = request.get_json()["callback"]
    session = requests.Session()
    session.post(callback, json={"ok": True}, timeout=5)  # expect: LY205
    return "sent"


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/fetch")
def fetch_allowed():
    url = request.args["url"]
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    return requests.get(url, timeout=5).text


@app.route("/safe/parsed")
def fetch_parsed():
    url = request.args["url"]
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.hostname not in ALLOWED_HOSTS:
        abort(400)
    return requests.get(url, timeout=5).text


@app.route("/safe/item")
def fetch_item():
    item = request.args.get("id", type=int)
    return requests.get(f"https://api.example.com/items/{item}", timeout=5).text


@app.route("/safe/params")
def fetch_search():
    return requests.get("https://api.example.com/search", params={"q": request.args["q"]}, timeout=5).text
