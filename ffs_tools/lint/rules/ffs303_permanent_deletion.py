"""Deletions are permanent (an error together with mirror).

## What it does
Reports ``<DeletionPolicy>Permanent</DeletionPolicy>`` in the main or a
pair's sync settings; an error when the same settings mirror (Mirror deletes
every file that is missing on the source side).

## Why is this bad?
Deleted and overwritten files are gone without a copy: one wrong path, a
missing exclusion or a mistake on the source side and the other side's files
cannot be recovered.

## Example
```xml
<DeletionPolicy>Permanent</DeletionPolicy>
```

## Fix
Use ``Versioning`` with a ``VersioningFolder`` outside the synced folders (or
``RecycleBin`` on local disks).
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.model import DeletionPolicy, SyncVariant
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context
from ffs_tools.lint.rules._settings import sync_uses

CODE = "FFS303"
NAME = "permanent-deletion"
SEVERITY = Severity.WARNING
PROFILES = BOTH


def check(ctx: Context) -> Iterator[Finding]:
    for use in sync_uses(ctx):
        if use.sync.deletion_policy is not DeletionPolicy.PERMANENT:
            continue
        mirror = use.sync.variant is SyncVariant.MIRROR
        severity = Severity.ERROR if mirror else SEVERITY
        what = "mirror with permanent deletion" if mirror else "deletions are permanent"
        yield ctx.finding(CODE, severity, f"{use.key}.deletion_policy",
                          f"{what}: deleted and overwritten files cannot be recovered",
                          "use <DeletionPolicy>Versioning</DeletionPolicy> with a versioning folder outside the "
                          "synced folders", pairs=use.pairs)
