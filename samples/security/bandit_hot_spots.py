# sample-select: LY2, B103, B104, B201, B306, B324, B501, B506, B602, B605
"""bandit's checks through leery: hot spots without data flow, and no second finding on a line
that a taint rule (LY2xx) already explains."""
import hashlib
import os
import subprocess
import tempfile

import requests
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args["host"]
    # Ünïcödé 🙂
    subprocess.run(f"ping -c 1 {host}", shell=True)  # expect: LY202
    subprocess.run(f"ping -c 1 {os.cpu_count()}", shell=True)  # expect: B602
    return "ok"


def hot_spots(path):
    requests.get("https://internal.example.com", verify=False, timeout=5)  # expect: B501
    name = tempfile.mktemp()  # expect: B306
    os.chmod(path, 0o777)  # expect: B103
    digest = hashlib.md5(path.encode()).hexdigest()  # expect: B324
    config = yaml.load(open(path), Loader=yaml.Loader)  # expect: B506
    os.system("ls")  # nosec B605 -- a constant command in a maintenance script
    return name, digest, config


# --- safe look-alikes -------------------------------------------------------------------------


def fine(path):
    subprocess.run(["ls", "-l", path])
    checksum = hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()
    return yaml.safe_load(open(path)), checksum


if __name__ == "__main__":
    app.run(debug=True, host="0.0.0.0")  # expect: B201, B104
