# sample-select: LY2
"""Template text built from input (SSTI), and templates that take input as variables."""
from flask import Flask, render_template_string, request
from jinja2 import Environment, Template

app = Flask(__name__)
env = Environment(autoescape=True)


@app.route("/greet")
def greet():
    name = request.args.get("name", "guest")
    # Ünïcödé 🙂
    return render_template_string(f"<p>Hello {name}</p>")  # expect: LY209


@app.route("/preview", methods=["POST"])
def preview():
    return Template(request.form["template"]).render()  # expect: LY209


@app.route("/email", methods=["POST"])
def email():
    body = request.get_json()["body"]
    return env.from_string(body).render(user="x")  # expect: LY209


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/greet")
def greet_variable():
    return render_template_string("<p>Hello {{ name }}</p>", name=request.args.get("name", "guest"))


@app.route("/safe/fixed")
def fixed():
    return Template("<p>{{ n }}</p>").render(n=request.args["n"])
