# sample-select: LY6
"""Debug switched on in application code (the settings-module case is in settings/LY603_production.py)."""
import os

from fastapi import FastAPI
from flask import Flask

app = Flask(__name__)
# Ünïcödé 🙂
app.debug = True  # expect: LY603
app.config["DEBUG"] = True  # expect: LY603
api = FastAPI(debug=True)  # expect: LY603

# --- safe look-alikes -------------------------------------------------------------------------

app.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"
quiet = FastAPI(debug=False)
DEBUG = True  # not a settings module: a plain constant
