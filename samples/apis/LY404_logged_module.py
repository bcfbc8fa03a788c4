# sample-select: LY4, F
# A module that names its logger after itself (`logging.getLogger(__name__)`) still has a known
# set of names: an invented function of it is reported like one of any other module.
from helpers import audit
from helpers.audit import record_all  # expect: LY404
from helpers.audit import record


def log_event(event):
    audit.record_event(event)  # expect: LY404
    return record(event), record_all, audit.Level.HIGH, audit.child


# Safe look-alike: a module that makes its names at import time (`_convert_(..., __name__)`)
from helpers import signals  # noqa: E402


def interrupt():
    return signals.SIGINT_BUT_MADE_AT_IMPORT_TIME
