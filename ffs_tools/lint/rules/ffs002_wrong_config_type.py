"""The file is not a FreeFileSync configuration of the type its extension says.

## What it does
Reports a well-formed XML file whose root is not ``<FreeFileSync>``, or whose
``XmlType`` does not match the extension (``GUI`` for ``.ffs_gui``, ``BATCH``
for ``.ffs_batch``, ``REAL`` for ``.ffs_real``), or a file with an extension
that is none of these (``GlobalSettings.xml`` holds program settings, not a
sync job).

## Why is this bad?
FreeFileSync checks ``XmlType`` and nothing else before it reads: a wrong type
is a hard error ("does not contain a valid configuration"), batch exit code 4.

## Example
A file ``job.ffs_batch`` starting with
```xml
<FreeFileSync XmlType="GUI" XmlFormat="23">
```

## Fix
Save the job from FreeFileSync with the right command (``Save as batch job``
writes a ``.ffs_batch``), or rename the file to the extension of its type.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS002"
NAME = "wrong-config-type"
SEVERITY = Severity.ERROR
PROFILES = BOTH


def check(ctx: Context) -> Iterator[Finding]:
    err = ctx.error
    if err is not None and err.code == CODE:
        yield Finding(CODE, SEVERITY, err.message, ctx.path, err.line, err.column,
                      "save it from FreeFileSync as the right kind of file, or rename it to match its XmlType")
