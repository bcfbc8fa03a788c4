"""The values every analysis produces: findings, their spans, fixes and related locations.

Lines and columns are 0-based; columns count code points (see DESIGN.md, Positions).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    HINT = "hint"


class Confidence(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Applicability(str, enum.Enum):
    SAFE = "safe"  # keeps behaviour: --fix and fix-all apply it
    UNSAFE = "unsafe"  # changes behaviour: a human decides
    DISPLAY_ONLY = "display-only"  # guidance, no edit


@dataclass(frozen=True, order=True)
class Span:
    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def contains(self, other: "Span") -> bool:
        return (self.start_line, self.start_col) <= (other.start_line, other.start_col) and (
            other.end_line,
            other.end_col,
        ) <= (self.end_line, self.end_col)

    def overlaps(self, other: "Span") -> bool:
        return (self.start_line, self.start_col) < (other.end_line, other.end_col) and (
            other.start_line,
            other.start_col,
        ) < (self.end_line, self.end_col)

    def to_dict(self) -> dict[str, int]:
        return {
            "start_line": self.start_line,
            "start_col": self.start_col,
            "end_line": self.end_line,
            "end_col": self.end_col,
        }

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> "Span":
        return cls(data["start_line"], data["start_col"], data["end_line"], data["end_col"])


@dataclass(frozen=True)
class Edit:
    span: Span
    new_text: str

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_dict(), "new_text": self.new_text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Edit":
        return cls(Span.from_dict(data["span"]), data["new_text"])


@dataclass(frozen=True)
class Fix:
    title: str
    applicability: Applicability
    edits: tuple[Edit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "applicability": self.applicability.value,
            "edits": [e.to_dict() for e in self.edits],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fix":
        return cls(
            data["title"],
            Applicability(data["applicability"]),
            tuple(Edit.from_dict(e) for e in data.get("edits", [])),
        )


@dataclass(frozen=True)
class Related:
    """Another location that explains a finding: a taint source, a step, the other copy."""

    path: str
    span: Span
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "span": self.span.to_dict(), "message": self.message}


@dataclass
class Finding:
    code: str
    name: str
    path: str
    span: Span
    message: str
    severity: Severity
    confidence: Confidence
    fix: Fix | None = None
    related: list[Related] = field(default_factory=list)
    tags: tuple[str, ...] = ()  # "unnecessary" / "deprecated": how editors fade or strike code
    extra: dict[str, Any] = field(default_factory=dict)  # rule-specific data (fingerprints, flows)

    @property
    def line(self) -> int:
        return self.span.start_line

    def sort_key(self) -> tuple:
        return (self.path, self.span.start_line, self.span.start_col, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "path": self.path,
            "span": self.span.to_dict(),
            "message": self.message,
            "severity": self.severity.value,
            "confidence": self.confidence.value,
            "fix": self.fix.to_dict() if self.fix else None,
            "related": [r.to_dict() for r in self.related],
            "tags": list(self.tags),
            "extra": self.extra,
        }
