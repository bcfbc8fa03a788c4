"""Taint values: where untrusted data came from and the steps it took.

A value's taint is a tuple of traces (empty: clean). A trace remembers its origin, the
assignments and calls it went through, and the sink kinds a sanitizer already cleared it for.
Traces seeded from a function's parameter (`param`) stand for "whatever the caller passes":
they build function summaries and are never reported themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from leery.core.findings import Span

MAX_TRACES = 3  # per value: enough to explain, small enough to stay fast
MAX_STEPS = 8  # per trace: the first few and the last few are what a reviewer reads

# Sink kinds. Local sources (command line, environment, console) count only where the data
# changes the meaning of a command; a CLI opening the file, running the program or importing
# the module it was given is doing its job. "program" (the program an argument list runs) and
# "import" (the module imported) are reported by the shell and code rules.
KINDS = (
    "sql", "shell", "program", "code", "import", "path", "ssrf", "deserialization", "redirect", "xss", "ssti",
    "crlf", "ldap", "xpath", "redos", "xml",
)
LOCAL_KINDS = frozenset({"sql", "shell", "code"})


@dataclass(frozen=True)
class Step:
    path: str
    span: Span
    message: str

    def to_dict(self) -> dict:
        return {"path": self.path, "span": self.span.to_dict(), "message": self.message}


@dataclass(frozen=True)
class Trace:
    origin: Step
    label: str  # the source as written: request.args['id']
    remote: bool  # request data, sockets: True; argv, environment, console: False
    steps: tuple[Step, ...] = ()
    cleared: frozenset[str] = frozenset()  # sink kinds a sanitizer made this safe for
    html: bool = False  # was pasted into a string that contains HTML markup
    param: str | None = None  # summary marker: the parameter this stands for

    def reaches(self, kind: str) -> bool:
        if kind in self.cleared:
            return False
        return self.remote or kind in LOCAL_KINDS or self.param is not None

    def step(self, step: Step) -> "Trace":
        if self.steps and self.steps[-1].span.start_line == step.span.start_line and self.steps[-1].path == step.path:
            return replace(self, steps=self.steps[:-1] + (step,))
        steps = self.steps + (step,)
        if len(steps) > MAX_STEPS:
            steps = steps[:3] + steps[-(MAX_STEPS - 3):]
        return replace(self, steps=steps)

    def clear(self, kinds: frozenset[str]) -> "Trace":
        return replace(self, cleared=self.cleared | kinds)


Taint = tuple  # tuple[Trace, ...]
CLEAN: Taint = ()


def union(*taints: Taint) -> Taint:
    """Every trace of the inputs, one per origin, at most MAX_TRACES (remote ones first)."""
    seen: dict[tuple, Trace] = {}
    for taint in taints:
        for trace in taint:
            key = (trace.origin.path, trace.origin.span, trace.param)
            old = seen.get(key)
            if old is None:
                seen[key] = trace
            elif old.cleared != trace.cleared or old.html != trace.html:
                # Clean only for what both paths cleared; HTML if either path made HTML.
                seen[key] = replace(old, cleared=old.cleared & trace.cleared, html=old.html or trace.html)
    if len(seen) <= MAX_TRACES:
        return tuple(seen.values())
    ordered = sorted(seen.values(), key=lambda t: (not t.remote, t.param is not None))
    return tuple(ordered[:MAX_TRACES])


def clear(taint: Taint, kinds: frozenset[str]) -> Taint:
    return tuple(t.clear(kinds) for t in taint)


def add_step(taint: Taint, step: Step) -> Taint:
    return tuple(t.step(step) for t in taint)


def mark_html(taint: Taint) -> Taint:
    return tuple(t if t.html else replace(t, html=True) for t in taint)


def first_reaching(taint: Taint, kind: str) -> Trace | None:
    for trace in taint:
        if trace.reaches(kind):
            return trace
    return None
