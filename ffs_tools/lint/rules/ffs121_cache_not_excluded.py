r"""Python caches are not excluded at every depth.

## What it does
Probes the pair's effective filter with each cache folder name
(``__pycache__``, ``.pytest_cache``, ``.mypy_cache``, ``.ruff_cache``,
``.ipynb_checkpoints``) at the base folder and below it, and reports each
name whose content would sync.

A gap is an error for the names the project uses: the workflow's
``__pycache__`` (or the ``cache-names`` setting in ``[tool.ffs-tools.lint]``,
which replaces it) and the names the ``--policy`` excludes itself; the other
usual names are one note (info).

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

from ffs_tools.ffs.never_travels import CACHE_NAMES, WORKFLOW_CACHE_NAMES
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._tiers import required, tiered

CODE = "FFS121"
NAME = "cache-not-excluded"
SEVERITY = Severity.ERROR
PROFILES = DEV_GPU_ONLY


def check(ctx: Context) -> Iterator[Finding]:
    names = required(ctx, ctx.options.cache_names, WORKFLOW_CACHE_NAMES, CACHE_NAMES)
    yield from tiered(ctx, CODE, names, list(dict.fromkeys([*names, *CACHE_NAMES])), "cache")
