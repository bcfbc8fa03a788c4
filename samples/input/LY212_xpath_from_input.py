# sample-select: LY2
"""XPath expressions built from input, and XPath variables."""
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("users.xml")


@app.route("/user")
def user():
    name = request.args["name"]
    # Ünïcödé 🙂
    return str(TREE.xpath(f"//user[@name='{name}']"))  # expect: LY212


@app.route("/find")
def find():
    finder = etree.XPath("//item[@id='" + request.args["id"] + "']")  # expect: LY212
    return str(finder(TREE))


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/user")
def user_variable():
    return str(TREE.xpath("//user[@name=$name]", name=request.args["name"]))
