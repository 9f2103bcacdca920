"""XmlFormat older than the current one, or unknown: FreeFileSync rewrites the file on load.

## What it does
Reports a sync configuration whose ``XmlFormat`` is older than 17 (written by
FreeFileSync 11.2 or earlier), missing, or a number no released version wrote
(20-22, above 23); with ``--ffs-version`` it compares against the format that
version writes (17 for 11.3-12.2, 18 for 12.3, 19 for 12.4-12.5, 23 for
13.0 and newer). A format newer than the target version understands is an
error: FreeFileSync 12 cannot read a format-23 job (batch exit code 4).
RealTimeSync files are checked against their format 2.

## Why is this bad?
When FreeFileSync loads an older format it migrates it and rewrites the file
in place, in its own layout and line endings: the committed file changes
behind your back (a dirty work tree after every run), and since 12.5 a failed
rewrite (read-only checkout) aborts a batch run with exit code 4.

## Example
```xml
<FreeFileSync XmlType="BATCH" XmlFormat="14">
```

## Fix
Open the job in the FreeFileSync version you run and save it (or regenerate it
with ``ffs-tools generate``), then commit the rewritten file.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.ffs.versions import OLDEST_FORMAT, WRITTEN_BY, before_13, xml_format_for
from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS004"
NAME = "outdated-xml-format"
SEVERITY = Severity.WARNING
PROFILES = BOTH

REAL_FORMAT = 2


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.config is None:
        return
    fmt = ctx.xml_format
    hint = "open and save the job in the FreeFileSync version you run (or regenerate it), then commit the result"
    if ctx.real is not None:
        if fmt != REAL_FORMAT:
            yield ctx.finding(CODE, SEVERITY, "root", f"RealTimeSync XmlFormat {fmt} is not the current 2: "
                              "RealTimeSync migrates and rewrites it", hint)
        return
    if fmt is None or fmt <= 0:
        yield ctx.finding(CODE, SEVERITY, "root", "XmlFormat is missing: FreeFileSync reads it as 0 and runs every "
                          "legacy migration on the file", hint)
        return
    target = xml_format_for(ctx.options.ffs_version) if ctx.options.ffs_version else None
    if target is not None:
        version = ctx.options.ffs_version
        if fmt < target:
            yield ctx.finding(CODE, SEVERITY, "root", f"XmlFormat {fmt} is older than the {target} FreeFileSync "
                              f"{version} writes: it rewrites the file on load", hint)
        elif fmt > target and before_13(target) and not before_13(fmt):
            yield ctx.finding(CODE, Severity.ERROR, "root", f"XmlFormat {fmt} is newer than FreeFileSync {version} "
                              "can read: a batch run exits with code 4", "save the job with FreeFileSync "
                              f"{version} (format {target}) or regenerate it for that version")
        return
    if fmt < OLDEST_FORMAT:
        yield ctx.finding(CODE, SEVERITY, "root", f"XmlFormat {fmt} is older than {OLDEST_FORMAT}: every "
                          "FreeFileSync since 11.3 migrates the file and rewrites it on load", hint)
    elif fmt not in WRITTEN_BY:
        yield ctx.finding(CODE, SEVERITY, "root", f"XmlFormat {fmt} was never written by a released FreeFileSync "
                          f"(known: {', '.join(map(str, WRITTEN_BY))})", hint)
