# sample-select: LY2
"""Client XML parsed by lxml with entity resolution, and the hardened parsers."""
import defusedxml.ElementTree as SafeET
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


@app.route("/import", methods=["POST"])
def import_xml():
    # Ünïcödé 🙂
    doc = etree.fromstring(request.data)  # expect: LY214
    return doc.tag


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/import", methods=["POST"])
def import_hardened():
    return etree.fromstring(request.data, parser=PARSER).tag


@app.route("/safe/defused", methods=["POST"])
def import_defused():
    return SafeET.fromstring(request.data).tag
