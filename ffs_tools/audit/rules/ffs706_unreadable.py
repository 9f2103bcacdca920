"""A folder that could not be read.

What it does:
    Reports every folder the audit could not list (permission denied, I/O
    error, a listing that broke off half-way) and every item it needed to
    look into but could not (an unreadable ``pyvenv.cfg``). Nothing is ever
    skipped in silence: what lies below such a folder was not audited.

Why is this bad?
    A ``.git`` or a copied environment may hide below it, and FreeFileSync
    cannot read it either: each sync reports an error for it (exit code 2 in
    batch mode, or a stalled job with ``ErrorDialog=Show``).

Example:
    ``work/data/private/`` with mode ``000``, owned by another user.

Fix:
    Run the audit as a user who can read the folder, or fix its permissions; if
    the folder should not be synced at all, exclude it in the sync filter.
"""

from __future__ import annotations

from ffs_tools.audit.rules._hit import Hit, Kind
from ffs_tools.findings import Severity

CODE = "FFS706"
NAME = "unreadable-folder"
SEVERITY = Severity.WARNING
#: no names: the walk reports what it could not read, whatever its name
NAMES: frozenset[str] = frozenset()
SUFFIXES: frozenset[str] = frozenset()


def folder_hit(rel: str, exc: OSError) -> Hit:
    """The folder ``rel`` could not be listed."""
    what = exc.strerror or str(exc)
    return Hit(CODE, rel, "dir", f"folder could not be read ({what}): nothing below it was audited",
               "run the audit as a user who can read it, or fix its permissions; FreeFileSync cannot read it "
               "either")


def entry_hit(rel: str, kind: Kind, exc: OSError) -> Hit:
    """The entry ``rel`` another rule needed to look into could not be inspected."""
    return Hit(CODE, rel, kind, f"could not be inspected ({exc.strerror or exc})",
               "run the audit as a user who can read it, or fix its permissions")
