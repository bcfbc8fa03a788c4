# sample-select: LY6
"""Secrets written into code, and the literals that only look like them."""
import os

from flask import Flask

app = Flask(__name__)
# Ünïcödé 🙂
app.secret_key = "supersecretkey123"  # expect: LY604
DB_PASSWORD = "hunter2hunter2"  # expect: LY604
AWS_KEY_FOR_UPLOADS = "AKIAIOSFODNN7EXAMPLE"  # expect: LY604
settings = {"api_key": "9f8e7d6c5b4a39281706"}  # expect: LY604


def connect(driver):
    return driver.connect(host="db", user="app", password="s3cr3t-pa55")  # expect: LY604


# --- safe look-alikes -------------------------------------------------------------------------

SECRET_KEY = os.environ["SECRET_KEY"]
PASSWORD_FIELD = "password"
token_type = "bearer"
API_KEY = "API_KEY"
password = ""
DB_TOKEN = "${DB_TOKEN}"
auth_token = "{{ token }}"


def check(user_password):
    return user_password == "["
