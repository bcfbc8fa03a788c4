"""The taint engine: untrusted data followed from where it enters to where it does harm.

Pure analysis over the shared tree; `hits(source, resolver, texts)` gives every place where
data from a source reaches a sink unvalidated, with the path it took. The LY2xx rules report
them, one rule per sink kind.
"""

from leery.core.taint.engine import Analysis, Hit, analyze_source
from leery.core.taint.model import KINDS, Step, Trace

__all__ = ["Analysis", "Hit", "KINDS", "Step", "Trace", "analyze_source"]
