"""Recycle bin on an SFTP/FTP/MTP side, where it does not exist: deletions there are permanent.

## What it does
Reports a pair whose effective deletion policy is ``RecycleBin`` while a side
that the sync deletes or overwrites on is an SFTP, FTP or MTP path.

## Why is this bad?
These protocols have no recycle bin. FreeFileSync warns "Ignore and delete
permanently each time recycle bin is unavailable?" and, with errors ignored in
a batch job, deletes permanently: the setting promises a safety net that is
not there.

## Example
```xml
<DeletionPolicy>RecycleBin</DeletionPolicy>
...
<Right>sftp://gpu@gpu-box/home/gpu/proj|keyfile=~/.ssh/id_ed25519</Right>
```

## Fix
Use ``Versioning`` with a versioning folder on the same server
(``sftp://gpu@gpu-box/home/gpu/.ffs-versions``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.model import DeletionPolicy, Direction
from ffs_tools.ffs.phrases import kind_of
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context
from ffs_tools.lint.rules._scopes import syncs_something

CODE = "FFS304"
NAME = "recycle-bin-on-remote-side"
SEVERITY = Severity.WARNING
PROFILES = BOTH

def check(ctx: Context) -> Iterator[Finding]:
    job = ctx.job
    if job is None:
        return
    for i, pair in enumerate(job.pairs):
        sync = job.pair_sync(i)
        if sync.deletion_policy is not DeletionPolicy.RECYCLE_BIN or not syncs_something(job, pair):
            continue
        for side, phrase, direction in (("left", pair.left, Direction.LEFT), ("right", pair.right, Direction.RIGHT)):
            kind = kind_of(phrase)
            if not kind.has_recycle_bin and (sync.can_delete(direction) or sync.can_overwrite(direction)):
                yield ctx.finding(CODE, SEVERITY, f"pair.{i}.{side}",
                                  f"the {side} folder is on {kind.name}, which has no recycle bin: "
                                  "deletions and overwrites there are permanent",
                                  "use <DeletionPolicy>Versioning</DeletionPolicy> with a versioning folder on "
                                  "that server", pairs=(i,))
