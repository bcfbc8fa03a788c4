"""LY0xx: what leery says about the analysis itself and about suppression comments."""

from leery.core.findings import Severity
from leery.core.registry import meta_rule

SYNTAX_ERROR = meta_rule(
    "LY001",
    "syntax-error",
    "The file does not parse; rules that need a syntax tree were skipped.",
    """
    ## What it does
    Reports the first syntax error in a file. Every rule that needs a syntax tree is skipped for
    that file, so the absence of other findings means nothing until the error is fixed.

    ## Why it matters
    A tool that reports nothing on a broken file looks like a tool that found nothing. leery says
    that its analysis stopped, and where.

    ## What to check in review
    Fix the syntax error; findings return on the next analysis.

    ## Example
    ```python
    def load(path)
        return open(path).read()
    ```

    ## Use instead
    ```python
    def load(path):
        return open(path).read()
    ```

    ## Known limitations
    Only the first error is reported: Python's parser stops there. A file nested too deeply for
    the parser is reported here too.
    """,
    Severity.ERROR,
)

SUPPRESSION_WITHOUT_REASON = meta_rule(
    "LY002",
    "suppression-without-reason",
    "A `# leery: ignore[...]` comment gives no reason.",
    """
    ## What it does
    Flags a suppression comment that does not say why the finding is acceptable, including one
    whose reason is still a placeholder such as `<reason>` or `TODO`.

    ## Why it matters
    A suppression is a review decision. Without the reason, the next reader cannot tell a
    considered exception from a silenced warning, and nobody can re-check the decision when the
    code changes.

    ## What to check in review
    Write the reason after the codes: what makes this case safe, or who decided and why.

    ## Example
    ```python
    except Exception:  # leery: ignore[LY101]
        pass
    ```

    ## Use instead
    ```python
    except Exception:  # leery: ignore[LY101] -- best-effort cache warm-up; failure is logged upstream
        pass
    ```

    ## Known limitations
    leery cannot judge whether a reason is a good one, only that one is there.
    """,
    Severity.WARNING,
)

UNUSED_SUPPRESSION = meta_rule(
    "LY003",
    "unused-suppression",
    "A `# leery: ignore[...]` comment suppresses nothing.",
    """
    ## What it does
    Flags a suppression comment naming a rule that reports nothing on that line, and one naming
    no rule at all.

    ## Why it matters
    Stale suppressions hide future findings on the same line and make readers believe there is
    a risk to accept when there is none.

    ## What to check in review
    Remove the comment, or move it to the line the finding is reported on.

    ## Example
    ```python
    total = sum(values)  # leery: ignore[LY101] -- old exception handler
    ```

    ## Use instead
    ```python
    total = sum(values)
    ```

    ## Known limitations
    A suppression for a rule that is not enabled, or that names an unknown code, is reported
    only when the code names no rule at all; disabled rules cannot tell whether they would fire.
    """,
    Severity.INFO,
)

ANALYSIS_INCOMPLETE = meta_rule(
    "LY004",
    "analysis-incomplete",
    "Part of the analysis of this file failed or was skipped; findings may be missing.",
    """
    ## What it does
    Reports that a rule or an analyzer could not finish on this file: it raised an error, ran
    out of time, or the file is too complex. The other rules still ran.

    ## Why it matters
    Silence from a rule that did not run is not a clean result. leery says which part is missing
    so that nobody mistakes it for one.

    ## What to check in review
    Read the message: it names the rule and the error. Please report errors raised by rules,
    with the file if you can share it.

    ## Example
    ```python
    x = ((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))
    ```

    ## Use instead
    Simpler code, or a bug report for leery.

    ## Known limitations
    Only failures leery can observe are reported.
    """,
    Severity.INFO,
)

UNREADABLE_FILE = meta_rule(
    "LY005",
    "unreadable-file",
    "A file that was asked for could not be read as UTF-8 Python source.",
    """
    ## What it does
    Reports a file that leery was asked to check but could not read: binary content, an encoding
    other than UTF-8, or an operating-system error such as missing permissions.

    ## Why it matters
    A file that was skipped was not checked. Saying so keeps a clean result honest.

    ## What to check in review
    Whether the file should be Python source at all. Re-encode it as UTF-8, fix its
    permissions, or exclude it in `[tool.leery] exclude`.

    ## Example
    A `.py` file saved as UTF-16 by an editor, or a compiled file renamed to `.py`.

    ## Use instead
    UTF-8 source files, which is what PEP 3120 makes the default.

    ## Known limitations
    PEP 263 encoding declarations other than UTF-8 are not honoured.
    """,
    Severity.ERROR,
)
