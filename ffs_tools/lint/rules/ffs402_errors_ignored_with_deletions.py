"""Errors are ignored while deletions are possible: FreeFileSync's safety warnings are silenced.

## What it does
Reports ``<Errors Ignore="true">`` in a job whose directions can delete files
on either side (Mirror, Two way, custom directions with deletions).

## Why is this bad?
With ``Ignore="true"`` every warning is only logged. The two warnings that
protect data are among them: "The following folders are significantly
different" (measured: all 15 of 20 files deleted, exit code 1) and "The
recycle bin is not available" (files deleted permanently). A wrong folder or
an emptied source then wipes the other side unattended.

## Example
```xml
<Errors Ignore="true" Retry="0" Delay="5"/>
```

## Fix
``Ignore="false"`` with ``<ErrorDialog>Cancel</ErrorDialog>`` and
``AutoClose="true"``: the job stops before changing anything on those
warnings and never waits for a click (``ffs-tools lint --fix``). To let the
job sync around conflicts, run it with a dedicated GlobalSettings.xml that
sets ``<WarnUnresolvedConflicts Show="false"/>``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.model import UNATTENDED, UNATTENDED_ERRORS, ConfigKind, Direction, SyncJob
from ffs_tools.findings import Edit, Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context
from ffs_tools.lint.rules._settings import sync_uses

CODE = "FFS402"
NAME = "errors-ignored-with-deletions"
SEVERITY = Severity.ERROR
PROFILES = BOTH


def check(ctx: Context) -> Iterator[Finding]:
    job = ctx.job
    if job is None or not job.errors.ignore:
        return
    deleting = [u for u in sync_uses(ctx) if u.sync.can_delete(Direction.LEFT) or u.sync.can_delete(Direction.RIGHT)]
    if deleting:
        yield ctx.finding(CODE, SEVERITY, "errors", f'Errors Ignore="true" while the {deleting[0].sync.variant.value} '
                          "sync can delete files: the significant-difference and recycle-bin warnings are only "
                          "logged", 'set Ignore="false" with <ErrorDialog>Cancel</ErrorDialog> and AutoClose="true" '
                          "(ffs-tools lint --fix)", _fix(job))


def _fix(job: SyncJob) -> tuple[Edit, ...]:
    """Errors Ignore=false and, in a batch job, the unattended dialog settings it still lacks."""
    edits = [Edit("set", "errors.ignore", str(UNATTENDED_ERRORS.ignore).lower())]
    if job.kind is ConfigKind.BATCH and job.batch is not None:
        if not job.batch.auto_close:
            edits.append(Edit("set", "batch.auto_close", str(UNATTENDED.auto_close).lower()))
        if job.batch.error_dialog is not UNATTENDED.error_dialog:
            edits.append(Edit("set", "batch.error_dialog", UNATTENDED.error_dialog.value))
    return tuple(edits)
