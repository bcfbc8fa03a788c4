# sample-select: LY2
"""SQL built from request data, the way generated Flask handlers write it, and the safe forms."""
import sqlite3

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
ALLOWED_SORT = {"name", "created"}


def get_db():
    return sqlite3.connect("app.db")


@app.route("/users")
def search_users():
    # Ünïcödé comment before a finding: columns are code points 🙂
    name = request.args.get("name", "")
    cursor = get_db().cursor()
    query = f"SELECT id, name FROM users WHERE name = '{name}'"
    cursor.execute(query)  # expect: LY201
    return jsonify(cursor.fetchall())


@app.route("/users/<user_id>")
def get_user(user_id):
    cursor = get_db().cursor()
    cursor.execute("SELECT * FROM users WHERE id = " + user_id)  # expect: LY201
    return jsonify(cursor.fetchone())


@app.route("/orders")
def orders():
    status = request.form["status"]
    cursor = get_db().cursor()
    cursor.execute("SELECT * FROM orders WHERE status = '%s'" % status)  # expect: LY201
    return jsonify(cursor.fetchall())


@app.route("/find")
def find():
    term = request.args["q"]
    cursor = get_db().cursor()
    cursor.execute(f"SELECT * FROM items WHERE title LIKE '%{term}%'")  # expect: LY201
    return jsonify(cursor.fetchall())


def count_rows(table):
    cursor = get_db().cursor()
    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # expect: LY201
    return cursor.fetchone()[0]


@app.route("/count")
def count():
    return jsonify(count_rows(request.args["table"]))


# --- safe look-alikes -------------------------------------------------------------------------


@app.route("/safe/users")
def search_users_safely():
    name = request.args.get("name", "")
    cursor = get_db().cursor()
    cursor.execute("SELECT id, name FROM users WHERE name = ?", (name,))
    return jsonify(cursor.fetchall())


@app.route("/safe/users/<int:user_id>")
def get_user_by_int(user_id):
    cursor = get_db().cursor()
    cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")
    return jsonify(cursor.fetchone())


@app.route("/safe/page")
def page():
    page = int(request.args.get("page", 1))
    limit = request.args.get("limit", 20, type=int)
    cursor = get_db().cursor()
    cursor.execute(f"SELECT * FROM items LIMIT {limit} OFFSET {page * limit}")
    return jsonify(cursor.fetchall())


@app.route("/safe/sorted")
def sorted_users():
    sort = request.args.get("sort", "name")
    if sort not in ALLOWED_SORT:
        abort(400)
    cursor = get_db().cursor()
    cursor.execute(f"SELECT * FROM users ORDER BY {sort}")
    return jsonify(cursor.fetchall())


@app.route("/safe/constant")
def constant_query():
    cursor = get_db().cursor()
    table = "users"
    cursor.execute(f"SELECT COUNT(*) FROM {table}")
    return jsonify(cursor.fetchone())


def count_fixed():
    return count_rows("users")
