"""A ``.git`` file (or link) on the GPU machine.

What it does:
    Reports every file named ``.git``: git worktrees and submodules have a
    ``.git`` *file* (``gitdir: ...``) instead of a folder. A symbolic link named
    ``.git`` is reported here too (it is never followed).

Why is this bad?
    The folder-only item ``*/.git/`` does not exclude files
    (docs/filter-semantics.md#folder-only-file-only-and-plain-items), so
    worktree and submodule links travel even with a "correct-looking" filter.
    On the GPU machine the link points to a repository that does not exist
    there; tools that find it fail or, worse, act on the wrong repository, and
    a two-way sync can carry a rewritten link back.

Example:
    ``work/libs/vendored/.git`` containing ``gitdir: ../../.git/modules/vendored``.

Fix:
    Use the plain item ``*/.git`` (folder and file) instead of ``*/.git/``, then
    move the file aside with ``--quarantine DIR``.
"""

from __future__ import annotations

from ffs_tools.findings import Severity

CODE = "FFS702"
NAME = "git-file"
SEVERITY = Severity.ERROR
SUMMARY = "a .git file (worktree or submodule link)"
