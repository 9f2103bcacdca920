"""An item the exclusions say never travels.

What it does:
    Asks the FreeFileSync filter engine, for every file and folder, whether
    the exclusions keep it off the sync, and reports the topmost such items.
    Without ``--config`` the exclusions are ffs-tools' own knowledge (caches
    such as ``*/__pycache__/``, ``*/.pytest_cache/``, other version-control
    metadata such as ``*/.hg``); with ``--config FILE`` they are that config's
    filter (global and pair filter, as FreeFileSync combines them) for the
    pair whose right side is the audited folder. Items only outside an include
    list are not reported, nor FreeFileSync's own ``*.ffs_db``/``*.ffs_lock``.
    ``.git`` (FFS701/702) and environments (FFS703/708) have their own checks.

Why is this bad?
    An excluded item on the GPU machine either travelled there before the
    exclusion existed (an old config, a manual copy) and is stale, or it was
    made there and is correctly kept local. Either way it is worth a look: a
    stale cache can shadow the real code (``__pycache__`` from another Python),
    and it will travel again as soon as the exclusion is lost.

Example:
    ``work/src/__pycache__/`` holding ``.pyc`` files built on the local machine.

Fix:
    If it came from the local machine, move it aside (``--quarantine DIR --all``)
    and keep the exclusion; if it is the GPU machine's own, ignore the finding
    (``--ignore FFS704``).
"""

from __future__ import annotations

from ffs_tools.findings import Severity

CODE = "FFS704"
NAME = "never-travels"
SEVERITY = Severity.WARNING
SUMMARY = "an item the exclusions say never travels"
