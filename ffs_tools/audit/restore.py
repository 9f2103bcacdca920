"""``--restore MANIFEST``: put back what ``--quarantine`` moved (see :mod:`ffs_tools.audit.quarantine`).

Restore believes the disk, not only the manifest: an item whose state says
``pending`` may already be in DIR (a crash right after the rename), one that
says ``moved`` may be back in place (a crash right after the move back). It
never overwrites: an original place that is taken again keeps what is there,
and the item stays in DIR.
"""

from __future__ import annotations

import os
import stat

from ffs_tools.audit.quarantine import Echo, Item, Manifest, join_rel, move, mtime_ns, remove_item
from ffs_tools.fsutil import display


def restore(manifest_path: str, echo: Echo) -> int:
    """Put every item of the manifest back; return the number that could not be restored."""
    manifest = Manifest.load(manifest_path)
    failed = 0
    for item in reversed(manifest.items):  # newest first: parent folder times unwind in order
        if item.state == "restored":
            continue
        if not _move_back(manifest, item, echo):
            failed += 1
    _prune_empty(manifest)
    done = sum(1 for i in manifest.items if i.state == "restored")
    echo(f"{done} of {len(manifest.items)} item(s) restored" + (f", {failed} not" if failed else ""))
    return failed


def _move_back(manifest: Manifest, item: Item, echo: Echo) -> bool:
    home, kept = join_rel(manifest.root, item.rel), join_rel(manifest.folder, item.rel)
    parent = os.path.dirname(home)
    # the parent's time as the move left it (before "moved", the entry had not left the parent yet)
    expected = item.parent_after if item.parent_after is not None else item.parent_before
    untouched = expected is not None and mtime_ns(parent) == expected
    in_q, at_home = os.path.lexists(kept), os.path.lexists(home)
    if in_q and at_home and item.state == "copied":
        if not _is_part_of(home, kept):
            echo(f"error: not restored: {display(home)} differs from the copy in the quarantine folder "
                 "(an interrupted move, then changed); compare them by hand")
            return False
        remove_item(home)  # the rest of an interrupted move: every entry in it is in the complete copy
        at_home = False
    if at_home:
        if in_q:
            echo(f"error: not restored: {display(home)} exists again at its original place; the quarantined "
                 f"item stays in {display(kept)}")
            return False
        echo(f"note: {display(home)} is in place already")
    elif not in_q:
        echo(f"error: not restored: {display(item.rel)} is neither in the quarantine folder nor in the tree")
        return False
    else:
        os.makedirs(parent, exist_ok=True)
        try:
            move(kept, home, lambda: None)
        except OSError as exc:
            echo(f"error: not restored: {display(kept)}: {exc.strerror or exc}")
            return False
        if untouched and item.parent_before is not None:
            st = os.stat(parent)
            os.utime(parent, ns=(st.st_atime_ns, item.parent_before))
        echo(f"restored {display(home)}")
    item.state = "restored"
    manifest.save()
    return True


def _is_part_of(rest: str, copy: str) -> bool:
    """Whether everything left at ``rest`` also exists in ``copy`` with the same type, size and time."""
    if not _same_entry(rest, copy):
        return False
    for dirpath, dirnames, filenames in os.walk(rest):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if not _same_entry(path, os.path.join(copy, os.path.relpath(path, rest))):
                return False
    return True


def _same_entry(a_path: str, b_path: str) -> bool:
    try:
        a, b = os.lstat(a_path), os.lstat(b_path)
    except OSError:
        return False
    if stat.S_IFMT(a.st_mode) != stat.S_IFMT(b.st_mode):
        return False
    return stat.S_ISDIR(a.st_mode) or (a.st_size, a.st_mtime_ns) == (b.st_size, b.st_mtime_ns)


def _prune_empty(manifest: Manifest) -> None:
    """Remove the folders quarantine made in DIR that restore left empty (``rmdir`` only)."""
    for item in manifest.items:
        parts = item.rel.split("/")[:-1]
        while parts:
            try:
                os.rmdir(join_rel(manifest.folder, "/".join(parts)))
            except OSError:
                break
            parts.pop()
