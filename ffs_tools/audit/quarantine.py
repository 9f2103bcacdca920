"""``--quarantine DIR`` and ``--restore MANIFEST``: move findings aside, put them back. Nothing is deleted.

Items keep their relative path below DIR, and ``DIR/ffs-quarantine.json``
(the manifest) says where each one is. Every step is recorded before and
after it happens, with atomic manifest writes, so a crash at any moment
leaves each item in a state the manifest names:

* ``pending``: the intent is recorded; the item is still in place (or, if
  the crash hit right after the rename, already in DIR: restore checks the
  disk, not only the manifest);
* ``copied`` (only across file systems): a complete copy is in DIR and the
  original is being removed; restore first finishes that removal, after
  checking that what is left is part of the copy;
* ``moved``: in DIR; ``restored``: back in place.

On one file system an item moves with one ``rename`` (atomic). Across file
systems it is copied to a temporary name in DIR, with modes and times,
renamed to its place there, and only then removed from the tree. Restore
refuses to overwrite anything that now exists at an item's original place,
and resets each parent folder's modification time when nothing else
touched the folder meanwhile, so a quarantine and a restore give back the
tree exactly.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from ffs_tools.audit.checks import Hit
from ffs_tools.audit.rules.ffs707_symlink_escape import within
from ffs_tools.errors import UserError
from ffs_tools.fsutil import atomic_write, display

MANIFEST_NAME = "ffs-quarantine.json"
_PARTIAL = ".ffs-partial"

Echo = Callable[[str], None]


@dataclass
class Item:
    rel: str
    code: str
    kind: str
    state: str
    #: the parent folder's mtime (ns) before the move and right after it
    parent_before: int | None = None
    parent_after: int | None = None


@dataclass
class Manifest:
    path: str
    root: str
    items: list[Item]

    @property
    def folder(self) -> str:
        return os.path.dirname(self.path)

    def save(self) -> None:
        doc = {"version": 1, "tool": "ffs-tools audit-gpu", "root": _enc(self.root),
               "items": [{**asdict(i), "rel": _enc(i.rel)} for i in self.items]}
        atomic_write(Path(self.path), (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))

    @classmethod
    def load(cls, path: str) -> Manifest:
        if os.path.isdir(path):
            path = os.path.join(path, MANIFEST_NAME)
        try:
            with open(path, "rb") as fh:
                doc = json.loads(fh.read().decode("utf-8"))
            items = [Item(**{**i, "rel": _dec(i["rel"])}) for i in doc["items"]]
            return cls(os.path.abspath(path), _dec(doc["root"]), items)
        except FileNotFoundError:
            raise UserError("no such manifest", display(path)) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UserError(f"not a quarantine manifest: {exc}", display(path)) from None


def _enc(path: str) -> dict[str, str]:
    """A path for JSON: the text, plus the exact bytes in hex when the name is not UTF-8."""
    raw = os.fsencode(path)
    try:
        return {"text": raw.decode("utf-8")}
    except UnicodeDecodeError:
        return {"text": display(path), "hex": raw.hex()}


def _dec(value: dict[str, str]) -> str:
    return os.fsdecode(bytes.fromhex(value["hex"])) if "hex" in value else value["text"]


def check_outside(root_real: str, qdir: str) -> str:
    """DIR's real path; refuse a DIR inside the audited tree (the next sync would carry it back)."""
    q = os.path.realpath(qdir)
    if within(q, root_real) or within(root_real, q):
        raise UserError("--quarantine: DIR must lie outside the audited folder (a DIR inside it would travel "
                        "with the next sync; one that contains it would mix the two)", display(qdir))
    if os.path.lexists(q) and not os.path.isdir(q):
        raise UserError("--quarantine: DIR exists and is not a folder", display(qdir))
    return q


def quarantine(root_real: str, qdir: str, hits: Iterable[Hit], dry_run: bool, echo: Echo,
               copy: bool = False) -> int:
    """Move the hits' items from the tree into ``qdir``; return the number that could not be moved.
    ``copy`` forces the across-file-systems way (copy, then remove), for tests."""
    q = check_outside(root_real, qdir)
    targets = list(hits)
    if dry_run:
        for h in targets:
            echo(f"would move {display(join_rel(root_real, h.rel))} -> {display(join_rel(q, h.rel))}")
        return 0
    os.makedirs(q, exist_ok=True)
    manifest = _open_manifest(q, root_real)
    failed = 0
    for h in targets:
        if not _move_out(manifest, h, echo, copy):
            failed += 1
    echo(f"manifest: {display(manifest.path)} (restore with: ffs-tools audit-gpu --restore "
         f"{display(manifest.path)})")
    return failed


def _open_manifest(q: str, root_real: str) -> Manifest:
    path = os.path.join(q, MANIFEST_NAME)
    if not os.path.exists(path):
        return Manifest(path, root_real, [])
    manifest = Manifest.load(path)
    if manifest.root != root_real:
        raise UserError(f"--quarantine: DIR already holds items of another tree ({display(manifest.root)}); "
                        "choose another DIR", display(q))
    return manifest


def _move_out(manifest: Manifest, hit: Hit, echo: Echo, copy: bool) -> bool:
    src, dst = join_rel(manifest.root, hit.rel), join_rel(manifest.folder, hit.rel)
    if os.path.lexists(dst):
        echo(f"error: not moved: {display(dst)} already exists in the quarantine folder")
        return False
    parent = os.path.dirname(src)
    try:
        before = os.stat(parent).st_mtime_ns
        os.lstat(src)
    except FileNotFoundError:
        echo(f"note: {display(src)} is gone already (nothing to move)")
        return True
    item = Item(hit.rel, hit.code, hit.kind, "pending", before)
    manifest.items = [i for i in manifest.items if not (i.rel == hit.rel and i.state == "restored")] + [item]
    manifest.save()  # the intent, before anything moves

    def copied() -> None:
        item.state = "copied"
        manifest.save()

    try:
        move(src, dst, copied, copy)
    except OSError as exc:
        if item.state == "pending":  # nothing moved: forget the intent
            manifest.items.remove(item)
            manifest.save()
            echo(f"error: not moved: {display(src)}: {exc.strerror or exc}")
        else:
            echo(f"error: {display(src)} is complete in the quarantine folder but could not be removed from "
                 f"the tree ({exc.strerror or exc}); --restore puts it back")
        return False
    item.state, item.parent_after = "moved", mtime_ns(parent)
    manifest.save()
    echo(f"moved {display(src)} -> {display(dst)}")
    return True


def move(src: str, dst: str, copied: Callable[[], None], copy: bool = False) -> None:
    """Move ``src`` to ``dst`` (which must not exist): one ``rename`` on the same file system, else copy
    with modes and times to a temporary name beside ``dst``, rename it into place, call ``copied()``,
    and only then remove ``src``."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if not copy:
        try:
            os.rename(src, dst)
            return
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
    tmp = os.path.join(os.path.dirname(dst), f".{os.path.basename(dst)}{_PARTIAL}")
    if os.path.lexists(tmp):
        raise OSError(errno.EEXIST, f"a partial copy from an earlier run is in the way: {display(tmp)}")
    try:
        _copy(src, tmp)
    except BaseException:
        remove_item(tmp)  # our own incomplete copy; the original is untouched
        raise
    os.rename(tmp, dst)
    copied()
    remove_item(src)


def _copy(src: str, dst: str) -> None:
    st = os.lstat(src)
    if stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(src), dst)
        os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
    elif stat.S_ISDIR(st.st_mode):
        shutil.copytree(src, dst, symlinks=True, copy_function=shutil.copy2)
    else:
        shutil.copy2(src, dst, follow_symlinks=False)


def remove_item(path: str) -> None:
    if not os.path.lexists(path):
        return
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def join_rel(base: str, rel: str) -> str:
    return os.path.join(base, *rel.split("/")) if rel else base


def mtime_ns(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None
