"""Comparison is not by time and size.

## What it does
Reports a main or per-pair ``<Compare>`` whose variant is ``Content`` or
``Size`` instead of ``TimeAndSize``.

## Why is this bad?
``Size`` treats two different files of equal size as equal: an edited config
or source file of the same length never syncs. ``Content`` reads every file
on both sides on every run (slow over SFTP, gigabytes of checkpoints), cannot
tell which side is newer, and with Update or a custom variant silently changes
which direction "different" files take.

## Example
```xml
<Compare>
    <Variant>Size</Variant>
```

## Fix
Use ``<Variant>TimeAndSize</Variant>``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.model import CompareVariant
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._settings import compare_uses

CODE = "FFS301"
NAME = "compare-not-time-and-size"
SEVERITY = Severity.WARNING
PROFILES = DEV_GPU_ONLY


def check(ctx: Context) -> Iterator[Finding]:
    for key, pairs, compare in compare_uses(ctx):
        if compare.variant is not CompareVariant.TIME_AND_SIZE:
            why = ("files of equal size are taken as equal: same-length edits never sync"
                   if compare.variant is CompareVariant.SIZE else "every file is read on both sides on every run, "
                   "and which side is newer is unknown")
            yield ctx.finding(CODE, SEVERITY, f"{key}.variant", f"comparison by {compare.variant.value}: {why}",
                              "use <Variant>TimeAndSize</Variant>", pairs=pairs)
