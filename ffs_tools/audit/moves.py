"""One item out of the tree into DIR and back, journaled in the manifest (states: see
:mod:`ffs_tools.audit.manifest`), and :func:`recover`, which finishes or rolls back what a crash left.

On one file system an item moves with one ``renameat2(RENAME_NOREPLACE)``.
Across file systems it is copied into DIR under a staging name, checked
against the original entry by entry, renamed into place in DIR, and only
then are the original's entries removed, each one only if it is still the
entry that was copied. Putting back works the same way in the other
direction and merges: entries already in place and identical are dropped
from DIR, entries that differ stay in both places and are reported.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ffs_tools.audit import safefs
from ffs_tools.audit.fault import step
from ffs_tools.audit.manifest import Echo, Item, Manifest, join_rel
from ffs_tools.audit.rules._hit import Hit
from ffs_tools.fsutil import display


@dataclass
class Place:
    """An item's parent folder, opened without following links, in the tree (``tree``) and in DIR (``q``)."""

    tree: int
    q: int
    name: str

    def same_fs(self) -> bool:
        return os.fstat(self.tree).st_dev == os.fstat(self.q).st_dev


@contextmanager
def place(manifest: Manifest, rel: str, create_tree: bool = False, create_q: bool = False) -> Iterator[Place]:
    parts = rel.split("/")
    tree = safefs.open_dir(manifest.root, parts[:-1], create_tree)
    try:
        q = safefs.open_dir(manifest.folder, parts[:-1], create_q)
    except BaseException:
        os.close(tree)
        raise
    try:
        yield Place(tree, q, parts[-1])
    finally:
        os.close(tree)
        os.close(q)


def why(exc: OSError) -> str:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return "a parent folder is a symbolic link or not a folder (never followed)"
    return exc.strerror or str(exc)


def move_out(manifest: Manifest, hit: Hit, echo: Echo, copy: bool) -> bool:
    """Move one finding's item into DIR; False (and a line) when it could not be moved entirely."""
    src, dst = join_rel(manifest.root, hit.rel), join_rel(manifest.folder, hit.rel)
    parts = hit.rel.split("/")
    try:
        tree = safefs.open_dir(manifest.root, parts[:-1])
        try:
            if not safefs.lexists(tree, parts[-1]):
                echo(f"note: {display(src)} is gone already (nothing to move)")
                return True
            if os.path.lexists(dst):
                echo(f"error: not moved: {display(dst)} already exists in the quarantine folder")
                return False
            same_fs = os.fstat(tree).st_dev == os.stat(manifest.folder).st_dev
            item = Item(hit.rel, hit.code, hit.kind, "pending", os.fstat(tree).st_mtime_ns,
                        way="rename" if same_fs and not copy else "copy", token=secrets.token_hex(6))
            manifest.items = [i for i in manifest.items if i.rel != hit.rel] + [item]
            manifest.note(item)  # the intent, before anything moves or DIR gets a folder for it
            done = _out(manifest, item, tree, echo)
        finally:
            os.close(tree)
    except OSError as exc:
        echo(f"error: not moved: {display(src)}: {why(exc)}")
        return False
    if done:
        echo(f"moved {display(src)} -> {display(dst)}")
    return done


def _out(manifest: Manifest, item: Item, tree: int, echo: Echo) -> bool:
    try:
        q = safefs.open_dir(manifest.folder, item.parts[:-1], create=True)
    except OSError:
        _drop(manifest, item)
        raise
    try:
        p = Place(tree, q, item.parts[-1])
        return _rename_out(manifest, item, p) if item.way == "rename" else _copy_out(manifest, item, p, echo)
    finally:
        os.close(q)


def _drop(manifest: Manifest, item: Item) -> None:
    """The item did not move after all: forget its record, remove the folders made for it in DIR."""
    manifest.forget(item)
    prune_parents(manifest.folder, item.rel)


def _rename_out(manifest: Manifest, item: Item, p: Place) -> bool:
    try:
        safefs.rename_noreplace(p.tree, p.name, p.q, p.name)
    except OSError:
        _drop(manifest, item)
        raise
    item.state, item.parent_after = "moved", os.fstat(p.tree).st_mtime_ns
    manifest.note(item)
    return True


def _copy_out(manifest: Manifest, item: Item, p: Place, echo: Echo) -> bool:
    inventory: safefs.Inventory = {}
    try:
        safefs.copy_entry(p.tree, p.name, p.q, item.staging, inventory)
        item.state = "copied"
        manifest.note(item)
        if not _unchanged(p.tree, p.name, inventory):
            raise OSError(errno.EAGAIN, "it changed while it was copied; left in place, run again")
        safefs.rename_noreplace(p.q, item.staging, p.q, p.name)
    except OSError:
        safefs.remove_own(p.q, item.staging)  # our copy; the original is untouched
        _drop(manifest, item)
        raise
    item.state = "verified"
    manifest.note(item)
    return finish_out(manifest, item, p, echo, inventory)


def finish_out(manifest: Manifest, item: Item, p: Place, echo: Echo, inventory: safefs.Inventory | None) -> bool:
    """Remove the original's entries that match the complete copy in DIR; what differs stays in place."""
    result = safefs.Removal()
    safefs.remove_matching(p.tree, p.name, p.q, p.name, result, inventory)
    item.parent_after = os.fstat(p.tree).st_mtime_ns
    item.state = "partial" if result.kept else "moved"
    manifest.note(item)
    if result.kept:
        src = join_rel(manifest.root, item.rel)
        echo(f"error: partly moved: {display(src)}: {len(result.kept)} entr(y/ies) changed after the copy stayed "
             f"in place (first: {display(result.kept[0])}); the complete copy is in the quarantine folder, "
             "--restore merges the two")
    return not result.kept


def _unchanged(fd: int, name: str, inventory: safefs.Inventory) -> bool:
    """Whether the original is still exactly what was copied: same entries, each the same inode, size, time."""
    seen = {"": safefs.entry_id(fd, name)}
    if seen[""] is None:
        return False
    if safefs.is_dir_id(seen[""]):
        sub = safefs.open_dir_at(fd, name)
        try:
            for rel, ident in safefs.walk_names(sub):
                seen[rel] = ident
        finally:
            os.close(sub)
    return seen == inventory


# -- back -------------------------------------------------------------------------------------------


@dataclass
class Merge:
    """What putting one item back did: entries that stay in DIR because the tree has another version."""

    way: str
    token: str
    conflicts: list[str] = field(default_factory=list)


def put_back(p: Place, merge: Merge) -> None:
    """Merge DIR's entry into the tree's (journaled by the caller as ``restoring``)."""
    _merge(p.q, p.name, p.tree, p.name, merge, "")


def _merge(q_fd: int, q_name: str, t_fd: int, t_name: str, m: Merge, rel: str) -> None:
    if not safefs.lexists(q_fd, q_name):
        return
    if not safefs.lexists(t_fd, t_name):
        _bring(q_fd, q_name, t_fd, t_name, m, rel)
        return
    q_id, t_id = safefs.entry_id(q_fd, q_name), safefs.entry_id(t_fd, t_name)
    if safefs.is_dir_id(q_id) and safefs.is_dir_id(t_id):
        qs, ts = safefs.open_dir_at(q_fd, q_name), safefs.open_dir_at(t_fd, t_name)
        try:
            st = os.fstat(qs)  # the original folder's times, kept by the copy
            for child in sorted(os.listdir(qs)):
                _merge(qs, child, ts, child, m, f"{rel}/{child}" if rel else child)
            left = os.listdir(qs)
        finally:
            os.close(qs)
            os.close(ts)
        if not left:
            step(f"rmdir quarantined {rel or q_name}")
            os.rmdir(q_name, dir_fd=q_fd)
            os.utime(t_name, ns=(st.st_atime_ns, st.st_mtime_ns), dir_fd=t_fd, follow_symlinks=False)
        return
    if safefs.same(q_fd, q_name, t_fd, t_name):
        step(f"unlink duplicate {rel or q_name}")
        os.unlink(q_name, dir_fd=q_fd)  # the very same entry is in place: DIR's is a duplicate
        return
    m.conflicts.append(rel or ".")


def _bring(q_fd: int, q_name: str, t_fd: int, t_name: str, m: Merge, rel: str) -> None:
    """Put an entry that is missing in the tree back: a rename, or a copy under a staging name, then the
    copy's rename into place, then the removal of DIR's entries that match."""
    if m.way == "rename":
        safefs.rename_noreplace(q_fd, q_name, t_fd, t_name)
        return
    staging = f".{t_name}.{m.token}.ffs-partial"
    inventory: safefs.Inventory = {}
    try:
        safefs.copy_entry(q_fd, q_name, t_fd, staging, inventory)
        safefs.rename_noreplace(t_fd, staging, t_fd, t_name)
    except OSError:
        safefs.remove_own(t_fd, staging)
        raise
    result = safefs.Removal()
    safefs.remove_matching(q_fd, q_name, t_fd, t_name, result, inventory)
    m.conflicts.extend(f"{rel}/{k}" if rel and k != "." else (rel or k) for k in result.kept or [])


def part_of(p: Place) -> bool:
    """Whether every entry of the item in DIR is in place, identical (a restore interrupted after the copy
    reached its place): then putting back only drops DIR's duplicates."""
    if not safefs.same(p.q, p.name, p.tree, p.name):
        return False
    if not safefs.is_dir_id(safefs.entry_id(p.q, p.name)):
        return True
    q, t = safefs.open_dir_at(p.q, p.name), safefs.open_dir_at(p.tree, p.name)
    try:
        return all(safefs.same(q, rel, t, rel) for rel, _ in safefs.walk_names(q))
    finally:
        os.close(q)
        os.close(t)


def prune_empty(manifest: Manifest) -> None:
    """Remove the folders made in DIR for items that are not there (``rmdir`` only: never any data)."""
    for item in manifest.items:
        prune_parents(manifest.folder, item.rel)


def prune_parents(folder: str, rel: str) -> None:
    parts = rel.split("/")[:-1]
    while parts:
        try:
            os.rmdir(join_rel(folder, "/".join(parts)))
        except OSError:
            return
        parts.pop()
