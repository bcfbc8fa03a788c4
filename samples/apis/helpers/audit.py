"""A project module that names its logger after itself, as most modules do: passing `__name__`
to a call adds no name to the module."""

import enum
import logging

log = logging.getLogger(__name__)
child = log.getChild("events")


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


def record(event):
    log.info("event %s", event)
    return event
