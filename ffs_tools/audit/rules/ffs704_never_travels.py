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

from typing import TYPE_CHECKING

from ffs_tools.audit.rules._hit import Hit, name_item
from ffs_tools.findings import Severity

if TYPE_CHECKING:
    from ffs_tools.audit.filter import AuditFilter
    from ffs_tools.filtering.engine import Decision

CODE = "FFS704"
NAME = "never-travels"
SEVERITY = Severity.WARNING
#: no fixed names: the walk shows this rule the names and suffixes the filter's exclude items can match
NAMES: frozenset[str] = frozenset()
SUFFIXES: frozenset[str] = frozenset()


def hit(filt: AuditFilter, rel: str, name: str, is_dir: bool, d: Decision) -> Hit | None:
    """The entry ``rel`` that the exclude item of decision ``d`` keeps off the sync, with why (the config's
    item and its line, or the reason ffs-tools' knowledge gives) and the item to suggest."""
    if d.mask is None:
        return None
    item = d.mask.text
    if filt.is_config and not filt.reasons:
        line = d.mask.source.line
        where = f"{filt.config_path}:{line}" if line else filt.origin
        why = f"the config's {d.mask.source.describe()} '{item}' ({where}) excludes it"
    else:
        why = f"'{item}' excludes it: {filt.reasons.get(item, 'it never travels')}"
    kind = "folder" if is_dir else "file"
    suggest = item if item.startswith("*") else name_item(name, is_dir)
    return Hit(CODE, rel, "dir" if is_dir else "file", f"a {kind} that never travels: {why}",
               "if it came from the local machine, move it aside (--quarantine DIR --all); if it is "
               "this machine's own, ignore it (--ignore FFS704)", suggest)
