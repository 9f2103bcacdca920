"""An element or value FreeFileSync would reject or reset.

## What it does
Reports what FreeFileSync's own reader would complain about: a missing
mandatory element or attribute, an enum value in the wrong case (``mirror``
instead of ``Mirror``; directions are lower case, everything else is
capitalised), a boolean that is not ``true``/``false``, a number that is not a
number (FreeFileSync silently reads garbage as 0), or a format-23 layout in an
older file or the reverse.

## Why is this bad?
FreeFileSync resets such values to defaults. In batch mode it refuses to run
at all (exit code 4); in the GUI it warns and carries on with the defaults, so
a misspelt ``Mirror`` silently becomes ``TwoWay``.

## Example
```xml
<Synchronize>
    <Variant>mirror</Variant>
```

## Fix
Correct the value at the reported line (exact case), add the missing element,
or save the job again from the FreeFileSync version you run.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS003"
NAME = "rejected-element"
SEVERITY = Severity.ERROR
PROFILES = BOTH

_HINTS = {
    "missing": "add the element (FreeFileSync writes every one of them); batch mode refuses to run without it",
    "invalid": "use one of the exact, case-sensitive values FreeFileSync writes",
    "number": "write a plain decimal number: FreeFileSync reads anything else as 0 without a warning",
    "layout": "save the file again with the FreeFileSync version that runs it (format 17 for 12.x, 23 for 13+)",
}


def check(ctx: Context) -> Iterator[Finding]:
    for problem in ctx.problems:
        line, column = problem.line, problem.column
        if line is None:
            line, column = ctx.where(problem.key)
        yield Finding(CODE, SEVERITY, problem.message, ctx.path, line, column, _HINTS.get(problem.kind, ""))
