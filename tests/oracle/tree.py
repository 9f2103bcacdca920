"""Trees as data, and what a plan's actions do to them: the oracle's expected side.

A :data:`Tree` maps every relative POSIX path under a base folder (no trailing ``/``) to an
:class:`Item`. ``snapshot`` reads one from disk; ``apply_actions`` is a pure function that
plays a plan's actions (the JSON contract in ``ffs_tools/plan/model.py``) on the two trees of
a folder pair, so that ``apply_actions(before) == snapshot(after the real run)`` is the
oracle's test.

Action semantics (what FreeFileSync does for each operation, ``base/synchronization.cpp``):

- ``create-X``: the other side's item is copied to side X (a folder alone, without its
  contents: the contents are actions of their own), with its size, content and time, under the
  source's name: an item of exactly that name already there is an error (FreeFileSync's "Cannot
  create ...: EEXIST"), one whose name differs in case stays next to it (Linux file systems);
- ``update-X``: side X's item is replaced by the other side's one; it takes the source's name
  (FreeFileSync carries over a difference in case), in the target's existing parent folder;
  for a folder only its name changes; the target must hold an item of the same kind;
- ``delete-X``: side X's item goes, a folder with everything inside;
- ``move-X``: side X's item at ``from`` is renamed to ``path``, keeping its content and time.

Items are looked up case- and normalisation-insensitively, as FreeFileSync pairs them.
Conflicting items are not in ``actions`` and so stay as they were.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: files FreeFileSync keeps in a base folder for itself: not the user's data
SKIPPED = frozenset({".sync.ffs_db", "sync.ffs_lock"})


@dataclass(frozen=True)
class Item:
    """One file or folder: kind, and for files size, content hash and modification second."""

    kind: str  # "file" | "folder" | "symlink"
    size: int = 0
    digest: str = ""
    mtime: int = 0

    def describe(self) -> str:
        if self.kind != "file":
            return self.kind
        return f"file {self.size} B {self.digest[:8]} t={self.mtime}"


Tree = dict[str, Item]


def snapshot(root: Path) -> Tree:
    """Every item under ``root`` except FreeFileSync's own database and lock files."""
    out: Tree = {}
    if not root.is_dir():
        return out
    _walk(root, "", out)
    return out


def _walk(folder: Path, prefix: str, out: Tree) -> None:
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        if not prefix and entry.name in SKIPPED:
            continue
        rel = prefix + entry.name
        if entry.is_symlink():
            out[rel] = Item("symlink", digest=os.readlink(entry.path))
        elif entry.is_dir():
            out[rel] = Item("folder")
            _walk(Path(entry.path), rel + "/", out)
        else:
            data = Path(entry.path).read_bytes()
            st = entry.stat()
            out[rel] = Item("file", len(data), hashlib.sha256(data).hexdigest(), st.st_mtime_ns // 1_000_000_000)


def fold(path: str) -> str:
    """The key FreeFileSync pairs names by: case- and normalisation-insensitive."""
    return unicodedata.normalize("NFC", path).casefold()


def lookup(tree: Tree, path: str) -> str | None:
    """The actual key of ``path`` in ``tree`` (exact first, then case/normalisation-insensitive)."""
    path = path.rstrip("/")
    if path in tree:
        return path
    want = fold(path)
    for key in tree:
        if fold(key) == want:
            return key
    return None


def _parent(key: str) -> str:
    return key.rsplit("/", 1)[0] if "/" in key else ""


def _leaf(key: str) -> str:
    return key.rsplit("/", 1)[-1]


def _target_key(target: Tree, path: str, leaf: str) -> str:
    """Where an item named ``leaf`` lands for ``path`` on the target: inside the target's own parent folder."""
    parent = _parent(path.rstrip("/"))
    if not parent:
        return leaf
    actual = lookup(target, parent)
    return f"{actual if actual is not None else parent}/{leaf}"


def _remove(tree: Tree, key: str) -> None:
    """Remove ``key`` and, for a folder, everything inside."""
    tree.pop(key, None)
    for k in [k for k in tree if k.startswith(key + "/")]:
        del tree[k]


def _rename(tree: Tree, old: str, new: str) -> None:
    """Rename ``old`` (and what is inside it) to ``new``."""
    moved = {k: v for k, v in tree.items() if k == old or k.startswith(old + "/")}
    for k in moved:
        del tree[k]
    for k, v in moved.items():
        tree[new + k[len(old):]] = v


class ApplyError(Exception):
    """An action that cannot be applied to the trees (the plan disagrees with the disk before the run)."""


def apply_actions(left: Tree, right: Tree, actions: list[dict[str, Any]]) -> tuple[Tree, Tree]:
    """The two trees after ``actions`` (JSON action objects), in order; the inputs are not changed."""
    trees = {"left": dict(left), "right": dict(right)}
    for action in actions:
        verb, side = action["op"].split("-")
        target, source = trees[side], trees["right" if side == "left" else "left"]
        _apply_one(verb, action, target, source)
    return trees["left"], trees["right"]


def _apply_one(verb: str, action: dict[str, Any], target: Tree, source: Tree) -> None:
    path: str = action["path"]
    if verb == "delete":
        key = lookup(target, path)
        if key is None:
            raise ApplyError(f"{action}: nothing to delete")
        _remove(target, key)
    elif verb == "move":
        old = lookup(target, action["from"])
        if old is None:
            raise ApplyError(f"{action}: nothing to move")
        _rename(target, old, _target_key(target, path, _leaf(path.rstrip("/"))))
    elif verb in ("create", "update"):
        src = lookup(source, path)
        if src is None:
            raise ApplyError(f"{action}: no source item")
        new = _target_key(target, path, _leaf(src))
        if verb == "create":
            if new in target:
                raise ApplyError(f"{action}: the target already has {target[new].kind} {new}")
            target[new] = source[src]  # next to a name that differs only in case, as on Linux
            return
        old = lookup(target, path)
        if old is None or target[old].kind != source[src].kind:
            raise ApplyError(f"{action}: no {source[src].kind} to update on the target")
        if source[src].kind == "folder":
            _rename(target, old, new)  # a folder's update: its name (case) only
            return
        _remove(target, old)
        target[new] = source[src]
    else:
        raise ApplyError(f"{action}: unknown op")


def diff(expected: Tree, actual: Tree) -> list[str]:
    """Readable differences, one line each (empty when equal)."""
    lines = []
    for key in sorted(set(expected) | set(actual)):
        e, a = expected.get(key), actual.get(key)
        if e == a:
            continue
        lines.append(f"  {key}: expected {e.describe() if e else 'absent'}, real run left "
                     f"{a.describe() if a else 'absent'}")
    return lines
