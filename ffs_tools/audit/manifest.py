"""The quarantine manifest ``DIR/ffs-quarantine.json``: the journal of every move, and the lock on DIR.

Each item goes through recorded states, every one written (atomically,
under an exclusive ``flock`` on DIR) before the disk changes::

    quarantine, one file system:   pending -> moved
    quarantine, across:            pending -> copied -> verified -> moved | partial
    restore:                       restoring -> restored (or back to moved | partial)

``pending``: the intent (the item is in place, or just renamed into DIR);
``copied``: a complete copy is in DIR, the original untouched; ``verified``:
the copy matched the original entry by entry, so the original's entries are
being removed (only those that still match); ``partial``: entries changed
after the copy stayed in place, the complete copy is in DIR. Copies are made
under a staging name carrying the item's ``token``
(``.NAME.TOKEN.ffs-partial``) so a crash leaves nothing that looks finished.

The manifest is data from disk, not trusted: DIR and the manifest must
belong to the user and be writable by nobody else, the tree's root must be
the very folder recorded (device and inode), and each item's ``rel`` must be
a plain relative path (no ``..``, no absolute path, no NUL, no empty part).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ffs_tools.audit.fault import step
from ffs_tools.audit.rules.ffs705_ffs_leftover import PARTIAL_SUFFIX
from ffs_tools.errors import UserError
from ffs_tools.fsutil import atomic_write, display

MANIFEST_NAME = "ffs-quarantine.json"
#: beside the manifest: one JSON line per state change since the manifest's last full write
JOURNAL_NAME = "ffs-quarantine.journal"
STATES = ("pending", "copied", "verified", "moved", "partial", "restoring", "restored")

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
    #: "rename" (one file system) or "copy"; the staging name's token; the state before a restore began
    way: str | None = None
    token: str | None = None
    prior: str | None = None

    @property
    def parts(self) -> list[str]:
        return self.rel.split("/")

    @property
    def staging(self) -> str:
        return f".{self.parts[-1]}.{self.token}{PARTIAL_SUFFIX}"


@dataclass
class Manifest:
    path: str
    root: str
    items: list[Item]
    root_id: list[int] | None = None
    #: items that failed validation: kept as they are, reported, never acted on
    refused: list[tuple[dict[str, Any], str]] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return os.path.dirname(self.path)

    @property
    def journal(self) -> str:
        return os.path.join(self.folder, JOURNAL_NAME)

    def save(self) -> None:
        """Write the whole manifest atomically, then remove the journal it now contains (a crash in
        between only replays records the manifest already has)."""
        step(f"save manifest ({len(self.items)} items)")
        items = [_record(i) for i in self.items] + [raw for raw, _ in self.refused]
        doc = {"version": 2, "tool": "ffs-tools audit-gpu", "root": _enc(self.root), "root_id": self.root_id,
               "items": items}
        atomic_write(Path(self.path), (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
                     0o600)
        with contextlib.suppress(FileNotFoundError):
            step("remove journal")
            os.unlink(self.journal)

    def note(self, item: Item) -> None:
        """Record one item's new state: a line appended to the journal and flushed to disk (cheap, and no
        earlier record is ever rewritten)."""
        if item not in self.items:
            self.items.append(item)
        self._append(_record(item))

    def forget(self, item: Item) -> None:
        """Record that ``item`` never moved after all."""
        self.items.remove(item)
        self._append({"rel": _enc(item.rel), "forget": True})

    def _append(self, record: dict[str, Any]) -> None:
        step(f"journal {record.get('state', 'forget')}")
        fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def live(self, rel: str) -> Item | None:
        """The item for ``rel`` that is not restored, if any."""
        return next((i for i in self.items if i.rel == rel and i.state != "restored"), None)

    @classmethod
    def load(cls, path: str) -> Manifest:
        if os.path.isdir(path):
            path = os.path.join(path, MANIFEST_NAME)
        try:
            with open(path, "rb") as fh:
                doc = json.loads(fh.read().decode("utf-8"))
            root = _dec(doc["root"])
            raw_items = doc["items"]
            if not isinstance(raw_items, list):
                raise TypeError("items is not a list")
        except FileNotFoundError:
            raise UserError("no such manifest", display(path)) from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise UserError(f"not a quarantine manifest: {exc}", display(path)) from None
        for record in _journal(os.path.join(os.path.dirname(path), JOURNAL_NAME)):
            raw_items = [r for r in raw_items if not (isinstance(r, dict) and r.get("rel") == record["rel"])]
            if not record.get("forget"):
                raw_items.append(record)
        root_id = doc.get("root_id")
        manifest = cls(os.path.abspath(path), root,  [],
                       root_id if isinstance(root_id, list) and len(root_id) == 2 else None)
        for raw in raw_items:
            item, problem = _item(raw, doc.get("version") == 1)
            if item is None:
                manifest.refused.append((raw, problem))
            else:
                manifest.items.append(item)
        return manifest


_NAMES = {f.name: f.type for f in fields(Item)}


def _record(item: Item) -> dict[str, Any]:
    return {**{name: getattr(item, name) for name in _NAMES}, "rel": _enc(item.rel)}


def _journal(path: str) -> list[dict[str, Any]]:
    """The journal's complete records (a crash may cut the last line: it never happened)."""
    try:
        with open(path, "rb") as fh:
            lines = fh.read().split(b"\n")[:-1]
    except FileNotFoundError:
        return []
    records = []
    for line in lines:
        try:
            record = json.loads(line.decode("utf-8"))
        except ValueError:
            continue
        if isinstance(record, dict) and "rel" in record:
            records.append(record)
    return records


def _item(raw: object, v1: bool) -> tuple[Item | None, str]:
    """An item from JSON, or None and why not."""
    if not isinstance(raw, dict):
        return None, "not an object"
    try:
        rel = _dec(raw["rel"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None, "no readable 'rel'"
    problem = bad_rel(rel)
    if problem:
        return None, f"rel '{display(rel)}': {problem}"
    values = {k: v for k, v in raw.items() if k in _NAMES and k != "rel"}
    for key in ("code", "kind", "state"):
        if not isinstance(values.get(key), str):
            return None, f"{display(rel)}: '{key}' is missing or not text"
    for key in ("parent_before", "parent_after"):
        if not isinstance(values.get(key), (int, type(None))) or isinstance(values.get(key), bool):
            return None, f"{display(rel)}: '{key}' is not a whole number"
    for key in ("way", "token", "prior"):
        if not isinstance(values.get(key), (str, type(None))):
            return None, f"{display(rel)}: '{key}' is not text"
    if values["state"] not in STATES or values.get("way") not in (None, "rename", "copy"):
        return None, f"{display(rel)}: unknown state or way"
    token = values.get("token")
    if token is not None and not (token.isalnum() and token.isascii()):
        return None, f"{display(rel)}: 'token' is not letters and digits"
    if v1 and values["state"] == "copied":  # version 1: a complete copy in DIR, the original being removed
        values["state"] = "verified"
    return Item(rel=rel, **values), ""


def bad_rel(rel: str) -> str:
    """Why ``rel`` is not a plain relative path below a folder ('' when it is)."""
    if not rel:
        return "empty"
    if "\0" in rel:
        return "contains a NUL character"
    if rel.startswith("/"):
        return "an absolute path"
    if any(p in ("", ".", "..") for p in rel.split("/")):
        return "has an empty, '.' or '..' part"
    return ""


def _enc(path: str) -> dict[str, str]:
    """A path for JSON: the text, plus the exact bytes in hex when the name is not UTF-8."""
    raw = os.fsencode(path)
    try:
        return {"text": raw.decode("utf-8")}
    except UnicodeDecodeError:
        return {"text": display(path), "hex": raw.hex()}


def _dec(value: dict[str, str]) -> str:
    if "hex" in value:
        return os.fsdecode(bytes.fromhex(value["hex"]))
    text = value["text"]
    if not isinstance(text, str):
        raise TypeError("a path is not text")
    return text


def check_private(path: str, what: str) -> None:
    """Refuse ``path`` unless it belongs to this user and nobody else may write it: a manifest another
    user can edit could send a restore anywhere."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise UserError(f"{what} is a symbolic link; refusing to follow it (give the real one)", display(path))
    if st.st_uid != os.geteuid() or st.st_mode & 0o022:
        raise UserError(f"{what} can be written by another user (owner uid {st.st_uid}, mode "
                        f"{st.st_mode & 0o7777:o}); refusing to trust it: check its content, then make it "
                        "yours and not writable by group or others", display(path))


@contextmanager
def locked(folder: str, echo: Echo) -> Iterator[None]:
    """Hold an exclusive lock on DIR for one quarantine or restore: the next one waits, so the manifest
    is read after the last one wrote it and no record is lost."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            echo(f"note: waiting for another quarantine or restore using {display(folder)}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def root_identity(root: str) -> list[int]:
    st = os.stat(root)
    return [st.st_dev, st.st_ino]


def join_rel(base: str, rel: str) -> str:
    return os.path.join(base, *rel.split("/")) if rel else base
