# sample-select: LY4, F
# Callees of the project itself, imported relatively: an invented keyword is as wrong here as in
# a library call, and more common in generated code (it guesses the project's helpers).
from . import mailer
from .mailer import Message, Outbox, send, send_all


def notify(user):
    send(user, "hello", retry=2)  # expect: LY405
    send_all([user], subject="hi", retires=3)  # expect: LY405
    Outbox.opened("out", limt=5)  # expect: LY405
    mailer.Outbox("out", size=5)  # expect: LY405
    return Message(user, body="x", sent=True)  # expect: LY405


# Safe look-alikes
def notify_safely(user, options):
    send(user, "hello", retries=2)
    send_all([user], subject="hi", retries=3)
    Outbox.opened("out", limit=5)
    mailer.send(to=user, subject="x")
    send(user, **options)  # a mapping may hold anything
    return Message(user, body="x")
