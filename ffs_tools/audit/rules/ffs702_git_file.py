"""A `.git` file (or link) on the GPU machine.

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

from ffs_tools.audit.fs import LOCAL, FileSystem
from ffs_tools.audit.rules._hit import Hit
from ffs_tools.audit.rules.ffs701_git_folder import GIT, HINT
from ffs_tools.ffs.never_travels import vcs_item
from ffs_tools.findings import Severity
from ffs_tools.fsutil import display

CODE = "FFS702"
NAME = "git-file"
SEVERITY = Severity.ERROR
#: the entry names (upper-case) the walk must show this rule
NAMES = frozenset({GIT.upper()})
SUFFIXES: frozenset[str] = frozenset()


def file_hit(rel: str, path: str, fs: FileSystem = LOCAL) -> Hit:
    """The file ``rel`` (at ``path``) is named ``.git``: say where it links to."""
    return Hit(CODE, rel, "file", _git_file_message(path, fs), HINT, vcs_item(GIT))


def link_hit(rel: str, path: str, fs: FileSystem = LOCAL) -> Hit:
    """The symbolic link ``rel`` (at ``path``) is named ``.git``."""
    return Hit(CODE, rel, "link", f"a .git symbolic link ({_readlink(path, fs)}), never followed", HINT,
               vcs_item(GIT))


def _git_file_message(path: str, fs: FileSystem) -> str:
    try:
        head = fs.read_head(path, 512).decode("utf-8", "replace").strip()
    except OSError:
        head = ""
    if head.startswith("gitdir:"):
        target = head.splitlines()[0][len("gitdir:"):].strip()
        return f"a .git file (worktree or submodule link to '{display(target)}')"
    return "a .git file (worktree or submodule link)"


def _readlink(path: str, fs: FileSystem) -> str:
    try:
        return "-> " + display(fs.readlink(path))
    except OSError:
        return "unreadable"
