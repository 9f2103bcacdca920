"""The file is not well-formed XML, or cannot be read at all.

## What it does
Reports a configuration that the hardened XML reader rejects: a syntax error
(with its line and column), a file that is not UTF-8, binary data, a file too
large for a configuration, or XML that uses a DTD or entities (external
entities and "billion laughs" expansions are refused, never resolved).

## Why is this bad?
FreeFileSync cannot load such a file: a batch run exits with code 4 and syncs
nothing, the GUI shows an error. A merge-conflict marker committed into a
config is the usual cause.

## Example
```xml
<FreeFileSync XmlType="BATCH" XmlFormat="23">
<<<<<<< HEAD
```

## Fix
Repair the XML at the reported line (resolve the merge conflict), or save the
configuration again from FreeFileSync.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import BOTH, Context

CODE = "FFS001"
NAME = "not-well-formed"
SEVERITY = Severity.ERROR
PROFILES = BOTH


def check(ctx: Context) -> Iterator[Finding]:
    err = ctx.error
    if err is not None and err.code == CODE:
        yield Finding(CODE, SEVERITY, err.message, ctx.path, err.line, err.column,
                      "repair the XML at this location or save the configuration again from FreeFileSync"
                      if err.line is not None else
                      "lint reads the configuration files FreeFileSync saves (regular files of a few KB): check the "
                      "path, or save the configuration again from FreeFileSync")
