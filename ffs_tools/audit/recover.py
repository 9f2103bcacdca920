"""After a crash: finish or roll back what an interrupted quarantine or restore left (the states are in
:mod:`ffs_tools.audit.manifest`). Both commands run :func:`recover` first, under DIR's lock.

==============  =======================================================================================
state           what the disk may hold, and what recovery does
==============  =======================================================================================
``pending``     the item in place (staging copy in DIR removed: rolled back) or, renamed, in DIR (moved)
``copied``      a complete copy in DIR, the original untouched: DIR's entries identical in place are
                dropped (rolled back); any that differ stay in both places (``partial``)
``verified``    the original's removal was under way: finished, only for entries identical to the copy
``restoring``   staging copies in the tree removed; a copy already in place finishes (DIR's duplicates
                dropped), otherwise the item is back in its earlier state and restore starts again
==============  =======================================================================================
"""

from __future__ import annotations

import os

from ffs_tools.audit import safefs
from ffs_tools.audit.manifest import Echo, Item, Manifest, join_rel
from ffs_tools.audit.moves import Merge, Place, finish_out, part_of, place, prune_empty, put_back, why
from ffs_tools.fsutil import display


def _remove_staging_below(fd: int, name: str, suffix: str) -> None:
    """Remove the staging copies an interrupted merge left inside the item (names end in ``suffix``)."""
    if not safefs.is_dir_id(safefs.entry_id(fd, name)):
        return
    sub = safefs.open_dir_at(fd, name)
    try:
        for child in sorted(os.listdir(sub)):
            if child.endswith(suffix):
                safefs.remove_own(sub, child)
            else:
                _remove_staging_below(sub, child, suffix)
    finally:
        os.close(sub)


def recover(manifest: Manifest, echo: Echo) -> None:
    """Finish or roll back every item a crash left between two states (called under DIR's lock), then
    remove the empty folders in DIR that hold no item (made for an item that did not move)."""
    _recover_items(manifest, echo)
    prune_empty(manifest)


def _recover_items(manifest: Manifest, echo: Echo) -> None:
    for item in list(manifest.items):
        if item.state in ("moved", "partial", "restored"):
            continue
        try:
            with place(manifest, item.rel, create_q=True) as p:  # restore or prune removes it again
                _recover(manifest, item, p, echo)
        except OSError as exc:
            echo(f"error: could not resolve the interrupted move of {display(item.rel)}: {why(exc)}")


def _recover(manifest: Manifest, item: Item, p: Place, echo: Echo) -> None:
    home = display(join_rel(manifest.root, item.rel))
    in_tree, in_q = safefs.lexists(p.tree, p.name), safefs.lexists(p.q, p.name)
    if item.token:
        safefs.remove_own(p.q if item.state in ("pending", "copied") else p.tree, item.staging)
        if item.state == "restoring" and in_tree:
            _remove_staging_below(p.tree, p.name, f".{item.token}.ffs-partial")
    if item.state == "pending" or (item.state == "copied" and not in_q):
        if in_q and not in_tree and item.way != "copy":
            item.state, item.parent_after = "moved", os.fstat(p.tree).st_mtime_ns
            echo(f"note: finished the interrupted move of {home}")
        elif in_tree and not in_q:
            item.state = "restored"  # never moved: the record only says it is in place
            echo(f"note: {home} is in place already")
        else:
            echo(f"error: {home}: an interrupted move left it {'in both places' if in_q else 'in neither place'}")
            return
    elif item.state == "copied":  # the complete copy reached DIR, the original was not touched yet
        kept = safefs.Removal()  # drop from DIR only what is identical in place
        safefs.remove_matching(p.q, p.name, p.tree, p.name, kept)
        item.state = "partial" if kept.kept else "restored"
        echo(f"note: rolled back the interrupted move of {home}" + (
            f"; {len(kept.kept)} entr(y/ies) of the copy differ from the original or are not in it, both kept "
            "(--restore merges them)" if kept.kept else ""))
    elif item.state == "verified":
        echo(f"note: finishing the interrupted move of {home}")
        finish_out(manifest, item, p, echo, None)
        return
    elif item.state == "restoring":
        item.state = item.prior or "moved"
        if in_tree and in_q and part_of(p):  # the copy reached its place: DIR holds only duplicates now
            merge = Merge("copy", item.token or "")
            put_back(p, merge)
            if not merge.conflicts and not safefs.lexists(p.q, p.name):
                item.state = "restored"
        echo(f"note: {home}: " + ("finished an interrupted restore" if item.state == "restored" else
                                  "an interrupted restore, rolled back"))
    manifest.note(item)
