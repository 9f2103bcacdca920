"""FreeFileSync leftovers: `*.ffs_tmp`, a stale `sync.ffs_lock`; partial copies `*.ffs-partial`.

What it does:
    Reports files and folders ending in ``.ffs_tmp`` (FreeFileSync copies to
    ``<name>.ffs_tmp`` and renames when the copy is complete), those ending
    in ``.ffs-partial`` (ffs-tools' own ``--restore`` copies across file
    systems to ``.<name>.<token>.ffs-partial`` and renames when complete) and any
    ``sync.ffs_lock`` whose modification time is more than a day old
    (FreeFileSync keeps a running sync's lock file fresh).

Why is this bad?
    A ``.ffs_tmp`` is a half-copied file from an interrupted run: it wastes
    space and is not the file it claims to be (FreeFileSync deletes it on the
    next run of that pair, permanently; the next sync would carry a partial
    copy of a restore to the other machine, and the next ``--restore`` of
    that quarantine removes it). A lock file that old means a sync
    crashed or was killed; the next run waits for it or warns
    (``WarnDirectoryLockFailed``), and unattended batch jobs stall.

Example:
    ``work/checkpoints/step01000.pt.ffs_tmp``; ``work/sync.ffs_lock`` from last week.

Fix:
    Make sure no sync is running, then move the leftovers aside
    (``--quarantine DIR --all``) or let the next complete run clean up.
"""

from __future__ import annotations

import time

from ffs_tools.audit.rules._hit import Hit, Kind
from ffs_tools.findings import Severity

CODE = "FFS705"
NAME = "ffs-leftover"
SEVERITY = Severity.WARNING

TMP_SUFFIX = ".ffs_tmp"
#: the staging copies of ffs-tools' quarantine and restore (see ffs_tools.audit.manifest)
PARTIAL_SUFFIX = ".ffs-partial"
LOCK_NAME = "sync.ffs_lock"
#: the entry names and suffixes (upper-case) the walk must show this rule
NAMES = frozenset({LOCK_NAME.upper()})
SUFFIXES = frozenset({TMP_SUFFIX.upper(), PARTIAL_SUFFIX.upper()})
#: a lock file older than this is stale
LOCK_MAX_AGE = 86400.0


def temporary(name: str) -> str | None:
    """Who left the temporary ``name`` ("FreeFileSync", "ffs-tools"), or None when it is not one."""
    if name.endswith(TMP_SUFFIX):
        return "FreeFileSync"
    return "ffs-tools" if name.endswith(PARTIAL_SUFFIX) else None


def lock_age_days(mtime: float, now: float | None = None) -> float | None:
    """The lock's age in days when it is stale, else ``None``."""
    age = (time.time() if now is None else now) - mtime
    return age / 86400.0 if age > LOCK_MAX_AGE else None


def tmp_hit(rel: str, kind: Kind) -> Hit:
    """``rel`` ends in ``.ffs_tmp`` (a copy FreeFileSync did not finish) or ``.ffs-partial`` (a copy an
    interrupted ``--restore`` did not finish)."""
    what = "file" if kind == "file" else "folder"
    if temporary(rel.rsplit("/", 1)[-1]) == "ffs-tools":
        return Hit(CODE, rel, kind, f"a partial copy ({what}) from an interrupted ffs-tools restore",
                   "run that --restore again: it removes its partial copies")
    return Hit(CODE, rel, kind, f"a FreeFileSync temporary {what} from an interrupted copy",
               "make sure no sync is running, then move it aside (--quarantine DIR --all) or let the next "
               "complete run remove it")


def lock_hit(rel: str, days: float) -> Hit:
    """``rel`` is a lock file ``days`` old (see :func:`lock_age_days`)."""
    return Hit(CODE, rel, "file", f"a FreeFileSync lock file {days:.0f} day(s) old: a sync crashed or was killed",
               "make sure no sync is running, then move it aside (--quarantine DIR --all)")
