# sample-select: LY6
"""Secrets made with `random`, and the `random` uses that are fine."""
import random
import secrets
import string


def generate_token():
    # Ünïcödé 🙂
    return "".join(random.choices(string.ascii_letters + string.digits, k=32))  # expect: LY601


def reset_user(user):
    user.reset_code = random.randint(100000, 999999)  # expect: LY601
    session = {"csrf_token": str(random.getrandbits(64))}  # expect: LY601
    api_key = "%032x" % random.getrandbits(128)  # expect: LY601
    return session, api_key


def create_invite(store):
    store.save(invite_code=random.choice(["a", "b"]) * 8)  # expect: LY601


# --- safe look-alikes -------------------------------------------------------------------------


def generate_token_safely():
    return secrets.token_urlsafe(32)


def roll_dice():
    return random.randint(1, 6)


def backoff(attempt):
    delay = 2 ** attempt + random.random()
    return delay


def shuffle_deck(deck):
    random.shuffle(deck)
    return deck
