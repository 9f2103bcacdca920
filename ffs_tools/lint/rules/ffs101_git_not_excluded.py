r"""`.git` is not excluded.

## What it does
Asks the pair's effective filter (global AND pair filter, FreeFileSync's
semantics for the file's version) whether the content of a ``.git`` folder at
the base folder would sync. Probes, not string matching: ``*\.git``,
``.git|*\.git`` and a lone ``*\`` are judged by what FreeFileSync does.
Also reported when no exclude item keeps any ``.git`` back but nested ones
travel below an included folder (include ``src\``): the base folder's
``.git`` then stays only because the include list leaves it out.

## Why is this bad?
Syncing a repository's ``.git`` to another machine and back mixes two
repositories' object stores, index and refs: a two-way sync of ``.git`` is the
classic way to corrupt a repository. The GPU machine needs the work tree, not
the history.

## Example
```xml
<Exclude>
    <Item>*.tmp</Item>
</Exclude>
```

## Fix
Add the exclude item ``*/.git`` (``ffs-tools lint --fix`` does): plain, without
a trailing slash, it matches ``.git`` folders and ``.git`` files at every depth.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._probe import git_findings

CODE = "FFS101"
NAME = "git-not-excluded"
SEVERITY = Severity.ERROR
PROFILES = DEV_GPU_ONLY


def check(ctx: Context) -> Iterator[Finding]:
    yield from git_findings(ctx, CODE, SEVERITY)
