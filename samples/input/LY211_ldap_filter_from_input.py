# sample-select: LY2
"""LDAP filters built from input, and the escaped form."""
import ldap
from flask import Flask, request
from ldap3 import Connection
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)
BASE = "dc=example,dc=com"


@app.route("/user")
def user():
    name = request.args["name"]
    conn = ldap.initialize("ldap://localhost")
    # Ünïcödé 🙂
    return str(conn.search_s(BASE, ldap.SCOPE_SUBTREE, f"(uid={name})"))  # expect: LY211


@app.route("/group")
def group():
    conn = Connection("ldap://localhost")
    conn.search(BASE, "(cn=" + request.args["group"] + ")")  # expect: LY211
    return str(conn.entries)


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/group")
def group_escaped():
    conn = Connection("ldap://localhost")
    conn.search(BASE, "(cn=" + escape_filter_chars(request.args["group"]) + ")")
    return str(conn.entries)
