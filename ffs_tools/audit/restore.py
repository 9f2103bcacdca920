"""``--restore MANIFEST``: put back what ``--quarantine`` moved (see :mod:`ffs_tools.audit.quarantine`).

Restore trusts nothing in the manifest: DIR and the manifest must be the
user's and writable by nobody else, the recorded root must be the very
folder the manifest was made for, every ``rel`` a plain relative path; it
writes only below the root and reads only below DIR, through folders opened
without following links, never over or instead of an existing entry. Each
item is restored on its own: one that cannot be is reported in one line and
the others go on. Entries in DIR that the manifest does not name are
reported, never taken for restored.
"""

from __future__ import annotations

import os
import secrets

from ffs_tools.audit import safefs
from ffs_tools.audit.manifest import JOURNAL_NAME, MANIFEST_NAME, Echo, Item, Manifest, check_private, join_rel, locked
from ffs_tools.audit.moves import Merge, Place, part_of, place, prune_empty, put_back, why
from ffs_tools.audit.quarantine import clean_temps
from ffs_tools.audit.recover import recover
from ffs_tools.audit.rules.ffs707_symlink_escape import within
from ffs_tools.errors import UserError
from ffs_tools.fsutil import display


def restore(manifest_path: str, echo: Echo) -> int:
    """Put every item of the manifest back; return the number of problems (items not restored, entries
    in DIR the manifest does not name)."""
    if os.path.isdir(manifest_path):
        manifest_path = os.path.join(manifest_path, MANIFEST_NAME)
    path = os.path.abspath(manifest_path)
    if not os.path.lexists(path):
        raise UserError("no such manifest", display(manifest_path))
    folder = os.path.realpath(os.path.dirname(path))  # DIR may be given through a link; the manifest may not
    path = os.path.join(folder, os.path.basename(path))
    check_private(folder, "--restore: the quarantine folder")
    check_private(path, "--restore: the manifest")
    if os.path.lexists(os.path.join(folder, JOURNAL_NAME)):
        check_private(os.path.join(folder, JOURNAL_NAME), "--restore: the manifest's journal")
    with locked(folder, echo):
        manifest = Manifest.load(path)
        _check_root(manifest)
        earlier = sum(1 for i in manifest.items if i.state == "restored")
        failed = 0
        for _, problem in manifest.refused:
            echo(f"error: not restored: a manifest item is refused: {problem}")
            failed += 1
        clean_temps(folder)
        recover(manifest, echo)
        for item in reversed(manifest.items):  # newest first: parent folder times unwind in order
            if item.state != "restored" and not _move_back(manifest, item, echo):
                failed += 1
        prune_empty(manifest)
        manifest.save()  # the journal folded into the manifest
        failed += _report_unrecorded(manifest, echo)
    echo(_summary(manifest, earlier, failed))
    return failed


def _summary(manifest: Manifest, earlier: int, failed: int) -> str:
    """The last line: how many items are back; a second ``--restore`` says there was nothing to do (not
    "7 of 7 restored")."""
    done = sum(1 for i in manifest.items if i.state == "restored")
    if done == earlier and not failed:
        return f"nothing to restore: all {done} item(s) of the manifest were restored already"
    return f"{done} of {len(manifest.items)} item(s) restored" + (f", {failed} problem(s)" if failed else "")


def _check_root(manifest: Manifest) -> None:
    """The root must be an absolute real path, a folder, the one the manifest was made for, apart from DIR."""
    root, where = manifest.root, display(manifest.path)
    if not os.path.isabs(root) or "\0" in root or os.path.realpath(root) != root or not os.path.isdir(root):
        raise UserError(f"--restore: the manifest's root {display(root)!r} is not the real path of a folder",
                        where)
    st = os.stat(root)
    if manifest.root_id is not None and manifest.root_id != [st.st_dev, st.st_ino]:
        raise UserError(f"--restore: {display(root)} is not the folder this manifest was made for (another "
                        "folder is at that path now)", where)
    folder = os.path.realpath(manifest.folder)
    if within(folder, root) or within(root, folder):
        raise UserError("--restore: the manifest's root and its folder overlap", where)


def _move_back(manifest: Manifest, item: Item, echo: Echo) -> bool:
    home = display(join_rel(manifest.root, item.rel))
    try:
        with place(manifest, item.rel, create_tree=True, create_q=True) as p:
            in_tree, in_q = safefs.lexists(p.tree, p.name), safefs.lexists(p.q, p.name)
            if not in_q:
                if not in_tree:
                    echo(f"error: not restored: {display(item.rel)} is neither in the quarantine folder nor in "
                         "the tree")
                    return False
                echo(f"note: {home} is in place already")
                item.state = "restored"
                manifest.note(item)
                return True
            expected = item.parent_after if item.parent_after is not None else item.parent_before
            untouched = expected is not None and os.fstat(p.tree).st_mtime_ns == expected
            if in_tree and item.state == "moved" and not part_of(p):
                echo(f"error: not restored: {home} exists again at its original place; the quarantined item "
                     f"stays in {display(join_rel(manifest.folder, item.rel))}")
                return False
            return _merge_back(manifest, item, p, echo, untouched and not in_tree)
    except OSError as exc:
        echo(f"error: not restored: {home}: {why(exc)}")
        return False


def _merge_back(manifest: Manifest, item: Item, p: Place, echo: Echo, reset_parent: bool) -> bool:
    home = display(join_rel(manifest.root, item.rel))
    merge = Merge("rename" if p.same_fs() else "copy", secrets.token_hex(6))
    item.prior, item.state, item.way, item.token = item.state, "restoring", merge.way, merge.token
    manifest.note(item)
    try:
        put_back(p, merge)
    finally:
        item.state = item.prior
        if not merge.conflicts and not safefs.lexists(p.q, p.name):
            item.state = "restored"
        manifest.note(item)
    if item.state != "restored":
        echo(f"error: not restored entirely: {home}: {len(merge.conflicts)} entr(y/ies) differ from what is in "
             f"place now (first: {display(merge.conflicts[0] if merge.conflicts else '.')}); both versions are "
             "kept, the quarantined one in the quarantine folder")
        return False
    if reset_parent and item.parent_before is not None:
        st = os.fstat(p.tree)
        os.utime(p.tree, ns=(st.st_atime_ns, item.parent_before))
    echo(f"restored {home}")
    return True


def _report_unrecorded(manifest: Manifest, echo: Echo) -> int:
    """Report every entry in DIR that no record accounts for (an item the manifest lost, a stray file)."""
    held = {i.rel for i in manifest.items if i.state != "restored"}
    folders = {"/".join(i.parts[:n]) for i in manifest.items for n in range(1, len(i.parts))}
    count = 0
    stack = [""]
    while stack:
        prefix = stack.pop()
        for name in sorted(os.listdir(join_rel(manifest.folder, prefix))):
            rel = f"{prefix}/{name}" if prefix else name
            if rel in (MANIFEST_NAME, JOURNAL_NAME) or rel in held:
                continue
            if rel in folders and os.path.isdir(join_rel(manifest.folder, rel)) and not os.path.islink(
                    join_rel(manifest.folder, rel)):
                stack.append(rel)
                continue
            echo(f"error: {display(join_rel(manifest.folder, rel))} is in the quarantine folder but not in its "
                 "manifest: left there, restore it by hand")
            count += 1
    return count
