# sample-select: LY2
"""Untrusted bytes loaded with formats that build objects, and the data-only forms."""
import base64
import json
import pickle

import torch
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/session", methods=["POST"])
def restore_session():
    blob = base64.b64decode(request.cookies["session"])
    # Ünïcödé 🙂
    return str(pickle.loads(blob))  # expect: LY206


@app.route("/config", methods=["POST"])
def load_config():
    config = yaml.safe_load(request.data)  # expect: LY206
    return str(config)


@app.route("/model", methods=["POST"])
def load_model():
    upload = request.files["model"]
    model = torch.load(upload.stream, weights_only=True)  # expect: LY206
    return str(model)


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/config", methods=["POST"])
def load_config_safely():
    return str(yaml.safe_load(request.data))


@app.route("/safe/loader", methods=["POST"])
def load_with_safe_loader():
    return str(yaml.load(request.data, Loader=yaml.SafeLoader))


@app.route("/safe/json", methods=["POST"])
def load_json():
    return str(json.loads(request.data))


@app.route("/safe/model", methods=["POST"])
def load_weights():
    return str(torch.load(request.files["model"].stream, weights_only=True))


def load_cache():
    with open("cache.pkl", "rb") as handle:
        return pickle.load(handle)
