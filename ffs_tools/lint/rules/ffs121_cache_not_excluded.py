r"""Python caches are not excluded at every depth.

## What it does
Probes the pair's effective filter with each cache folder name
(``__pycache__``, ``.pytest_cache``, ``.mypy_cache``, ``.ruff_cache``,
``.ipynb_checkpoints``) at the base folder and below it, and reports each
name whose content would sync.

## Why is this bad?
Caches are rebuilt on each machine. Syncing them wastes time and bandwidth
on every run, produces endless two-way conflicts (both sides rewrite them),
and bytecode compiled for one interpreter is stale on the other.

## Example
```xml
<Item>__pycache__\</Item>
```
(base folder only)

## Fix
Add ``*/__pycache__/`` and the other missing names as folder items at every
depth (``ffs-tools lint --fix`` adds the missing ones).
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.never_travels import CACHE_NAMES
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._probe import gap_results, grouped

CODE = "FFS121"
NAME = "cache-not-excluded"
SEVERITY = Severity.WARNING
PROFILES = DEV_GPU_ONLY


def check(ctx: Context) -> Iterator[Finding]:
    items = ", ".join(f"`*/{n}/`" for n in CACHE_NAMES)
    yield from grouped(ctx, CODE, SEVERITY, gap_results(ctx, CACHE_NAMES, "cache"),
                       f"add folder items at every depth for the missing names ({items})")
