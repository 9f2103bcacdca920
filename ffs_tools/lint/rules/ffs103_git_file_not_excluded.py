"""`.git` is excluded only as a folder; the `.git` file of a worktree or submodule still syncs.

## What it does
Reports a filter that excludes every ``.git`` folder but lets a ``.git``
*file* through (probed at the base folder, ``wt/.git`` and below include
folders).

## Why is this bad?
In a git worktree and in a submodule, ``.git`` is a file holding
``gitdir: /abs/path``. Synced to the other machine it points at a path that
does not exist there (git fails), and synced back it can point a worktree at
the wrong repository. A folder-only item such as ``*/.git/`` never matches a
file.

## Example
```xml
<Item>*/.git/</Item>
```

## Fix
Use the plain item ``*/.git`` (no trailing slash) or add ``*/.git:`` for the
file; ``ffs-tools lint --fix`` adds ``*/.git``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ffs_tools.findings import Finding, Severity
from ffs_tools.lint.rules._context import DEV_GPU_ONLY, Context
from ffs_tools.lint.rules._probe import git_findings

CODE = "FFS103"
NAME = "git-file-not-excluded"
SEVERITY = Severity.WARNING
PROFILES = DEV_GPU_ONLY


def check(ctx: Context) -> Iterator[Finding]:
    yield from git_findings(ctx, CODE, SEVERITY)
