# sample-select: LY2
"""Input evaluated as code, and the parsing that should have been used."""
import ast
import importlib
import json

from flask import Flask, request

app = Flask(__name__)
PLUGINS = {"csv": "plugins.csv", "xml": "plugins.xml"}


@app.route("/calc")
def calc():
    expr = request.args["expr"]
    # Ünïcödé 🙂
    return str(eval(expr))  # expect: LY203


@app.route("/plugin")
def plugin():
    name = request.args["name"]
    module = importlib.import_module(f"plugins.{name}")  # expect: LY203
    return module.run()


@app.route("/script", methods=["POST"])
def script():
    code = request.get_json()["code"]
    exec(compile(code, "<input>", "exec"))  # expect: LY203
    return "ok"


def repl():
    line = input("> ")
    print(eval(line))  # expect: LY203


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/literal")
def literal():
    return str(ast.literal_eval(request.args["value"]))


@app.route("/safe/json")
def parsed():
    return str(json.loads(request.args["value"]))


@app.route("/safe/plugin")
def known_plugin():
    name = request.args["name"]
    if name not in PLUGINS:
        return "unknown", 404
    return importlib.import_module(PLUGINS[name]).run()


def constant_eval():
    return eval("1 + 2")
