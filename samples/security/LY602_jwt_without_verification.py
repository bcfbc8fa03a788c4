# sample-select: LY6
"""JWTs decoded without verification, and verified decoding."""
import os

import jwt

SECRET = os.environ["JWT_SECRET"]


def current_user(token):
    # Ünïcödé 🙂
    claims = jwt.decode(token, options={"verify_signature": False})  # expect: LY602
    return claims["sub"]


def any_algorithm(token):
    return jwt.decode(token, SECRET, algorithms=["HS256", "none"])  # expect: LY602


def unsigned(claims):
    return jwt.encode(claims, None, algorithm="none")  # expect: LY602


# --- safe look-alikes -------------------------------------------------------------------------


def verified_user(token):
    return jwt.decode(token, SECRET, algorithms=["HS256"])["sub"]


def expiry_optional(token):
    return jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": True})
