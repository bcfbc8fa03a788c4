"""LY1xx: unchecked errors. One module per few rules; importing this package registers them all."""

from leery.rules.errors import asserts, handlers, http, none_results, processes, tasks  # noqa: F401
