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

from ffs_tools.findings import Severity

CODE = "FFS706"
NAME = "unreadable-folder"
SEVERITY = Severity.WARNING
SUMMARY = "a folder that could not be read"
