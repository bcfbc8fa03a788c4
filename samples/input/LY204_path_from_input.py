# sample-select: LY2
"""File paths chosen by the client, and the ways to keep them inside a folder."""
import os
import shutil
import sys
from pathlib import Path

from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOADS = "/srv/uploads"


@app.route("/download")
def download():
    name = request.args["name"]
    # Ünïcödé 🙂
    return send_file(os.path.join(UPLOADS, name))  # expect: LY204


@app.route("/read/<path:filename>")
def read(filename):
    with open(f"{UPLOADS}/{filename}") as handle:  # expect: LY204
        return handle.read()


@app.route("/upload", methods=["POST"])
def upload():
    file = request.files["file"]
    file.save(os.path.join(UPLOADS, file.filename))  # expect: LY204
    return "saved"


@app.route("/delete", methods=["POST"])
def delete():
    target = Path(UPLOADS) / request.form["name"]
    target.unlink()  # expect: LY204
    shutil.rmtree(request.form["dir"])  # expect: LY204
    return "deleted"


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/download")
def download_from_directory():
    return send_from_directory(UPLOADS, request.args["name"])


@app.route("/safe/upload", methods=["POST"])
def upload_secure():
    file = request.files["file"]
    file.save(os.path.join(UPLOADS, secure_filename(file.filename)))
    return "saved"


@app.route("/safe/read")
def read_contained():
    path = os.path.realpath(os.path.join(UPLOADS, request.args["name"]))
    if not path.startswith(UPLOADS + os.sep):
        abort(403)
    with open(path) as handle:
        return handle.read()


@app.route("/safe/basename")
def read_basename():
    name = os.path.basename(request.args["name"])
    return Path(UPLOADS, name).read_text()


def cli():
    # A command-line tool opening the file it was given is doing its job.
    with open(sys.argv[1]) as handle:
        return handle.read()
