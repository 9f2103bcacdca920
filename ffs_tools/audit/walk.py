"""A streaming, iterative folder walk for trees of millions of files.

``audit-gpu`` runs on GPU machines whose working folders hold datasets and
checkpoints, so the walk is built for size and for hostile trees:

* iterative (an explicit stack, no recursion limit), one ``os.scandir`` per
  folder, the folder's listing closed before its sub-folders are entered, so
  at most one folder is open at a time; memory grows with the depth of the
  tree (and the sub-folders waiting on the current path), never with the
  number of files;
* symbolic links are never followed: ``DirEntry.is_dir(follow_symlinks=False)``
  comes from the ``d_type`` of the listing, no ``stat`` per entry;
* only entries whose FreeFileSync-normalised name is in the visitor's
  :attr:`Visitor.names` or ends with one of its :attr:`Visitor.suffixes`
  (and every symbolic link) reach the visitor; everything else costs one set
  lookup;
* files and folders that vanish during the walk are counted, not fatal; any
  other error listing a folder goes to :meth:`Visitor.folder_error` (the
  audit turns it into a finding, never silence);
* names that are not UTF-8 are kept as ``str`` with surrogate escapes
  (``os.fsdecode``) so they round-trip to the disk; :func:`display` prints
  them escaped;
* folders whose path exceeds the system's path length limit are opened
  step by step relative to their ancestors (``openat``), so depth is no limit;
* another file system (the GPU machine over SFTP) comes in as a
  :data:`Lister`: the same hot loop and visitor, other listings.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress, islice
from typing import Any, Protocol, TextIO

from ffs_tools.audit.fs import Entry
from ffs_tools.filtering.engine import normalize
from ffs_tools.fsutil import LONG_PATH, display, open_long

#: entries handled at a time: bounds the memory a huge folder takes while it is listed
CHUNK = 4096

_VANISHED = (errno.ENOENT, errno.ENOTDIR)


class Lister(Protocol):
    """Lists the folders of another file system (the GPU machine over SFTP); None: this machine's disk."""

    def __call__(self, folder: Folder) -> Iterable[Entry]:
        """All entries of ``folder`` (raises ``OSError``)."""

    def ahead(self, stack: list[Folder]) -> None:
        """The walk's stack after a folder is done (its top is walked next): a chance to read ahead."""


@dataclass(frozen=True)
class Folder:
    """A folder being listed: its path relative to the root (POSIX, ``""`` = the root) and on disk."""

    rel: str
    path: str
    #: bits the visitor attached to this folder (see :meth:`Visitor.entry` and :meth:`Visitor.folder_done`)
    flags: int = 0

    def child_rel(self, name: str) -> str:
        return f"{self.rel}/{name}" if self.rel else name


class Visitor(Protocol):
    """What the walk reports to. The audit is one; tests may bring their own."""

    #: FreeFileSync-normalised (upper-case) names the visitor wants to see
    names: frozenset[str]
    #: normalised name endings the visitor wants to see
    suffixes: tuple[str, ...]
    #: True: every entry reaches :meth:`entry` (a filter that cannot be judged from names alone)
    every_entry: bool

    def entry(self, folder: Folder, entry: Entry, key: str, is_dir: bool) -> int | None:
        """An interesting entry. For a folder: the flags to enter it with, or ``None`` to not enter it."""

    def folder_done(self, folder: Folder, listed: bool) -> int:
        """The folder's listing is complete (``listed`` False: it could not be read). Returns flags for
        its sub-folders (ORed with what :meth:`entry` returned for each)."""

    def folder_error(self, folder: Folder, exc: OSError) -> None:
        """The folder (or the rest of its listing) could not be read."""


@dataclass
class WalkStats:
    entries: int = 0
    folders: int = 0
    #: entries that disappeared between being listed and being looked at
    vanished: int = 0

    def add(self, other: WalkStats) -> None:
        self.entries += other.entries
        self.folders += other.folders
        self.vanished += other.vanished


@dataclass
class Progress:
    """A progress line on ``stream`` (stderr) once the walk takes longer than ``delay`` seconds.

    Only when the stream is a terminal: redirected output stays clean.
    """

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    delay: float = 1.0
    interval: float = 0.2
    enabled: bool = field(init=False)
    _start: float = field(init=False, default_factory=time.monotonic)
    _next: float = field(init=False, default=0.0)
    _shown: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        self._next = self._start + self.delay

    def update(self, stats: WalkStats, rel: str) -> None:
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + self.interval
        self._shown = True
        where = display(rel) or "."
        line = f"audit-gpu: {stats.entries:,} entries in {stats.folders:,} folders, {now - self._start:.0f}s  {where}"
        self.stream.write("\r\x1b[K" + line[:150])
        self.stream.flush()

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def walk(root: str, visitor: Visitor, progress: Progress | None = None, lister: Lister | None = None) -> WalkStats:
    """Walk the tree at ``root`` (not entered through a symbolic link) depth-first, in this process."""
    stats = WalkStats()
    stack: list[Folder] = [Folder("", root, 0)]
    show = progress is not None and progress.enabled
    while stack:
        folder = stack.pop()
        visit(folder, visitor, stats, stack.append, lister)
        if lister is not None:
            lister.ahead(stack)
        if show and progress is not None:
            progress.update(stats, folder.rel)
    if progress is not None:
        progress.finish()
    return stats


def visit(folder: Folder, visitor: Visitor, stats: WalkStats, push: Callable[[Folder], object],
          lister: Lister | None = None) -> None:
    """List one folder, tell the visitor, and hand its sub-folders to ``push``."""
    stats.folders += 1
    children = _list(folder, visitor, stats) if lister is None else _list_with(lister, folder, visitor, stats)
    flags = visitor.folder_done(folder, children is not None)
    if children:
        base, rel = folder.path, folder.rel
        sep = "" if base.endswith("/") else "/"
        for name, bits in reversed(children):
            push(Folder(f"{rel}/{name}" if rel else name, f"{base}{sep}{name}", flags | bits))


def _list(folder: Folder, visitor: Visitor, stats: WalkStats) -> list[tuple[str, int]] | None:
    """List one folder; return its sub-folders to enter (``None``: it could not be read)."""
    fd = -1
    try:
        if len(folder.path) * 4 >= LONG_PATH and len(os.fsencode(folder.path)) >= LONG_PATH:
            fd = open_long(folder.path)
            it: os._ScandirIterator[Any] = os.scandir(fd)
        else:
            it = os.scandir(folder.path)
    except OSError as exc:
        if fd >= 0:
            os.close(fd)
        if exc.errno in _VANISHED:
            stats.vanished += 1
        else:
            visitor.folder_error(folder, exc)
        return None
    children: list[tuple[str, int]] = []
    try:
        with it:
            _scan(folder, it, visitor, stats, children)
    except OSError as exc:  # the listing broke off half-way (I/O error, folder removed)
        if exc.errno in _VANISHED:
            stats.vanished += 1
        else:
            visitor.folder_error(folder, exc)
    finally:
        if fd >= 0:
            os.close(fd)
    return children


def _list_with(lister: Lister, folder: Folder, visitor: Visitor, stats: WalkStats) -> list[tuple[str, int]] | None:
    """List one folder of another file system; like :func:`_list`."""
    try:
        entries = lister(folder)
    except OSError as exc:
        if exc.errno in _VANISHED:
            stats.vanished += 1
        else:
            visitor.folder_error(folder, exc)
        return None
    children: list[tuple[str, int]] = []
    _scan(folder, iter(entries), visitor, stats, children)
    return children


def _scan(folder: Folder, it: Iterator[Entry], visitor: Visitor, stats: WalkStats,
          children: list[tuple[str, int]]) -> None:
    """The hot loop, a chunk of entries at a time so that the per-entry work runs in C: the names are
    normalised in one string operation and matched with one set intersection; no ``stat``."""
    while True:
        chunk = list(islice(it, CHUNK))
        if not chunk:
            return
        stats.entries += len(chunk)
        try:
            is_dir = [de.is_dir(follow_symlinks=False) for de in chunk]
            is_link = [de.is_symlink() for de in chunk]
        except OSError:  # only where the file system gives no d_type: an entry vanished
            _scan_each(folder, chunk, visitor, stats, children)
            continue
        keys, picks = _picks(visitor, [de.name for de in chunk])
        if True in is_link:
            picks.update(i for i, link in enumerate(is_link) if link)
        answers: dict[int, int | None] = {}
        for i in sorted(picks):
            answers[i] = visitor.entry(folder, chunk[i], keys[i], is_dir[i])
        for i in compress(range(len(chunk)), is_dir):
            bits = answers.get(i, 0)
            if bits is not None:
                children.append((chunk[i].name, bits))


def _picks(visitor: Visitor, names: list[str]) -> tuple[list[str], set[int]]:
    """The normalised names and the indexes of those the visitor wants to see."""
    joined = "\n".join(names)
    ascii_only = joined.isascii()
    keys = joined.upper().split("\n") if ascii_only else [normalize(n) for n in names]
    if visitor.every_entry or "" in visitor.suffixes:
        return keys, set(range(len(keys)))
    picks: set[int] = set()
    for key in visitor.names.intersection(keys):
        i = keys.index(key)
        while i >= 0:
            picks.add(i)
            i = _index(keys, key, i + 1)
    if not ascii_only:
        picks.update(i for i, k in enumerate(keys) if k.endswith(visitor.suffixes))
        return keys, picks
    upper = joined.upper() + "\n"
    for suffix in visitor.suffixes:
        pos = upper.find(suffix + "\n")
        while pos >= 0:
            picks.add(upper.count("\n", 0, pos))
            pos = upper.find(suffix + "\n", pos + 1)
    return keys, picks


def _index(keys: list[str], key: str, start: int) -> int:
    try:
        return keys.index(key, start)
    except ValueError:
        return -1


def _scan_each(folder: Folder, chunk: list[Entry], visitor: Visitor, stats: WalkStats,
               children: list[tuple[str, int]]) -> None:
    """Entry by entry, for a chunk where some entry vanished before its type was known."""
    for de in chunk:
        try:
            is_dir = de.is_dir(follow_symlinks=False)
            is_link = not is_dir and de.is_symlink()
        except OSError:
            stats.vanished += 1
            continue
        name: str = de.name
        key = name.upper() if name.isascii() else normalize(name)
        bits: int | None = 0
        if visitor.every_entry or key in visitor.names or key.endswith(visitor.suffixes) or is_link:
            bits = visitor.entry(folder, de, key, is_dir)
        if is_dir and bits is not None:
            children.append((name, bits))
