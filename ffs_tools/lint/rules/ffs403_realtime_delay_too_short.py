"""RealTimeSync starts the sync before writes have settled (Delay under 2 seconds).

## What it does
Reports a ``.ffs_real`` configuration whose ``<Delay>`` is below 2 seconds.

## Why is this bad?
RealTimeSync runs the command once no change has happened for ``Delay``
seconds. With 0 or 1 the sync starts while an editor, a training run or a
``git checkout`` is still writing: half-written files travel, the sync's own
writes on a watched side trigger the next run, and the job runs over and
over. FreeFileSync's default is 10 seconds.

## Example
```xml
<Delay>0</Delay>
```

## Fix
Use ``<Delay>10</Delay>`` (or at least a few seconds).
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS403"
NAME = "realtime-delay-too-short"
SEVERITY = Severity.WARNING
PROFILES = BOTH
MIN_DELAY = 2


def check(ctx: Context) -> Iterator[Finding]:
    real = ctx.real
    if real is not None and real.delay < MIN_DELAY:
        yield ctx.finding(CODE, SEVERITY, "real.delay", f"Delay {real.delay}: the sync starts while files are still "
                          "being written, and its own writes can trigger the next run", "use <Delay>10</Delay>")
