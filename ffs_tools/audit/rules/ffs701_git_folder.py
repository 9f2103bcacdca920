"""A `.git` folder on the GPU machine.

What it does:
    Reports every folder named ``.git`` in the audited tree, at any depth: a
    clone's own repository, a nested repository, one inside a virtualenv's
    ``src/`` (``pip install -e git+...``). The audit does not look inside it.

Why is this bad?
    The GPU machine has no git and must have none: a ``.git`` that travelled
    there (an old config without ``*/.git``, an anchored ``.git/`` that only
    covers the base folder) confuses tools that look for a repository, and a
    two-way sync can carry its stale objects, refs and index back and corrupt
    the local repository.

Example:
    ``work/proj/.git/`` next to the synced sources; the config excluded only
    ``\\.git\\`` (the base folder's).

Fix:
    Exclude ``*/.git`` (every depth, folder *and* file) in the sync filter, then
    move the folder aside: ``ffs-tools audit-gpu --quarantine DIR`` (restorable
    with ``--restore``; nothing is deleted).
"""

from __future__ import annotations

from ffs_tools.audit.rules._hit import Hit
from ffs_tools.ffs.never_travels import vcs_item
from ffs_tools.findings import Severity

CODE = "FFS701"
NAME = "git-folder"
SEVERITY = Severity.ERROR
#: the entry names (upper-case) the walk must show this rule
NAMES = frozenset({".GIT"})
SUFFIXES: frozenset[str] = frozenset()

GIT = ".git"
HINT = ("exclude '*/.git' (every depth, folder and file) in the sync filter, then move it aside "
        "(--quarantine DIR; nothing is deleted)")


def hit(rel: str) -> Hit:
    """The folder ``rel`` is named ``.git``."""
    return Hit(CODE, rel, "dir", "a .git folder: a repository on the GPU machine", HINT, vcs_item(GIT))
