# sample-select: LY2
"""Patterns compiled from input (ReDoS), and literal matching."""
import re

from flask import Flask, request

app = Flask(__name__)
NAMES = ["alice", "bob"]


@app.route("/filter")
def filter_names():
    pattern = request.args["q"]
    # Ünïcödé 🙂
    return ",".join(n for n in NAMES if re.search(pattern, n))  # expect: LY213


@app.route("/compile")
def compiled():
    rx = re.compile(request.args["q"])  # expect: LY213
    return str(bool(rx.match("x")))


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/filter")
def filter_escaped():
    rx = re.compile(re.escape(request.args["q"]))
    return ",".join(n for n in NAMES if rx.search(n))


@app.route("/safe/match")
def match_input():
    return str(bool(re.fullmatch(r"[a-z]+", request.args["q"])))
