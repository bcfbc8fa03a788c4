"""LY502 elision-comment: a comment that stands where code was left out."""

from __future__ import annotations

import ast
import re

from leery.core.findings import Confidence, Severity, Span
from leery.core.registry import rule

# Phrases assistants write in place of code they did not reproduce. Each pattern is matched
# against the comment text without its leading '#'.
_PATTERNS = [
    r"^\.{3}\s*(existing|previous|other|remaining|rest of|same|unchanged|original|more)\b.*",
    r"^(\.{3}\s*)?(the\s+)?rest of (the\s+)?(code|implementation|function|method|class|file|logic|module|methods|functions)\b",
    r"^(\.{3}\s*)?(existing|previous|remaining|other|original) (code|implementation|logic|methods|functions|imports|tests|fields)\b.*(unchanged|here|as before|remains?|same|\.{3})",
    r"^(\.{3}\s*)?(keep|same as) (the )?(existing|before|previous|above|original)( (code|implementation|logic|methods|functions))?\s*(\.{3})?$",
    r"^(add|put|insert|write|implement)?\s*(your|the)\s+(own\s+)?(code|logic|implementation)\s+(goes\s+)?here\b",
    r"^(your|the) (code|logic|implementation) (goes )?here\b",
    r"^implementation (goes )?here\b",
    r"^(implement|add) (the )?(actual |real |remaining |business )?(logic|implementation|code) here\b",
    r"^todo:?\s*(implement|add implementation|write implementation|fill in|complete)( (this|me|it|the (function|method|logic|implementation)))?\s*\.?$",
    r"^(code|implementation|details?|logic) omitted\b",
    r"^omitted for brevity\b",
    r"\b(unchanged|omitted) for brevity\b",
    r"^(\.{3}|…)\s*(#.*)?$",
]
_ELISION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.I)


def is_elision(comment_text: str) -> bool:
    body = comment_text.lstrip("#").strip()
    if not body.startswith(("...", "…")):
        body = body.split("#", 1)[0].strip()  # `# TODO: implement  # noqa`: judge the first comment
    return bool(body) and bool(_ELISION.search(body))


@rule(
    "LY502",
    "elision-comment",
    summary="A comment that stands for code that is not there (`# ... existing code ...`, `# your code here`).",
    nodes=(ast.Module,),
    severity=Severity.WARNING,
    confidence=Confidence.MEDIUM,
)
def elision_comment(node, ctx) -> None:
    """
    ## What it does
    Flags comments that stand where code was left out: `# ... existing code ...`,
    `# rest of the implementation`, `# your code here`, `# TODO: implement`,
    `# code omitted for brevity`, and a comment that is only `...`.

    ## Why it matters
    Assistants abbreviate the parts of a file they did not rewrite. Pasted back as is, the
    comment replaces real code: a branch, the other methods of a class, the validation that was
    there before. The file still parses, so nothing else notices.

    ## What to check in review
    Compare with the previous version of the file and restore the code the comment stands for,
    or write it. Then delete the comment.

    ## Example
    ```python
    class Cart:
        def add(self, item):
            self.items.append(item)

        # ... rest of the methods unchanged ...
    ```

    ## Use instead
    The methods themselves.

    ## Known limitations
    Matches a fixed list of phrasings, in English. A bare `# ...` is reported too; in docs
    examples it is harmless (suppress with a reason). Comments inside strings are not comments.
    """
    for comment in ctx.source.comments:
        if is_elision(comment.text):
            span = Span(comment.line, comment.col, comment.line, comment.col + len(comment.text))
            ctx.report(span, f"`{comment.text.strip()}` stands for code that is not here")
