r"""A folder pair whose two sides are the same folder or nested in each other.

## What it does
Compares each pair's left and right path after normalising them the way the
file system sees them: ``\`` and ``/``, repeated and trailing separators,
``/./``, and letter case for Windows drive and UNC paths and remote hosts.
Reports a pair whose sides are equal or where one lies inside the other.

## Why is this bad?
Syncing a folder with itself or with its own sub-folder makes FreeFileSync
copy the target into itself on every run (``proj/backup/backup/backup...``),
and a mirror deletes what it just copied. FreeFileSync only warns about it
(``WarnDependentBaseFolders``), and an unattended batch with ``Ignore=true``
carries on.

## Example
```xml
<Left>C:\work\proj</Left>
<Right>c:/work/proj/backup</Right>
```

## Fix
Point the two sides at separate folders (the GPU machine's copy belongs on the
GPU machine, or at least outside the left folder).
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context
from ffs_tools.lint.rules._paths import comparable, nested_in

CODE = "FFS202"
NAME = "same-or-nested-folders"
SEVERITY = Severity.ERROR
PROFILES = BOTH


def check(ctx: Context) -> Iterator[Finding]:
    job = ctx.job
    if job is None:
        return
    hint = "point left and right at two separate folders"
    for i, pair in enumerate(job.pairs):
        if not pair.left.strip() or not pair.right.strip():
            continue
        left, right = comparable(pair.left), comparable(pair.right)
        if left == right:
            yield ctx.finding(CODE, SEVERITY, f"pair.{i}.right", "left and right are the same folder "
                              f"(`{pair.left.strip()}`)", hint, pairs=(i,))
        elif nested_in(right, left):
            yield ctx.finding(CODE, SEVERITY, f"pair.{i}.right", "the right folder lies inside the left folder", hint,
                              pairs=(i,))
        elif nested_in(left, right):
            yield ctx.finding(CODE, SEVERITY, f"pair.{i}.left", "the left folder lies inside the right folder", hint,
                              pairs=(i,))
