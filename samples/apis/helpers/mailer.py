"""Project helpers that the LY405 sample calls through relative imports."""

import dataclasses


def send(to, subject, retries=1):
    return [to, subject] * retries


def send_all(recipients, **options):
    return [send(to, **options) for to in recipients]


class Outbox:
    def __init__(self, folder, limit=100):
        self.folder = folder
        self.limit = limit

    @classmethod
    def opened(cls, folder, **options):
        return cls(folder, **options)


@dataclasses.dataclass
class Message:
    to: str
    body: str = ""
    sent: bool = dataclasses.field(default=False, init=False)
