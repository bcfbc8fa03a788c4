# sample-select: LY2
"""Shell commands built from input, and the argument-list forms that stay quiet."""
import os
import shlex
import subprocess
import sys

from flask import Flask, abort, request

app = Flask(__name__)
TOOLS = ("ping", "traceroute")


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    # Ünïcödé 🙂 before a finding
    out = subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True, text=True)  # expect: LY202
    return out.stdout


@app.route("/convert", methods=["POST"])
def convert():
    name = request.form["file"]
    os.system("convert " + name + " out.png")  # expect: LY202
    return "ok"


@app.route("/run")
def run_tool():
    tool = request.args["tool"]
    subprocess.run([tool, "--version"])  # expect: LY202
    return "ok"


@app.route("/archive")
def archive():
    folder = request.args["folder"]
    output = subprocess.check_output("tar czf /tmp/out.tgz " + folder, shell=True)  # expect: LY202
    return output


def main():
    target = sys.argv[1]
    subprocess.call(f"git clone {target} repo", shell=True)  # expect: LY202


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/ping")
def ping_list():
    host = request.args.get("host", "localhost")
    return subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True).stdout


@app.route("/safe/quoted")
def quoted():
    name = request.form["file"]
    os.system("convert " + shlex.quote(name) + " out.png")
    return "ok"


@app.route("/safe/tool")
def allowed_tool():
    tool = request.args["tool"]
    if tool not in TOOLS:
        abort(400)
    subprocess.run([tool, "localhost"])
    return "ok"


@app.route("/safe/count")
def count():
    n = int(request.args["n"])
    subprocess.run(f"seq {n}", shell=True)
    return "ok"


def constant_command():
    subprocess.run("ls -l /tmp", shell=True)
