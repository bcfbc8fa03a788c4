# sample-select: LY2
"""HTML assembled from request data and returned, and the escaped forms."""
import html

from flask import Flask, make_response, render_template, request
from markupsafe import Markup, escape

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "world")
    # Ünïcödé 🙂
    return f"<h1>Hello {name}!</h1>"  # expect: LY208


@app.route("/search")
def search():
    query = request.args["q"]
    body = "<p>No results for " + query + "</p>"
    return make_response(body, 404)  # expect: LY208


@app.route("/banner")
def banner():
    return render_template("page.html", banner=Markup(request.args["banner"]))  # expect: LY208


@app.route("/items")
def items():
    rows = "".join(f"<li>{item}</li>" for item in request.args.getlist("item"))
    html_page = "<ul>" + rows + "</ul>"
    return html_page, 200  # expect: LY208


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/hello")
def hello_escaped():
    name = request.args.get("name", "world")
    return f"<h1>Hello {escape(name)}!</h1>"


@app.route("/safe/html")
def hello_html_escape():
    return "<p>" + html.escape(request.args["q"]) + "</p>"


@app.route("/safe/template")
def hello_template():
    return render_template("hello.html", name=request.args["name"])


@app.route("/safe/text")
def plain_text():
    return request.args.get("q", "")


@app.route("/safe/count")
def count():
    n = len(request.args.getlist("item"))
    return f"<p>{n} items</p>"
