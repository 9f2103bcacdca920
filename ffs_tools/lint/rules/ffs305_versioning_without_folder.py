"""Versioning without a versioning folder.

## What it does
Reports ``<DeletionPolicy>Versioning</DeletionPolicy>`` (main or per pair)
whose ``<VersioningFolder>`` is empty.

## Why is this bad?
FreeFileSync stops with a fatal error at sync time ("Please enter a target
folder for versioning"): the job never syncs, and a batch run exits with an
error code every time.

## Example
```xml
<DeletionPolicy>Versioning</DeletionPolicy>
<VersioningFolder Style="Replace"/>
```

## Fix
Set a versioning folder outside the synced folders, or choose another
deletion policy.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.model import DeletionPolicy
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context
from ffs_tools.lint.rules._settings import sync_uses

CODE = "FFS305"
NAME = "versioning-without-folder"
SEVERITY = Severity.ERROR
PROFILES = BOTH


def check(ctx: Context) -> Iterator[Finding]:
    for use in sync_uses(ctx):
        if use.sync.deletion_policy is DeletionPolicy.VERSIONING and not use.sync.versioning.folder.strip():
            yield ctx.finding(CODE, SEVERITY, f"{use.key}.versioning",
                              "deletion policy Versioning without a versioning folder: the sync stops "
                              "with a fatal error", "set <VersioningFolder> to a folder outside the synced folders",
                              pairs=use.pairs)
