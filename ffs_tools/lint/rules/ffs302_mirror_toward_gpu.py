"""Mirror (or update) toward the GPU side deletes or overwrites results that exist only there.

## What it does
Works out, from the effective sync directions of each pair (main settings or
the pair's own), what happens on the right side, which is the GPU machine by
convention: whether files that exist only there are deleted (Mirror,
``RightOnly=right``, ``Right Create=right``), whether files that are newer or
changed there are overwritten by the older local copy (Mirror,
``RightNewer=right``, ``Right Update=right``), and whether "different" files
are overwritten whichever side is newer (Update, Mirror or Custom with
``Content``/``Size`` comparison in the format-17 layout).

## Why is this bad?
The GPU machine produces results: checkpoints, logs, metrics, generated data.
A mirror from the local machine deletes everything that is not on the local
side and rolls back files changed on the GPU. Excluded items survive, but any
result folder you forgot to exclude is gone on the next run.

## Example
```xml
<Synchronize>
    <Variant>Mirror</Variant>
```

## Fix
Use Two way, or Update with comparison by time and size (never deletes, never
overwrites a newer file), and exclude the GPU machine's result folders; if a
mirror is really meant, suppress the finding with ``ffs-tools: disable=FFS302``
in the job's notes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.model import Changes, CompareVariant, Differences, Direction, SyncConfig
from ffs_tools.ffs.versions import before_13
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._settings import sync_uses

CODE = "FFS302"
NAME = "one-way-toward-gpu-destroys-results"
SEVERITY = Severity.ERROR
PROFILES = DEV_GPU_ONLY

R = Direction.RIGHT


def losses(sync: SyncConfig, compare: CompareVariant, legacy_layout: bool) -> list[str]:
    """What the right side loses under these directions (empty: nothing that exists only there)."""
    d = sync.directions
    out: list[str] = []
    if isinstance(d, Changes):
        if d.right_create == R:
            out.append("deletes files created in the right folder")
        if d.right_update == R:
            out.append("overwrites files changed in the right folder")
        return out
    assert isinstance(d, Differences)
    if d.right_only == R:
        out.append("deletes files that exist only in the right folder")
    if d.right_newer == R or d.conflict == R:
        out.append("overwrites files that are newer in the right folder")
    elif compare is not CompareVariant.TIME_AND_SIZE and legacy_layout and (d.different or d.left_newer) == R:
        out.append(f"overwrites every file that differs ({compare.value} comparison), even when the right folder's "
                   "copy is newer")
    return out


def check(ctx: Context) -> Iterator[Finding]:
    legacy = ctx.xml_format is not None and before_13(ctx.xml_format)
    for use in sync_uses(ctx):
        lost = losses(use.sync, use.compare.variant, legacy)
        if lost:
            variant = use.sync.variant.value
            yield ctx.finding(CODE, SEVERITY, f"{use.key}.directions",
                              f"{variant} toward the right folder (the GPU side) {' and '.join(lost)}: "
                              "results written on the GPU machine are lost",
                              "use Two way, or Update with TimeAndSize comparison, and exclude the GPU machine's "
                              "result folders", pairs=use.pairs)
