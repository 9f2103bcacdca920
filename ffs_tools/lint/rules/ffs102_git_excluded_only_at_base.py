r"""`.git` is excluded only at the base folder; nested repositories and submodules still sync.

## What it does
Reports a filter that keeps the base folder's ``.git`` back but lets ``.git``
folders below it through, judged by probing the filter engine with ``a/.git``,
``a/b/.git`` and ``.git`` below every folder an include item names.

## Why is this bad?
FreeFileSync anchors every item at the base folder: ``.git/`` and ``\.git\``
match only ``<base>/.git``. Nested clones, vendored repositories and submodule
git folders still travel and get corrupted by the sync.

## Example
```xml
<Item>.git\</Item>
```

## Fix
Use ``*/.git``: the ``*/`` prefix matches at the base and at every depth.
``ffs-tools lint --fix`` replaces a base-only item (``.git\``, ``/.git/``) with it
in place; an item that also keeps other names back (``.git*``) stays, and
``*/.git`` is added.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._probe import git_findings

CODE = "FFS102"
NAME = "git-excluded-only-at-base"
SEVERITY = Severity.ERROR
PROFILES = DEV_GPU_ONLY


def check(ctx: Context) -> Iterator[Finding]:
    yield from git_findings(ctx, CODE, SEVERITY)
