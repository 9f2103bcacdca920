"""The batch job can wait for a click on an unattended machine.

## What it does
Reports a ``.ffs_batch`` job that is not unattended-safe: measured with
FreeFileSync 12.0 and 14.10, a job never hung only with
``ProgressDialog AutoClose="true"`` together with ``ErrorDialog=Cancel`` or
``Errors Ignore="true"``. ``AutoClose="false"`` waits at the end of every run
(even a clean one); ``ErrorDialog=Show`` with ``Ignore="false"`` waits at the
first warning (conflict, missing folder, significant difference).

## Why is this bad?
On a machine nobody watches (a cron job, a scheduled task, the GPU box) the
run never ends: no exit code, no further syncs, a lock file left behind.

## Example
```xml
<ProgressDialog Minimized="true" AutoClose="false"/>
<ErrorDialog>Show</ErrorDialog>
```

## Fix
``AutoClose="true"`` and ``<ErrorDialog>Cancel</ErrorDialog>`` with
``Ignore="false"``: it never waits and it stops, changing nothing, on the
data-loss warnings. ``ffs-tools lint --fix`` writes exactly that.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.model import UNATTENDED, ConfigKind, ErrorDialog
from ffs_tools.findings import Edit, Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS401"
NAME = "batch-waits-for-click"
SEVERITY = Severity.WARNING
PROFILES = BOTH
HINT = 'set AutoClose="true" and <ErrorDialog>Cancel</ErrorDialog> (ffs-tools lint --fix)'
#: the fixes: the unattended settings
AUTO_CLOSE = Edit("set", "batch.auto_close", str(UNATTENDED.auto_close).lower())
CANCEL = Edit("set", "batch.error_dialog", UNATTENDED.error_dialog.value)


def check(ctx: Context) -> Iterator[Finding]:
    job = ctx.job
    if job is None or job.kind is not ConfigKind.BATCH or job.batch is None:
        return
    if not job.batch.auto_close:
        yield ctx.finding(CODE, SEVERITY, "batch.progress_dialog", 'AutoClose="false": the results window waits '
                          "for a click after every run", HINT, (AUTO_CLOSE,))
    if job.batch.error_dialog is ErrorDialog.SHOW and not job.errors.ignore:
        yield ctx.finding(CODE, SEVERITY, "batch.error_dialog", 'ErrorDialog=Show with Errors Ignore="false": the '
                          "first warning (conflict, missing folder) opens a dialog and waits", HINT, (CANCEL,))
