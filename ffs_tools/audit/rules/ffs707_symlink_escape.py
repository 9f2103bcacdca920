"""A symbolic link that leaves the tree or loops.

What it does:
    Reports symbolic links whose target lies outside the audited folder, and
    links that loop (a cycle of links, or a link to one of its own parent
    folders). Links are never followed by the audit. Links inside a
    virtualenv or conda env that point outside (the interpreter links every
    environment has) are left to FFS703; loops are reported everywhere.

Why is this bad?
    FreeFileSync's ``Symlinks`` setting decides what happens to links: with
    ``Follow`` a link that leaves the tree copies whatever it points to (a
    dataset mount, a home folder) into the sync, and a looping link makes the
    scan run away; with ``Direct`` the link arrives on the other machine where
    its target does not exist.

Example:
    ``work/data -> /mnt/datasets/imagenet``; ``work/a/b/up -> ../..``.

Fix:
    Keep ``Symlinks`` at ``Exclude`` (the default) or ``Direct`` in the sync
    config, or replace the link with a path setting in the code that reads it.
"""

from __future__ import annotations

import os
import posixpath

from ffs_tools.audit.fs import LOCAL, FileSystem
from ffs_tools.audit.rules._hit import Hit
from ffs_tools.findings import Severity
from ffs_tools.fsutil import display

CODE = "FFS707"
NAME = "symlink-escape"
SEVERITY = Severity.INFO
#: no names: the walk shows every symbolic link
NAMES: frozenset[str] = frozenset()
SUFFIXES: frozenset[str] = frozenset()


def hit(rel: str, problem: str, target: str) -> Hit:
    """The link ``rel`` to ``target`` has ``problem`` (see :func:`link_problem`)."""
    verb = "leaves the tree" if problem == OUTSIDE else "loops"
    return Hit(CODE, rel, "link", f"a symbolic link that {verb} (-> {display(target)}: {problem}); never followed",
               "keep FreeFileSync's Symlinks setting at Exclude or Direct, or replace the link")


def within(path: str, folder: str, sep: str = os.sep) -> bool:
    """Whether real path ``path`` is ``folder`` or lies below it."""
    return path == folder or path.startswith(folder.rstrip(sep) + sep)


def link_problem(link: str, parent_real: str, root_real: str, fs: FileSystem = LOCAL) -> tuple[str, str, str] | None:
    """``(problem, target, resolved)`` for the link at ``link`` (in the folder whose real path is
    ``parent_real``): problem ``"a cycle of links"``, ``"one of its own parent folders"`` (both loops)
    or ``"outside the tree"``; ``None`` when it stays inside. Raises ``OSError`` when the link cannot
    be read (e.g. it vanished)."""
    target = fs.readlink(link)
    if fs.loops(link):
        return "a cycle of links", target, ""
    sep, join = ("/", posixpath.join) if fs.remote else (os.sep, os.path.join)
    real = fs.realpath(join(parent_real, target))
    if not within(real, root_real, sep):
        return OUTSIDE, target, real
    if within(parent_real, real, sep) and fs.isdir(real):
        return "one of its own parent folders", target, real
    return None


OUTSIDE = "outside the tree"
