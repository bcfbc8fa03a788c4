"""leery: marks suspiciously plausible Python."""

__version__ = "0.1.0"
