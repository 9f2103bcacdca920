"""An empty folder path.

## What it does
Reports a folder pair with an empty left or right path (one finding, also when
both are empty), a sync config without any folder pair (at the element that
would hold the pairs: ``<MainConfig>`` in the legacy layout), and a RealTimeSync config without folders to watch or
without a command.

## Why is this bad?
FreeFileSync stops at "A folder input field is empty": an unattended batch
is cancelled (exit code 3), or with errors ignored it carries on with the pair
skipped. RealTimeSync shows an error and watches nothing.

## Example
```xml
<Pair>
    <Left>/home/me/proj</Left>
    <Right/>
</Pair>
```

## Fix
Fill in the path, or remove the pair.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS203"
NAME = "empty-folder-path"
SEVERITY = Severity.ERROR
PROFILES = BOTH


def check(ctx: Context) -> Iterator[Finding]:
    real = ctx.real
    if real is not None:
        if not any(d.strip() for d in real.directories):
            yield ctx.finding(CODE, SEVERITY, "real.directories", "no folder to watch: RealTimeSync shows an error "
                              "and monitors nothing", "add the folders to watch under <Directories>")
        if not real.command_line.strip():
            yield ctx.finding(CODE, SEVERITY, "real.command_line", "the command line is empty: RealTimeSync has "
                              "nothing to run", "set <Commandline> (e.g. FreeFileSync \"job.ffs_batch\")")
        return
    job = ctx.job
    if job is None:
        return
    if not job.pairs:
        yield ctx.finding(CODE, SEVERITY, "pairs", "no folder pair: FreeFileSync runs one empty pair and stops at "
                          "'A folder input field is empty'", "add a <Pair> with <Left> and <Right>")
    for i, pair in enumerate(job.pairs):
        empty = [side for side, phrase in (("left", pair.left), ("right", pair.right)) if not phrase.strip()]
        if empty:
            both = len(empty) == 2
            what = "both folder paths (left and right) are empty" if both else f"the {empty[0]} folder path is empty"
            yield ctx.finding(CODE, SEVERITY, f"pair.{i}" if both else f"pair.{i}.{empty[0]}", what,
                              "fill in the path or remove the pair", pairs=(i,))
