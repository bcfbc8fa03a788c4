# sample-select: LY6
"""A Django settings module (its folder is named settings) that ships with DEBUG on."""
import os

# Ünïcödé 🙂
DEBUG = True  # expect: LY603
ALLOWED_HOSTS = ["example.com"]
TEMPLATE_DEBUG = os.environ.get("TEMPLATE_DEBUG") == "1"


def configure():
    DEBUG = True  # a local variable, not the setting
    return DEBUG
