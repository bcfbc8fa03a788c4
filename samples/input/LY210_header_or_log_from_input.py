# sample-select: LY2
"""Request data in response headers and log lines, and the forms that keep lines whole."""
import logging

from flask import Flask, make_response, request

app = Flask(__name__)
logger = logging.getLogger(__name__)


@app.route("/login", methods=["POST"])
def login():
    user = request.form["user"]
    # Ünïcödé 🙂
    logger.warning(f"login failed for {user}")  # expect: LY210
    return "no", 401


@app.route("/download")
def download():
    response = make_response("data")
    response.headers["Content-Disposition"] = "attachment; filename=" + request.args["name"]  # expect: LY210
    return response


@app.route("/track")
def track():
    logging.info("visit from %s", request.headers.get("User-Agent"))  # expect: LY210
    return "ok"


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/login", methods=["POST"])
def login_repr():
    logger.warning("login failed for %r", request.form["user"])
    logger.warning(f"login failed for {request.form['user']!r}")
    return "no", 401


@app.route("/safe/stripped")
def stripped():
    name = request.args["name"].replace("\n", "").replace("\r", "")
    logger.info("download " + name)
    return "ok"


@app.route("/safe/count")
def count():
    n = int(request.args["n"])
    logger.info("asked for %d rows", n)
    return "ok"
