"""The include list is empty: nothing is synced.

## What it does
Reports a global or pair ``<Include/>`` without any item (or with only blank
items).

## Why is this bad?
An empty include list means "include nothing", not "include everything":
FreeFileSync compares two empty views, syncs nothing and exits with code 0,
so the job looks successful while it does nothing at all.

## Example
```xml
<Include/>
```

## Fix
Put ``<Item>*</Item>`` in the list (FreeFileSync's default), or the folders
you mean to sync.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.filtering.engine import split_items
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS142"
NAME = "empty-include-list"
SEVERITY = Severity.ERROR
PROFILES = BOTH


def check(ctx: Context) -> Iterator[Finding]:
    job = ctx.job
    if job is None:
        return
    lists = [("filter", None, job.filter)] + [(f"pair.{i}.filter", i, p.filter)
                                               for i, p in enumerate(job.pairs) if p.filter is not None]
    for key, pair, cfg in lists:
        if cfg is not None and not split_items(cfg.include):
            yield ctx.finding(CODE, SEVERITY, f"{key}.include", "the include list is empty: nothing is synced, and "
                              "the job still reports success", "add `<Item>*</Item>` to the include list",
                              pairs=(pair,))
